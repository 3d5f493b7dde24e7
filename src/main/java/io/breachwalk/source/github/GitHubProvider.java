package io.breachwalk.source.github;

import io.breachwalk.detect.config.ConfigReader;
import io.breachwalk.source.github.workflow.GitHubWorkflowReader;
import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.model.ProviderTraits;
import io.breachwalk.source.CiSource;
import io.breachwalk.source.Provider;
import io.breachwalk.source.SourceException;
import io.breachwalk.text.Urls;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GitHub Actions: walked when `--github-org` or `--github-repo` is given; the token comes from GITHUB_TOKEN, or
 * from GH_TOKEN (the GitHub CLI's variable) when GITHUB_TOKEN is unset.
 */
public final class GitHubProvider implements Provider {
    public static final String DEFAULT_URL = "https://api.github.com";

    /** `scan`'s GitHub flags. */
    public static final class Options {
        @Option(names = "--github-org", paramLabel = "ORG", order = 10,
                description = "scan every repository of this organization (repeatable)")
        List<String> orgs = new ArrayList<>();

        @Option(names = "--github-repo", paramLabel = "OWNER/REPO", order = 11,
                description = "scan this repository (repeatable)")
        List<String> repos = new ArrayList<>();

        @Option(names = "--github-url", paramLabel = "URL", defaultValue = DEFAULT_URL, order = 12,
                description = "GitHub API URL; GitHub Enterprise Server: https://HOST/api/v3 (default: ${DEFAULT-VALUE})")
        String url = DEFAULT_URL;

        @Option(names = "--api", paramLabel = "auto|graphql|rest", defaultValue = "auto", order = 13,
                converter = ApiConverter.class,
                description = "how files and jobs are read: graphql batches them (falling back to REST per item), "
                        + "rest reads each with its own request, auto (default) uses GraphQL where the server has it")
        Api api = Api.AUTO;
    }

    /** How the walk reads files and jobs: GraphQL batches where the server has them, or REST only. */
    public enum Api {
        AUTO, GRAPHQL, REST;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** `--api` in the lower-case words the help shows; anything else is a usage error naming the choices. */
    static final class ApiConverter implements picocli.CommandLine.ITypeConverter<Api> {
        @Override
        public Api convert(String value) {
            for (Api a : Api.values()) {
                if (a.word().equals(value.trim().toLowerCase(java.util.Locale.ROOT))) {
                    return a;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("expected auto, graphql or rest, got '" + value + "'");
        }
    }

    private final Options options = new Options();

    @Override
    public String name() {
        return GitHubSource.PROVIDER;
    }

    @Override
    public Object options() {
        return options;
    }

    @Override
    public String credentialHelp() {
        return "GITHUB_TOKEN (or GH_TOKEN)";
    }

    @Override
    public boolean requested() {
        return !options.orgs.isEmpty() || !options.repos.isEmpty();
    }

    private String url() {
        return options.url == null || options.url.isBlank() ? DEFAULT_URL : options.url;
    }

    @Override
    public List<String> targetFlags() {
        return List.of("--github-org", "--github-repo");
    }

    @Override
    public List<String> targetWords() {
        List<String> words = new ArrayList<>();
        options.orgs.forEach(t -> words.add("--github-org " + t));
        options.repos.forEach(t -> words.add("--github-repo " + t));
        return words;
    }

    @Override
    public Map<String, Object> reportTargets() {
        Map<String, Object> targets = new LinkedHashMap<>();
        if (requested()) {
            targets.put("github_url", Urls.withoutUserInfo(url()));
        }
        if (!options.orgs.isEmpty()) {
            targets.put("github_orgs", List.copyOf(options.orgs));
        }
        if (!options.repos.isEmpty()) {
            targets.put("github_repos", List.copyOf(options.repos));
        }
        return targets;
    }

    @Override
    public String resumeKey() {
        return String.join("|", String.valueOf(options.orgs), String.valueOf(options.repos), url());
    }

    @Override
    public CiSource<?> create(Map<String, String> env) throws SourceException {
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
            url = URI.create(url());
        } catch (IllegalArgumentException e) {
            throw new SourceException("--github-url is not a URL: " + url());
        }
        if (url.getHost() == null || !(("https".equals(url.getScheme())) || "http".equals(url.getScheme()))) {
            throw new SourceException("--github-url must be an http(s) URL such as https://api.github.com, got "
                    + url());
        }
        for (String repo : options.repos) {
            if (!repo.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
                throw new SourceException("--github-repo must be OWNER/REPO, got " + repo);
            }
        }
        return new GitHubSource(url(), token.trim(), variable, options.orgs, options.repos, options.api);
    }

    @Override
    public CiSource<?> offline(EvidenceStore store, List<EvidenceRecord> records) {
        return GitHubSource.stored(store, records);
    }

    @Override
    public List<ConfigReader> configReaders() {
        return List.of(new GitHubWorkflowReader());
    }

    @Override
    public List<String> credentialVariables() {
        return List.of("GITHUB_TOKEN", "GH_TOKEN");
    }

    @Override
    public ProviderTraits traits() {
        return new ProviderTraits(name(), "GitHub", "secrets", true, "token",
                "the token Secrets: read, Environments: read and Organization secrets: read", "", "", new GitHubChangeUrls());
    }
}
