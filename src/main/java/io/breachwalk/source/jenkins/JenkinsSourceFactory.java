package io.breachwalk.source.jenkins;

import io.breachwalk.source.CiSource;
import io.breachwalk.source.ScanOptions;
import io.breachwalk.source.SourceException;
import io.breachwalk.source.SourceFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;

/** A Jenkins source when `--jenkins-url` is given; JENKINS_USER and JENKINS_TOKEN come from the environment. */
public final class JenkinsSourceFactory implements SourceFactory {

    @Override
    public Optional<CiSource> create(ScanOptions options, Map<String, String> env) throws SourceException {
        String url = options.jenkinsUrl();
        if (url == null || url.isBlank()) {
            if (!options.jenkinsJobs().isEmpty()) throw new SourceException("--jenkins-job needs --jenkins-url");
            return Optional.empty();
        }
        try {
            URI u = new URI(url.trim());
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new SourceException("--jenkins-url " + url + " is not an http(s) URL");
            }
            if (u.getUserInfo() != null) {
                throw new SourceException("--jenkins-url must not carry credentials; set JENKINS_USER and JENKINS_TOKEN");
            }
        } catch (URISyntaxException e) {
            throw new SourceException("--jenkins-url " + url + " is not a valid URL");
        }
        String user = blankToNull(env.get("JENKINS_USER"));
        String token = blankToNull(env.get("JENKINS_TOKEN"));
        if ((user == null) != (token == null)) {
            throw new SourceException("set both JENKINS_USER and JENKINS_TOKEN (or neither, for anonymous read)");
        }
        return Optional.of(new JenkinsSource(url.trim(), user, token, options.jenkinsJobs()));
    }

    private static String blankToNull(String s) { return s == null || s.isBlank() ? null : s; }
}
