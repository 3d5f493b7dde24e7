package io.breachwalk.source.github;

import io.breachwalk.source.CiSource;
import io.breachwalk.source.ScanOptions;
import io.breachwalk.source.SourceException;
import io.breachwalk.source.SourceFactory;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the GitHub source when `--github-org` or `--github-repo` is given; the token comes from GITHUB_TOKEN, or
 * from GH_TOKEN (the GitHub CLI's variable) when GITHUB_TOKEN is unset.
 */
public final class GitHubSourceFactory implements SourceFactory {

    @Override
    public Optional<CiSource> create(ScanOptions options, Map<String, String> env) throws SourceException {
        if (options.githubOrgs().isEmpty() && options.githubRepos().isEmpty()) {
            return Optional.empty();
        }
        String variable = "GITHUB_TOKEN";
        String token = env.get(variable);
        if (token == null || token.isBlank()) {
            variable = "GH_TOKEN";
            token = env.get(variable);
        }
        if (token == null || token.isBlank()) {
            throw new SourceException("GITHUB_TOKEN (or GH_TOKEN) is not set: export a token that can read the "
                    + "Actions runs (and secrets) of the repositories to scan");
        }
        URI url;
        try {
            url = URI.create(options.githubUrl());
        } catch (IllegalArgumentException e) {
            throw new SourceException("--github-url is not a URL: " + options.githubUrl());
        }
        if (url.getHost() == null || !(("https".equals(url.getScheme())) || "http".equals(url.getScheme()))) {
            throw new SourceException("--github-url must be an http(s) URL such as https://api.github.com, got "
                    + options.githubUrl());
        }
        for (String repo : options.githubRepos()) {
            if (!repo.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
                throw new SourceException("--github-repo must be OWNER/REPO, got " + repo);
            }
        }
        return Optional.of(new GitHubSource(options.githubUrl(), token.trim(), variable, options.githubOrgs(),
                options.githubRepos()));
    }
}
