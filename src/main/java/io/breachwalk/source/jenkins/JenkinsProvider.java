package io.breachwalk.source.jenkins;

import io.breachwalk.detect.config.ConfigReader;
import io.breachwalk.source.jenkins.pipeline.JenkinsfileReader;
import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.model.ProviderTraits;
import io.breachwalk.source.CiSource;
import io.breachwalk.source.Provider;
import io.breachwalk.source.SourceException;
import io.breachwalk.text.Urls;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Jenkins: walked when `--jenkins-url` is given; JENKINS_USER and JENKINS_TOKEN come from the environment. */
public final class JenkinsProvider implements Provider {

    /** `scan`'s Jenkins flags. */
    public static final class Options {
        @Option(names = "--jenkins-url", paramLabel = "URL", order = 20,
                description = "Jenkins URL, e.g. https://ci.example.com/")
        String url;

        @Option(names = "--jenkins-job", paramLabel = "PATH", order = 21,
                description = "limit the Jenkins walk to this folder or job, e.g. team/app (repeatable)")
        List<String> jobs = new ArrayList<>();
    }

    private final Options options = new Options();

    @Override
    public String name() {
        return JenkinsSource.PROVIDER;
    }

    @Override
    public Object options() {
        return options;
    }

    @Override
    public String credentialHelp() {
        return "JENKINS_USER and JENKINS_TOKEN";
    }

    /** `--jenkins-job` alone is asked too: {@link #create} then says it needs `--jenkins-url`. */
    @Override
    public boolean requested() {
        return options.url != null || !options.jobs.isEmpty();
    }

    @Override
    public List<String> targetFlags() {
        return List.of("--jenkins-url");
    }

    @Override
    public List<String> targetWords() {
        List<String> words = new ArrayList<>();
        if (options.url != null) {
            words.add("--jenkins-url " + options.url);
        }
        options.jobs.forEach(t -> words.add("--jenkins-job " + t));
        return words;
    }

    @Override
    public Map<String, Object> reportTargets() {
        Map<String, Object> targets = new LinkedHashMap<>();
        if (options.url != null) {
            targets.put("jenkins_url", Urls.withoutUserInfo(options.url));
        }
        if (!options.jobs.isEmpty()) {
            targets.put("jenkins_jobs", List.copyOf(options.jobs));
        }
        return targets;
    }

    @Override
    public String resumeKey() {
        return String.join("|", String.valueOf(options.url), String.valueOf(options.jobs));
    }

    @Override
    public List<String> warnings(Map<String, String> env) {
        if (options.url != null && options.url.trim().matches("(?i)https?://\\S+") && blank(env, "JENKINS_USER")
                && blank(env, "JENKINS_TOKEN")) {
            return List.of("warning: JENKINS_USER and JENKINS_TOKEN are not set: walking " + options.url.trim()
                    + " anonymously sees only what anonymous users may read");
        }
        return List.of();
    }

    @Override
    public CiSource<?> create(Map<String, String> env) throws SourceException {
        String url = options.url;
        if (url == null || url.isBlank()) {
            throw new SourceException("--jenkins-job needs --jenkins-url");
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
        return new JenkinsSource(url.trim(), user, token, options.jobs);
    }

    @Override
    public CiSource<?> offline(EvidenceStore store, List<EvidenceRecord> records) {
        return JenkinsSource.stored(store, records);
    }

    @Override
    public List<ConfigReader> configReaders() {
        return List.of(new JenkinsfileReader());
    }

    @Override
    public List<String> credentialVariables() {
        return List.of("JENKINS_TOKEN");
    }

    @Override
    public ProviderTraits traits() {
        return new ProviderTraits(name(), "Jenkins", "credentials", false, "user",
                "the user in JENKINS_USER Credentials/View", "the system store", "folder", new JenkinsChangeUrls());
    }

    private static boolean blank(Map<String, String> env, String variable) {
        String v = env.get(variable);
        return v == null || v.isBlank();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
