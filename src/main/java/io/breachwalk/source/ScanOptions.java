package io.breachwalk.source;

import java.nio.file.Path;
import java.util.List;

/** What the user asked to scan, from the CLI flags (credentials come from the environment, never from here). */
public record ScanOptions(
        List<String> githubOrgs,
        List<String> githubRepos,
        String githubUrl,
        String jenkinsUrl,
        List<String> jenkinsJobs,
        int concurrency,
        Path out) {

    public static final String DEFAULT_GITHUB_URL = "https://api.github.com";
    /** More parallel requests than this is impolite to a CI server (GitHub's secondary limit counts concurrency). */
    public static final int MAX_CONCURRENCY = 16;

    public ScanOptions {
        githubOrgs = githubOrgs == null ? List.of() : List.copyOf(githubOrgs);
        githubRepos = githubRepos == null ? List.of() : List.copyOf(githubRepos);
        jenkinsJobs = jenkinsJobs == null ? List.of() : List.copyOf(jenkinsJobs);
        githubUrl = githubUrl == null || githubUrl.isBlank() ? DEFAULT_GITHUB_URL : githubUrl;
        concurrency = Math.max(1, Math.min(MAX_CONCURRENCY, concurrency));
    }
}
