package io.breachwalk.source.github;

import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.model.Gap;
import io.breachwalk.source.CiSource;
import io.breachwalk.source.OfflineSource;
import io.breachwalk.source.Findings;
import io.breachwalk.source.Retry;
import io.breachwalk.source.Sink;
import io.breachwalk.source.ScanContext;
import io.breachwalk.source.SourceException;
import io.breachwalk.source.github.graphql.GitHubGraphQl;
import io.breachwalk.source.github.graphql.GitHubGraphQlReads;
import org.kohsuke.github.GHFileNotFoundException;
import org.kohsuke.github.GHOrganization;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.extras.HttpClientGitHubConnector;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * GitHub Actions (github.com or GitHub Enterprise Server): every repository of the organizations (or the named
 * repositories), walked by {@link RepoWalk}. github-api serves what it covers (the user, organizations, repositories,
 * file contents); {@link GitHubRest} the rest, through the same endpoint and token. Every HTTP request is counted.
 */
public final class GitHubSource implements CiSource<GHRepository> {
    public static final String PROVIDER = "github-actions";

    private final String apiUrl;
    private final String token;
    private final List<String> orgs;
    private final List<String> repos;
    /** The login GitHub's /user answered for the token; empty when the token may not read /user. */
    private volatile String login = "";
    /** Where the token came from (GITHUB_TOKEN, or gh's GH_TOKEN), for messages. */
    private final String tokenVariable;
    /** Set up by {@link #units}: the clients, the host, and whom requests count into (the unit being judged). */
    private AtomicReference<Sink> current;
    private GitHub gh;
    private GitHubRest rest;
    private String host;
    private final Map<String, GHRepository> otherRepos = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicLong restRequests = new java.util.concurrent.atomic.AtomicLong();
    private volatile GitHubGraphQl graphql;
    private volatile GitHubPrefetch prefetch;
    /** `--api`: REST only, or GraphQL batches first. */
    private final GitHubProvider.Api api;

    public GitHubSource(String apiUrl, String token, List<String> orgs, List<String> repos) {
        this(apiUrl, token, "GITHUB_TOKEN", orgs, repos);
    }

    public GitHubSource(String apiUrl, String token, String tokenVariable, List<String> orgs, List<String> repos) {
        this(apiUrl, token, tokenVariable, orgs, repos, GitHubProvider.Api.AUTO);
    }

    public GitHubSource(String apiUrl, String token, String tokenVariable, List<String> orgs, List<String> repos,
                        GitHubProvider.Api api) {
        this.api = api == null ? GitHubProvider.Api.AUTO : api;
        this.tokenVariable = tokenVariable;
        this.apiUrl = apiUrl.replaceAll("/+$", "");
        this.token = token;
        this.orgs = List.copyOf(orgs);
        this.repos = List.copyOf(repos);
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public String identity() {
        return login;
    }

    @Override
    public String unitLabel() {
        return "GitHub repositories";
    }

    @Override
    public boolean parallelUnits() {
        return false; // one repository at a time, its runs spread over the pool; the request count knows the unit
    }

    @Override
    public String unitName(GHRepository repo) {
        return repo.getFullName();
    }

    @Override
    public List<GHRepository> units(ScanContext ctx) throws SourceException {
        current = new AtomicReference<>(ctx.findings());
        Runnable count = () -> {
            restRequests.incrementAndGet();
            current.get().request(PROVIDER);
        };
        // HTTP/1.1: the default client first offers an h2c upgrade on plain http, which costs a round trip per
        // request against servers (GHES behind a proxy, the simulator) that answer HTTP/1.1 only.
        GitHubConnector base = new HttpClientGitHubConnector(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(15)).build());
        Retry retry = ctx.retry();
        RestPacer pacer = new RestPacer();
        GitHubConnector connector = new RetryingConnector(base, retry, count, endpointUrl(), pacer);
        try {
            gh = new GitHubBuilder().withEndpoint(apiUrl).withOAuthToken(token).withConnector(connector)
                    // The connector already waited (bounded by --max-wait) and retried: a limit that reaches
                    // github-api has outlasted that, and fails the call so that it becomes a coverage gap.
                    .withRateLimitHandler(GitHubRateLimitHandler.FAIL)
                    .withAbuseLimitHandler(GitHubAbuseLimitHandler.FAIL).build();
        } catch (IOException | RuntimeException e) {
            throw new SourceException("--github-url " + apiUrl + " is not usable: " + e.getMessage());
        }
        checkToken(gh);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        rest = new GitHubRest(apiUrl, token, http, count, retry, pacer);
        host = URI.create(apiUrl).getHost();

        Map<String, GHRepository> targets = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String org : orgs) {
            GHOrganization o;
            try {
                o = gh.getOrganization(org);
            } catch (GHFileNotFoundException e) {
                throw new SourceException("GitHub organization '" + org + "' was not found at " + apiUrl
                        + " (or the token in GITHUB_TOKEN cannot see it)");
            } catch (IOException e) {
                throw new SourceException("cannot read GitHub organization '" + org + "' at " + apiUrl + ": " + oneLine(e));
            }
            try {
                for (GHRepository r : o.listRepositories(100)) {
                    targets.put(r.getFullName(), r);
                }
            } catch (RuntimeException e) {
                throw new SourceException("cannot list the repositories of '" + org + "' at " + apiUrl + ": "
                        + oneLine(e.getCause() == null ? e : e.getCause()));
            }
        }
        for (String name : repos) {
            if (targets.containsKey(name)) {
                continue;
            }
            try {
                GHRepository r = gh.getRepository(name);
                targets.put(r.getFullName(), r);
            } catch (GHFileNotFoundException e) {
                throw new SourceException("GitHub repository '" + name + "' was not found at " + apiUrl
                        + " (or the token in GITHUB_TOKEN cannot see it)");
            } catch (IOException | IllegalArgumentException e) {
                throw new SourceException("cannot read GitHub repository '" + name + "' at " + apiUrl + ": " + oneLine(e));
            }
        }

