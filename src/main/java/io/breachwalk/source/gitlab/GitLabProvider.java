package io.breachwalk.source.gitlab;

import io.breachwalk.detect.config.ConfigReader;
import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.model.ProviderTraits;
import io.breachwalk.source.CiSource;
import io.breachwalk.source.Provider;
import io.breachwalk.source.SourceException;
import io.breachwalk.source.gitlab.pipeline.GitLabConfigReader;
import io.breachwalk.text.Urls;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GitLab CI: walked when `--gitlab-group` or `--gitlab-project` is given; GITLAB_TOKEN comes from the environment. */
public final class GitLabProvider implements Provider {

    static final String DEFAULT_URL = "https://gitlab.com";

    /** `scan`'s GitLab flags. */
    public static final class Options {
        @Option(names = "--gitlab-url", paramLabel = "URL", order = 30,
                description = "GitLab instance root (default: " + DEFAULT_URL + "), e.g. https://gitlab.example.com")
        String url;

        @Option(names = "--gitlab-group", paramLabel = "PATH", order = 31,
                description = "GitLab group to walk with all its subgroups, e.g. acme or acme/platform (repeatable)")
        List<String> groups = new ArrayList<>();

        @Option(names = "--gitlab-project", paramLabel = "PATH", order = 32,
                description = "GitLab project to walk, e.g. acme/web (repeatable)")
        List<String> projects = new ArrayList<>();
    }

    private final Options options = new Options();

    @Override
    public String name() {
        return GitLabSource.PROVIDER;
    }

    @Override
    public Object options() {
        return options;
    }

    @Override
    public String credentialHelp() {
        return "GITLAB_TOKEN";
    }

    @Override
    public List<String> targetFlags() {
        return List.of("--gitlab-group", "--gitlab-project");
    }

    /** `--gitlab-url` alone is asked too: {@link #create} then says it needs a group or a project. */
    @Override
    public boolean requested() {
        return options.url != null || !options.groups.isEmpty() || !options.projects.isEmpty();
    }

    @Override
    public List<String> targetWords() {
        List<String> words = new ArrayList<>();
        if (options.url != null) words.add("--gitlab-url " + options.url);
        options.groups.forEach(g -> words.add("--gitlab-group " + g));
        options.projects.forEach(p -> words.add("--gitlab-project " + p));
        return words;
    }

    @Override
    public Map<String, Object> reportTargets() {
        Map<String, Object> targets = new LinkedHashMap<>();
        if (!requested()) return targets;
        targets.put("gitlab_url", Urls.withoutUserInfo(url()));
        if (!options.groups.isEmpty()) targets.put("gitlab_groups", List.copyOf(options.groups));
        if (!options.projects.isEmpty()) targets.put("gitlab_projects", List.copyOf(options.projects));
        return targets;
    }

    @Override
    public String resumeKey() {
        return String.join("|", url(), String.valueOf(options.groups), String.valueOf(options.projects));
    }

    @Override
    public List<String> warnings(Map<String, String> env) {
        // Only for a walk that will run: a wrong URL or a missing target is said by create() alone.
        boolean runs = !(options.groups.isEmpty() && options.projects.isEmpty())
                && url().trim().matches("(?i)https?://\\S+");
        if (runs && blank(env.get("GITLAB_TOKEN"))) {
            return List.of("warning: GITLAB_TOKEN is not set: walking " + url() + " anonymously sees only public "
                    + "projects, and no CI/CD variables");
        }
        return List.of();
    }

    @Override
    public CiSource<?> create(Map<String, String> env) throws SourceException {
        String url = url();
        if (options.groups.isEmpty() && options.projects.isEmpty()) {
            throw new SourceException("--gitlab-url needs --gitlab-group or --gitlab-project");
        }
        try {
            URI u = new URI(url);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new SourceException("--gitlab-url " + url + " is not an http(s) URL");
            }
            if (u.getUserInfo() != null) {
                throw new SourceException("--gitlab-url must not carry credentials; set GITLAB_TOKEN");
            }
        } catch (URISyntaxException e) {
            throw new SourceException("--gitlab-url " + url + " is not a valid URL");
        }
        String token = env.get("GITLAB_TOKEN");
        return new GitLabSource(url, blank(token) ? null : token.trim(), options.groups, options.projects);
    }

    /** The projects of the evidence walked again over the API answers the online scan kept. */
    @Override
    public CiSource<?> offline(EvidenceStore store, List<EvidenceRecord> records) {
        return GitLabOffline.source(store, records);
    }

    @Override
    public List<ConfigReader> configReaders() {
        return List.of(new GitLabConfigReader());
    }

    @Override
    public List<String> credentialVariables() {
        return List.of("GITLAB_TOKEN");
    }

    @Override
    public ProviderTraits traits() {
        return new ProviderTraits(name(), "GitLab", "CI/CD variables", false, "token",
                "the token's user the Maintainer role on the projects and groups (Owner or admin for instance "
                        + "variables)", "", "project", new GitLabChangeUrls());
    }

    private String url() {
        String u = options.url == null || options.url.isBlank() ? DEFAULT_URL : options.url.trim();
        return u.replaceAll("/+$", "");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