        if (api != GitHubProvider.Api.REST) {
            readAhead(ctx, http, retry, targets.values());
        }
        return new ArrayList<>(targets.values());
    }

    /**
     * `--api auto|graphql`: the staged read-ahead of every repository not yet done (runs, files, jobs) before the
     * walk takes them one at a time. A server without GraphQL leaves files and jobs to REST; asked for graphql, the
     * coverage says so once.
     */
    private void readAhead(ScanContext ctx, HttpClient http, Retry retry, java.util.Collection<GHRepository> targets) {
        graphql = new GitHubGraphQl(apiUrl, token, http, () -> current.get().request(PROVIDER), retry);
        List<String> names = new ArrayList<>();
        for (GHRepository r : targets) {
            if (!ctx.findings().isDone(PROVIDER, r.getFullName())) {
                names.add(r.getFullName());
            }
        }
        GitHubGraphQlReads reads = new GitHubGraphQlReads(graphql, Math.max(1, ctx.concurrency()));
        prefetch = GitHubPrefetch.read(names, rest, reads, ctx);
        if (api == GitHubProvider.Api.GRAPHQL && !graphql.available()) {
            ctx.findings().gap(new Gap(PROVIDER, host, "", "", Gap.API_ERROR, "--api graphql: GraphQL is not "
                    + "available at " + GitHubGraphQl.endpoint(apiUrl) + " (" + graphql.unavailableReason()
                    + "); files and jobs were read through REST", false));
        }
    }

    @Override
    public void close() {
        GitHubPrefetch p = prefetch;
        if (p != null) {
            p.close();
        }
    }

    @Override
    public Map<String, Object> budgets() {
        if (rest == null) {
            return Map.of();
        }
        Map<String, Object> spent = new java.util.LinkedHashMap<>();
        spent.put("api", api.word());
        spent.put("rest_requests", restRequests.get());
        GitHubGraphQl g = graphql;
        spent.put("graphql_queries", g == null ? 0 : g.queries());
        spent.put("graphql_points", g == null ? 0 : g.points());
        if (g != null && g.remaining() >= 0) {
            spent.put("graphql_remaining", g.remaining());
        }
        return spent;
    }

    /** REST requests sent (every attempt). */
    public long restRequests() {
        return restRequests.get();
    }

    /** The GraphQL client of `--api auto|graphql` (null for rest, or before {@link #units}). */
    public GitHubGraphQl graphql() {
        return graphql;
    }

    @Override
    public void judge(GHRepository repo, Findings.Unit sink, ScanContext ctx, ExecutorService pool) {
        // Requests count into the repository being judged (units go one at a time), or the scan between them.
        current.set(sink);
        try {
            GitHubPrefetch.Repo ahead = prefetch == null ? null : prefetch.take(repo.getFullName());
            GitHubData data = new LiveGitHubData(gh, rest, repo, apiUrl, otherRepos, ctx.evidence(), ctx.matcher(),
                    ahead);
            new RepoWalk(ctx, sink, data, host, repo.getFullName(), pool).walk(rest, ahead == null ? null : ahead.listing);
        } finally {
            current.set(ctx.findings());
        }
    }

    /**
     * `scan --offline` for GitHub: each repository of the evidence manifest judged again by {@link RepoWalk} from the
     * stored run records, workflow files, job records, logs and secret listings. No request is made.
     */
    static CiSource<OfflineSource.StoredUnit> stored(EvidenceStore store, List<EvidenceRecord> records) {
        return new OfflineSource(PROVIDER, "GitHub repositories (offline)", records, unit -> true,
                ctx -> (repo, sink, pool) -> {
                    StoredGitHubData data = new StoredGitHubData(store, repo.records());
                    RepoWalk walk = new RepoWalk(ctx, sink, data, repo.host(), repo.project(), pool);
                    try {
                        walk.judge(data.runs());
                    } catch (IOException e) {
                        sink.gap(new Gap(PROVIDER, repo.host(), repo.project(), "", Gap.NOT_IN_EVIDENCE,
                                "the stored runs could not be read: " + e.getMessage(), true));
                    }
                });
    }

    private java.net.URL endpointUrl() throws SourceException {
        try {
            return URI.create(apiUrl).toURL();
        } catch (java.net.MalformedURLException | IllegalArgumentException e) {
            throw new SourceException("--github-url " + apiUrl + " is not a valid URL");
        }
    }

    /** One request that tells a rejected token, an unreachable server or a URL that is not the API apart. */
    private void checkToken(GitHub gh) throws SourceException {
        try {
            login = String.valueOf(gh.getMyself().getLogin());
        } catch (GHFileNotFoundException e) {
            throw notTheApi("answered 404 on /user", e);
        } catch (HttpException e) {
            if (e.getResponseCode() == 401) {
                throw new SourceException(SourceException.Kind.ACCESS_DENIED, "GitHub rejected the token in "
                        + tokenVariable + " (401 Bad credentials) at " + apiUrl);
            }
            if (e.getResponseCode() == 403 || e.getResponseCode() == 200) {
                return; // an installation token may not read /user; the walk will tell what it cannot read
            }
            if (e.getResponseCode() == 404 || (e.getResponseCode() >= 300 && e.getResponseCode() < 400)) {
                throw notTheApi("answered " + e.getResponseCode() + " on /user", e);
            }
            if (e.getResponseCode() < 0) {
                throw unusable(e);
            }
            throw new SourceException(SourceException.Kind.FAILED, "GitHub at " + apiUrl + " answered HTTP "
                    + e.getResponseCode() + " to the token check (GET /user); try again later or check --github-url");
        } catch (IOException e) {
            throw unusable(e);
        }
    }

    /** "http://HOST answered 404 on /user: not the GitHub API; for GitHub Enterprise Server use .../api/v3". */
    private SourceException notTheApi(String answered, Throwable cause) {
        URI u = URI.create(apiUrl);
        String root = u.getScheme() + "://" + u.getRawAuthority();
        String hint = u.getPath() != null && u.getPath().endsWith("/api/v3") ? "check --github-url"
                : "for GitHub Enterprise Server use " + root + "/api/v3";
        return new SourceException(SourceException.Kind.NOT_THE_API, apiUrl + " " + answered
                + ": not the GitHub API; " + hint, cause);
    }

    /** The token check failed without an HTTP status: nothing answered, or what answered is not JSON. */
    private SourceException unusable(IOException e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof io.breachwalk.source.HttpFailure f) {
                if (f.kind() == io.breachwalk.source.HttpFailure.Kind.UNREACHABLE) {
                    String why = f.getMessage().replaceFirst(" for /\\S*$", "");
                    return new SourceException(SourceException.Kind.UNREACHABLE, "cannot reach GitHub at " + apiUrl
                            + ": " + why + " (check --github-url and the network)", e);
                }
                if (f.status() / 100 == 2 && f.kind() == io.breachwalk.source.HttpFailure.Kind.FATAL) {
                    return notTheApi("answered /user with " + (f.getMessage().contains("HTML") ? "an HTML page"
                            : "something that is not JSON") + " (HTTP " + f.status() + ")", e);
                }
                return new SourceException("GitHub at " + apiUrl + " failed the token check (GET /user): "
                        + f.getMessage(), e);
            }
        }
        return new SourceException("cannot reach GitHub at " + apiUrl + ": " + oneLine(e), e);
    }

    private static String oneLine(Throwable e) {
        // The retrying connector's failure says it in words; github-api wraps it, sometimes twice.
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof io.breachwalk.source.HttpFailure f) {
                String m = f.getMessage().replaceAll("\\s+", " ").trim();
                return m.length() > 200 ? m.substring(0, 200) + "..." : m;
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (e instanceof java.net.ConnectException || root instanceof java.nio.channels.ClosedChannelException
                || root instanceof java.net.ConnectException) {
            return "connection refused or unreachable (check --github-url and the network)";
        }
        if (root instanceof java.net.UnknownHostException) {
            return "unknown host " + root.getMessage() + " (check --github-url)";
        }
        String msg = root.getMessage() == null ? "no usable answer" : root.getMessage();
        msg = msg.replaceAll("\\s+", " ").trim();
        return msg.length() > 200 ? msg.substring(0, 200) + "..." : msg;
    }
}
