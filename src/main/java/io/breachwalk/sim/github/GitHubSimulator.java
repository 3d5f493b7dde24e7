package io.breachwalk.sim.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.breachwalk.sim.DemoEstate;
import io.breachwalk.sim.Loopback;
import io.breachwalk.sim.QueryString;
import io.breachwalk.sim.RateWindow;
import io.breachwalk.sim.Simulator;
import io.breachwalk.sim.github.Estate.Attempt;
import io.breachwalk.sim.github.Estate.Environment;
import io.breachwalk.sim.github.Estate.Faults;
import io.breachwalk.sim.github.Estate.Job;
import io.breachwalk.sim.github.Estate.Org;
import io.breachwalk.sim.github.Estate.OrgSecret;
import io.breachwalk.sim.github.Estate.Repo;
import io.breachwalk.sim.github.Estate.Run;
import io.breachwalk.sim.github.Estate.Token;
import io.breachwalk.sim.github.Estate.Workflow;
import io.breachwalk.sim.github.graphql.GraphQlEndpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A GitHub REST API on loopback that serves an {@link Estate} the way api.github.com does for the endpoints the
 * walk uses: response shapes, Link pagination, per_page limits, the 1,000-result cap of filtered run listings,
 * 302 + 410 for job logs, 401/403/404 answers, X-RateLimit-* headers and a primary limit, plus seeded faults.
 * Every request is recorded ({@link #requests()}) so tests can check request economy.
 */
public final class GitHubSimulator implements Simulator {
    /** GitHub stops filtered run listings after this many results, whatever total_count says. */
    public static final int RESULT_CAP = 1000;
    public static final String SAMPLE_ESTATE = "samples/github/estate.yaml";

    private static final String DOCS = Reply.DOCS;
    private static final List<String> CAPPING_FILTERS =
            List.of("actor", "branch", "check_suite_id", "created", "event", "head_sha", "status");

    private final Estate estate;
    private final Loopback server;
    private final String baseUrl;
    private final Payloads payloads;
    private final Pager pager;
    private final GitEndpoints git;
    private final List<RecordedRequest> log = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, RateWindow> buckets = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong(1);
    private final FaultInjector faults;
    private final GraphQlEndpoint graphql;
    private volatile int rateLimit;

    private GitHubSimulator(Estate estate) throws IOException {
        this.estate = estate;
        this.rateLimit = estate.rateLimit().limit();
        this.faults = new FaultInjector(estate.faults());
        this.graphql = new GraphQlEndpoint(estate);
        this.server = Loopback.start("github-sim", this::handle);
        this.baseUrl = server.url();
        this.payloads = new Payloads(baseUrl, estate.webUrl());
        this.pager = new Pager(baseUrl);
        this.git = new GitEndpoints(estate, payloads, pager);
    }

    public static GitHubSimulator start(Estate estate) {
        try {
            return new GitHubSimulator(estate);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the GitHub simulator", e);
        }
    }

    public static GitHubSimulator start(Path estateYaml) {
        return start(EstateLoader.load(estateYaml));
    }

    /** The bundled sample organization ({@value #SAMPLE_ESTATE} on the classpath), as `breachwalk demo` scans it. */
    public static GitHubSimulator startSample() {
        return start(EstateLoader.loadResource(SAMPLE_ESTATE));
    }

    /**
     * Starts the simulator on the bundled sample estate and says how to scan it (no network, no real token): its
     * organizations as --github-org, GITHUB_TOKEN holding the estate's first token.
     */
    public static DemoEstate<GitHubSimulator> startDemo() {
        GitHubSimulator sim = startSample();
        List<String> orgs = sim.estate().orgs().stream().map(Estate.Org::login).toList();
        List<String> args = new ArrayList<>(List.of("--github-url", sim.baseUrl()));
        orgs.forEach(org -> args.addAll(List.of("--github-org", org)));
        return new DemoEstate<>(sim, Map.of("GITHUB_TOKEN", sim.defaultToken()), args,
                "GitHub organization " + String.join(", ", orgs) + " at " + sim.baseUrl());
    }

    @Override
    public String provider() {
        return "github-actions";
    }

    /** e.g. http://127.0.0.1:PORT, the value for --github-url. */
    @Override
    public String baseUrl() {
        return baseUrl;
    }

    public Estate estate() {
        return estate;
    }

    /** The value of the estate's token with that name (for tests and the demo; never printed). */
    public String token(String name) {
        return estate.tokens().stream().filter(t -> t.name().equals(name)).map(Token::value).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no token named " + name + " in the estate"));
    }

    /** The first token of the estate: the one the demo scans with. */
    public String defaultToken() {
        if (estate.tokens().isEmpty()) {
            throw new IllegalStateException("the estate lists no tokens");
        }
        return estate.tokens().get(0).value();
    }

    public List<RecordedRequest> requests() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** The POST /graphql side: its query and point counts and its budget (REST requests to it are in the log too). */
    public GraphQlEndpoint graphql() {
        return graphql;
    }

    public int requestCount() {
        return log.size();
    }

    public long count(Predicate<RecordedRequest> which) {
        return requests().stream().filter(which).count();
    }

    /** Requests whose path (without query) matches the regex. */
    public long count(String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        return count(r -> p.matcher(r.path()).matches());
    }

    public void clearRequests() {
        log.clear();
    }

    /** Primary rate limit per token and reset period; also resets the counters. */
    public void setRateLimit(int limit) {
        this.rateLimit = limit;
        buckets.clear();
    }

    public void setFaults(Faults config) {
        faults.configure(config);
    }

    @Override
    public void close() {
        server.close();
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Thrown to drop the connection (reset, truncated body). */
    private static final class Abort extends IOException {
        Abort(String why) {
            super(why);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        String query = ex.getRequestURI().getRawQuery();
        try {
            Reply reply;
            String fault = null;
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String tokenValue = tokenValue(auth);
            Token token = tokenValue == null ? null : estate.token(tokenValue).orElse(null);
            RateWindow bucket = bucket(token);
            if (path.startsWith("/_sim/logs/")) {
                // The signed log URL of a redirect: like the real blob storage it needs no Authorization.
                reply = serveLog(path, query);
            } else if (tokenValue != null && token == null) {
                reply = Reply.error(401, "Bad credentials");
            } else if (GraphQlEndpoint.serves(path) && method.equals("POST")) {
                fault = faults.decide(method, path, query);
                reply = graphqlReply(ex, token, fault, bucket);
                if (reply == null) {
                    record(method, path, query, -1, token, fault);
                    throw new Abort("injected connection reset");
                }
            } else {
                fault = faults.decide(method, path, query);
                if (fault != null && FaultInjector.MALFORMED.contains(fault)) {
                    // The real answer, then bent out of shape: the status still says all is well.
                    reply = route(method, path, QueryString.parse(query), token);
                    reply = conditional(ex, reply, bucket, path);
                    if (reply.status() == 200 || fault.equals("html-200")) {
                        Malformed.Answer m = Malformed.apply(fault, reply.body(), reply.contentType());
                        Map<String, String> h = new LinkedHashMap<>(reply.headers());
                        h.remove("ETag");
                        reply = new Reply(200, h, m.body(), m.contentType());
                    }
                } else if (fault != null && !"slow".equals(fault) && !"truncated".equals(fault)) {
                    reply = faultReply(fault, bucket);
                    if (reply == null) {
                        record(method, path, query, -1, token, fault);
                        throw new Abort("injected connection reset"); // the server drops the connection
                    }
                } else {
                    if ("slow".equals(fault)) {
                        sleep(faults.slowMillis());
                    }
                    reply = route(method, path, QueryString.parse(query), token);
                    reply = conditional(ex, reply, bucket, path);
                }
            }
            if (!reply.headers().containsKey("X-RateLimit-Limit")) {
                rateHeaders(bucket, reply.headers());
            }
            // Recorded before the answer goes out, so a client's next request can never be logged first.
            record(method, path, query, reply.status(), token, fault);
            write(ex, reply, "truncated".equals(fault));
        } catch (RuntimeException e) {
            record(method, path, query, 500, null, null);
            write(ex, Reply.error(500, "Server Error: " + e.getMessage()), false);
        } finally {
            ex.close();
        }
    }

    /** POST /graphql, with injected faults as a GraphQL client meets them; null: drop the connection. */
    private Reply graphqlReply(HttpExchange ex, Token token, String fault, RateWindow bucket) throws IOException {
        boolean malformed = fault != null && FaultInjector.MALFORMED.contains(fault);
        if (fault != null && !malformed && !GraphQlEndpoint.answersDespite(fault)) {
            return faultReply(fault, bucket);
        }
        if ("slow".equals(fault)) {
            sleep(faults.slowMillis());
        }
        GraphQlEndpoint.Answer a = graphql.execute(token == null ? null : token.name(), ex.getRequestBody().readAllBytes(),
                "rate-limit".equals(fault));
        Reply reply = new Reply(a.status(), new LinkedHashMap<>(a.headers()), a.body(), "application/json; charset=utf-8");
        if (malformed && (a.status() == 200 || fault.equals("html-200"))) {
            Malformed.Answer m = Malformed.apply(fault, reply.body(), reply.contentType());
            reply = new Reply(200, reply.headers(), m.body(), m.contentType());
        }
        return reply;
    }

    private void record(String method, String path, String query, int status, Token token, String fault) {
        log.add(new RecordedRequest(Instant.now(), method, path, query, status, token == null ? null : token.name(),
                fault));
    }

    private static String tokenValue(String auth) {
        if (auth == null || auth.isBlank()) {
            return null;
        }
        String a = auth.trim();
        int space = a.indexOf(' ');
        String scheme = space < 0 ? "" : a.substring(0, space).toLowerCase();
        String value = space < 0 ? a : a.substring(space + 1).trim();
        if (scheme.equals("basic")) {
            String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            return decoded.substring(decoded.indexOf(':') + 1);
        }
        return value;
    }

    private Reply faultReply(String kind, RateWindow bucket) {
        Map<String, String> h = new LinkedHashMap<>();
        switch (kind) {
            case "500": return Reply.error(500, "Server Error");
            case "502": return Reply.error(502, "Server Error");
            case "503": return Reply.error(503, "Service Unavailable");
            case "reset": return null;
            case "secondary-403":
                h.put("Retry-After", Integer.toString(faults.retryAfter()));
                h.put("gh-limited-by", "search-elapsed-time-shared-grouped");
                return Reply.json(403, Payloads.message("You have exceeded a secondary rate limit. Please wait a few "
                        + "minutes before you try again", DOCS), h);
            case "secondary-429":
                h.put("Retry-After", Integer.toString(faults.retryAfter()));
                return Reply.json(429, Payloads.message("You have exceeded a secondary rate limit. Please wait a few "
                        + "minutes before you try again", DOCS), h);
            case "rate-limit":
                bucket.exhaust();
                return Reply.error(403, "API rate limit exceeded for user ID 1.");
            default:
                throw new IllegalStateException("unknown fault kind " + kind);
        }
    }

    /** ETag on every 200; If-None-Match answers 304, which does not count against the primary limit (like GitHub). */
    private Reply conditional(HttpExchange ex, Reply reply, RateWindow bucket, String path) {
        boolean free = path.equals("/rate_limit");
        if (reply.status() == 200 && reply.contentType().startsWith("application/json")) {
            String etag = "W/\"" + Payloads.sha1(reply.body()) + "\"";
            reply.headers().put("ETag", etag);
            String ifNoneMatch = ex.getRequestHeaders().getFirst("If-None-Match");
            if (etag.equals(ifNoneMatch)) {
                return new Reply(304, reply.headers(), new byte[0], reply.contentType());
            }
        }
        if (!free && !bucket.take()) {
            Map<String, String> h = new LinkedHashMap<>();
            return Reply.json(403, Payloads.message("API rate limit exceeded for user ID 1. If you reach out to GitHub "
                    + "Support for help, please include the request ID.", DOCS
                    + "/overview/rate-limits-for-the-rest-api"), h);
        }
        return reply;
    }

    private void write(HttpExchange ex, Reply reply, boolean truncate) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Server", "GitHub.com");
        h.set("Content-Type", reply.contentType());
        h.set("X-GitHub-Media-Type", "github.v3; format=json");
        h.set("x-github-api-version-selected", "2022-11-28");
        h.set("X-GitHub-Request-Id", "SIM:" + Long.toHexString(requestIds.getAndIncrement()).toUpperCase());
        h.set("Cache-Control", "private, max-age=60, s-maxage=60");
        h.set("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP");
        h.set("Access-Control-Expose-Headers", "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, "
                + "X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset");
        reply.headers().forEach(h::set);
        byte[] body = reply.body();
        if (reply.status() == 304 || reply.status() == 302 || body.length == 0) {
            ex.sendResponseHeaders(reply.status(), -1);
            return;
        }
        ex.sendResponseHeaders(reply.status(), body.length);
        OutputStream out = ex.getResponseBody();
        if (truncate) {
            out.write(body, 0, body.length / 2);
            out.flush();
            throw new Abort("injected truncated body");
        }
        out.write(body);
        out.flush();
    }

    // --- routing ---------------------------------------------------------------------------------------------------

    private Reply route(String method, String rawPath, QueryString q, Token token) {
        if (!method.equals("GET")) {
            return Reply.error(404, "Not Found");
        }
        List<String> s = segments(rawPath);
        if (s.size() >= 2 && s.get(0).equals("repositories")) {
            // The /repositories/{id}/... form GitHub uses in Link headers.
            try {
                Optional<Repo> r = estate.repoById(Long.parseLong(s.get(1)));
                if (r.isEmpty()) {
                    return Reply.error(404, "Not Found");
                }
                List<String> rest = new ArrayList<>(List.of("repos", r.get().owner(), r.get().name()));
                rest.addAll(s.subList(2, s.size()));
                s = rest;
            } catch (NumberFormatException e) {
                return Reply.error(404, "Not Found");
            }
        }
        if (s.equals(List.of("rate_limit"))) {
            return rateLimitReply(token);
        }
        if (s.equals(List.of("user"))) {
            if (token == null) {
                return Reply.error(401, "Requires authentication");
            }
            ObjectNode u = payloads.user(token.login(), 4_242, "User");
            return Reply.json(200, u);
        }
        if (s.size() >= 2 && (s.get(0).equals("orgs") || s.get(0).equals("users"))) {
            Optional<Org> org = estate.org(s.get(1));
            if (org.isEmpty()) {
                return Reply.error(404, "Not Found");
            }
            return orgRoute(org.get(), s.subList(2, s.size()), q, token, s.get(0).equals("orgs"));
        }
        if (s.size() >= 3 && s.get(0).equals("repos")) {
            Optional<Org> org = estate.org(s.get(1));
            Optional<Repo> repo = estate.repo(s.get(1), s.get(2));
            if (repo.isEmpty() || (repo.get().isPrivate() && token == null)) {
                return Reply.error(404, "Not Found");
            }
            return repoRoute(org.get(), repo.get(), s.subList(3, s.size()), q, token);
        }
        return Reply.error(404, "Not Found");
    }

    private Reply orgRoute(Org org, List<String> s, QueryString q, Token token, boolean orgsPrefix) {
        if (s.isEmpty()) {
            return Reply.json(200, payloads.org(org));
        }
        if (s.equals(List.of("repos"))) {
            List<JsonNode> repos = org.repos().stream().filter(r -> token != null || !r.isPrivate())
                    .sorted(Comparator.comparing(Repo::name, String.CASE_INSENSITIVE_ORDER))
                    .map(r -> (JsonNode) payloads.repo(r, org.id())).toList();
            return page(repos, q, "/orgs/" + org.login() + "/repos", null, -1);
        }
        if (orgsPrefix && s.size() >= 2 && s.get(0).equals("actions") && s.get(1).equals("secrets")) {
            if (token == null) {
                return Reply.error(401, "Requires authentication");
            }
            if (!token.readOrgSecrets()) {
                return Reply.error(403, "Resource not accessible by integration");
            }
            if (s.size() == 2) {
                List<JsonNode> all = org.secrets().stream().map(x -> (JsonNode) payloads.orgSecret(org, x)).toList();
                return page(all, q, "/orgs/" + org.login() + "/actions/secrets", "secrets", -1);
            }
            Optional<OrgSecret> secret = org.secrets().stream().filter(x -> x.name().equalsIgnoreCase(s.get(2))).findFirst();
            if (secret.isEmpty()) {
                return Reply.error(404, "Not Found");
            }
            if (s.size() == 3) {
                return Reply.json(200, payloads.orgSecret(org, secret.get()));
            }
            if (s.size() == 4 && s.get(3).equals("repositories")) {
                if (!"selected".equals(secret.get().visibility())) {
                    return Reply.error(409, "The secret's visibility is not set to selected");
                }
                List<JsonNode> repos = org.repos().stream()
                        .filter(r -> secret.get().selectedRepos().stream().anyMatch(n -> n.equalsIgnoreCase(r.name())))
                        .map(r -> (JsonNode) payloads.repo(r, org.id())).toList();
                return page(repos, q, "/orgs/" + org.login() + "/actions/secrets/" + secret.get().name()
                        + "/repositories", "repositories", -1);
            }
        }
        return Reply.error(404, "Not Found");
    }

    private Reply repoRoute(Org org, Repo repo, List<String> s, QueryString q, Token token) {
        String base = "/repos/" + repo.fullName();
        if (s.isEmpty()) {
            return Reply.json(200, payloads.repo(repo, org.id()));
        }
        if (s.get(0).equals("contents")) {
            return git.contents(repo, String.join("/", s.subList(1, s.size())), q.get("ref"));
        }
        if (s.size() == 1 && s.get(0).equals("commits")) {
            return git.commits(repo, q);
        }
        if (s.size() == 1 && s.get(0).equals("branches")) {
            List<JsonNode> branches = new ArrayList<>();
            new TreeMap<>(repo.branches()).forEach((name, sha) -> {
                ObjectNode b = Payloads.JSON.createObjectNode();
                b.put("name", name);
                b.putObject("commit").put("sha", sha).put("url", baseUrl + base + "/commits/" + sha);
                b.put("protected", false);
                branches.add(b);
            });
            return page(branches, q, base + "/branches", null, -1);
        }
        if (s.size() == 1 && s.get(0).equals("pulls")) {
            return git.pulls(repo, q);
        }
        if (s.size() == 1 && s.get(0).equals("environments")) {
            List<JsonNode> envs = repo.environments().stream().map(e -> (JsonNode) payloads.environment(repo, e)).toList();
            return page(envs, q, base + "/environments", "environments", -1);
        }
        if (s.size() == 3 && s.get(0).equals("environments") && s.get(2).equals("secrets")) {
            Optional<Environment> env = repo.environments().stream().filter(e -> e.name().equals(s.get(1))).findFirst();
            if (env.isEmpty()) {
                return Reply.error(404, "Not Found");
            }
            Reply denied = secretsDenied(token);
            if (denied != null) {
                return denied;
            }
            List<JsonNode> secrets = env.get().secrets().stream().map(x -> (JsonNode) Payloads.secret(x)).toList();
            return page(secrets, q, base + "/environments/" + s.get(1) + "/secrets", "secrets", -1);
        }
        if (s.get(0).equals("actions") && s.size() >= 2) {
            return actions(org, repo, s.subList(1, s.size()), q, token);
        }
        return Reply.error(404, "Not Found");
    }

    private Reply secretsDenied(Token token) {
        if (token == null) {
            return Reply.error(401, "Requires authentication");
        }
        return token.readSecrets() ? null : Reply.error(403, "Resource not accessible by integration");
    }

    private Reply actions(Org org, Repo repo, List<String> s, QueryString q, Token token) {
        String base = "/repos/" + repo.fullName() + "/actions";
        switch (s.get(0)) {
            case "secrets": {
                if (s.size() != 1) {
                    return Reply.error(404, "Not Found");
                }
                Reply denied = secretsDenied(token);
                if (denied != null) {
                    return denied;
                }
                List<JsonNode> secrets = repo.secrets().stream().map(x -> (JsonNode) Payloads.secret(x)).toList();
                return page(secrets, q, base + "/secrets", "secrets", -1);
            }
            case "organization-secrets": {
                if (s.size() != 1) {
                    return Reply.error(404, "Not Found");
                }
                Reply denied = secretsDenied(token);
                if (denied != null) {
                    return denied;
                }
                List<JsonNode> secrets = org.secrets().stream().filter(x -> visibleTo(x, repo))
                        .map(x -> (JsonNode) Payloads.orgSecretForRepo(x)).toList();
                return page(secrets, q, base + "/organization-secrets", "secrets", -1);
            }
            case "workflows": {
                if (s.size() == 1) {
                    List<JsonNode> all = repo.workflows().stream().map(w -> (JsonNode) payloads.workflow(repo, w)).toList();
                    return page(all, q, base + "/workflows", "workflows", -1);
                }
                Optional<Workflow> w = repo.workflows().stream()
                        .filter(x -> Long.toString(x.id()).equals(s.get(1)) || x.path().endsWith("/" + s.get(1)))
                        .findFirst();
                if (w.isEmpty()) {
                    return Reply.error(404, "Not Found");
                }
                if (s.size() == 2) {
                    return Reply.json(200, payloads.workflow(repo, w.get()));
                }
                if (s.size() == 3 && s.get(2).equals("runs")) {
                    return listRuns(org, repo, q, w.get(), base + "/workflows/" + s.get(1) + "/runs");
                }
                return Reply.error(404, "Not Found");
            }
            case "runs":
                return runs(org, repo, s.subList(1, s.size()), q);
            case "jobs": {
                if (s.size() < 2) {
                    return Reply.error(404, "Not Found");
                }
                Optional<JobRef> ref = findJob(repo, s.get(1));
                if (ref.isEmpty()) {
                    return Reply.error(404, "Not Found");
                }
                if (s.size() == 2) {
                    return Reply.json(200, payloads.job(repo, ref.get().run(), ref.get().attempt(), ref.get().job()));
                }
                if (s.size() == 3 && s.get(2).equals("logs")) {
                    return jobLogRedirect(repo, ref.get().job());
                }
                return Reply.error(404, "Not Found");
            }
            default:
                return Reply.error(404, "Not Found");
        }
    }

    private static boolean visibleTo(OrgSecret secret, Repo repo) {
        return switch (secret.visibility()) {
            case "all" -> true;
            case "private" -> repo.isPrivate();
            case "selected" -> secret.selectedRepos().stream().anyMatch(n -> n.equalsIgnoreCase(repo.name()));
            default -> false;
        };
    }

    private Reply runs(Org org, Repo repo, List<String> s, QueryString q) {
        String base = "/repos/" + repo.fullName() + "/actions/runs";
        if (s.isEmpty()) {
            return listRuns(org, repo, q, null, base);
        }
        Optional<Run> run;
        try {
            run = repo.run(Long.parseLong(s.get(0)));
        } catch (NumberFormatException e) {
            return Reply.error(404, "Not Found");
        }
        if (run.isEmpty()) {
            return Reply.error(404, "Not Found");
        }
        Run r = run.get();
        String runBase = base + "/" + r.id();
        if (s.size() == 1) {
            return Reply.json(200, runJson(org, repo, r, r.latest()));
        }
        if (s.size() == 2 && s.get(1).equals("jobs")) {
            String filter = q.get("filter") == null ? "latest" : q.get("filter");
            List<JsonNode> jobs = new ArrayList<>();
            for (Attempt a : repo.history().jobsArchived() ? List.<Attempt>of() : r.attempts()) {
                if (filter.equals("all") || a == r.latest()) {
                    a.jobs().forEach(j -> jobs.add(payloads.job(repo, r, a, j)));
                }
            }
            if (!filter.equals("all") && !filter.equals("latest")) {
                return Reply.error(422, "Validation Failed");
            }
            return page(jobs, q, runBase + "/jobs", "jobs", -1);
        }
        if (s.size() >= 3 && s.get(1).equals("attempts")) {
            int n;
            try {
                n = Integer.parseInt(s.get(2));
            } catch (NumberFormatException e) {
                return Reply.error(404, "Not Found");
            }
            if (n < 1 || n > r.attempts().size()) {
                return Reply.error(404, "Not Found");
            }
            Attempt a = r.attempts().get(n - 1);
            if (s.size() == 3) {
                return Reply.json(200, runJson(org, repo, r, a));
            }
            if (s.size() == 4 && s.get(3).equals("jobs")) {
                List<JsonNode> jobs = a.jobs().stream().map(j -> (JsonNode) payloads.job(repo, r, a, j)).toList();
                return page(jobs, q, runBase + "/attempts/" + n + "/jobs", "jobs", -1);
            }
        }
        return Reply.error(404, "Not Found");
    }

    private ObjectNode runJson(Org org, Repo repo, Run r, Attempt a) {
        Repo headRepo = null;
        if (r.headRepository() != null) {
            String[] parts = r.headRepository().split("/", 2);
            headRepo = estate.repo(parts[0], parts[1]).orElse(null);
        }
        return payloads.run(repo, org.id(), r, a, headRepo);
    }

    /** Newest first; with a capping filter GitHub stops after 1,000 results but still reports the full total_count. */
    private Reply listRuns(Org org, Repo repo, QueryString q, Workflow workflow, String path) {
        Stream<Run> runs = repo.runs().stream().filter(r -> !repo.history().hides(r));
        if (workflow != null) {
            runs = runs.filter(r -> r.workflow().id() == workflow.id());
        }
        if (q.get("created") != null) {
            CreatedFilter f;
            try {
                f = CreatedFilter.parse(q.get("created"));
            } catch (IllegalArgumentException e) {
                return Reply.error(422, "Validation Failed");
            }
            runs = runs.filter(r -> f.contains(r.createdAt()));
        }
        if (q.get("branch") != null) {
            runs = runs.filter(r -> r.headBranch().equals(q.get("branch")));
        }
        if (q.get("event") != null) {
            runs = runs.filter(r -> r.event().equals(q.get("event")));
        }
        if (q.get("head_sha") != null) {
            runs = runs.filter(r -> r.headSha().equals(q.get("head_sha")));
        }
        if (q.get("actor") != null) {
            runs = runs.filter(r -> r.actor().equals(q.get("actor")));
        }
        if (q.get("status") != null) {
            String st = q.get("status");
            runs = runs.filter(r -> st.equals(Payloads.status(r.latest())) || st.equals(Payloads.conclusion(r.latest())));
        }
        List<Run> list = runs.sorted(Comparator.comparing(Run::createdAt).thenComparingLong(Run::id).reversed()).toList();
        boolean capped = CAPPING_FILTERS.stream().anyMatch(f -> q.get(f) != null);
        // Link headers name the numeric repository form, as GitHub's do.
        String linkPath = workflow == null ? "/repositories/" + repo.id() + "/actions/runs" : path;
        return page(list, r -> runJson(org, repo, r, r.latest()), q, linkPath, "workflow_runs", capped ? RESULT_CAP : -1);
    }

    private record JobRef(Run run, Attempt attempt, Job job) {}

    private static Optional<JobRef> findJob(Repo repo, String id) {
        long jobId;
        try {
            jobId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        for (Run r : repo.runs()) {
            for (Attempt a : r.attempts()) {
                for (Job j : a.jobs()) {
                    if (j.id() == jobId) {
                        return Optional.of(new JobRef(r, a, j));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** 302 to a short-lived "signed" URL; once logs have expired GitHub answers 410 (or 404 after deletion). */
    private Reply jobLogRedirect(Repo repo, Job job) {
        int status = job.logStatus() == 0 ? estate.defaultLogStatus() : job.logStatus();
        if (status == 410) {
            return Reply.error(410, "Gone");
        }
        if (status != 200) {
            return Reply.error(404, "Not Found");
        }
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Location", baseUrl + "/_sim/logs/" + repo.id() + "/" + job.id() + "?urlExpires="
                + Instant.now().plusSeconds(60).getEpochSecond() + "&urlSignature=" + Payloads.sha1(repo.id() + ":" + job.id()));
        return new Reply(302, h, new byte[0], "text/html;charset=utf-8");
    }

    private Reply serveLog(String path, String query) {
        List<String> s = segments(path);
        if (s.size() == 4) {
            try {
                Optional<Repo> repo = estate.repoById(Long.parseLong(s.get(2)));
                if (repo.isPresent()) {
                    Optional<JobRef> ref = findJob(repo.get(), s.get(3));
                    if (ref.isPresent() && ref.get().job().log() != null) {
                        return new Reply(200, new LinkedHashMap<>(), ref.get().job().log().getBytes(StandardCharsets.UTF_8),
                                "text/plain; charset=utf-8");
                    }
                }
            } catch (NumberFormatException e) {
                // fall through to 404
            }
        }
        return new Reply(404, new LinkedHashMap<>(), "BlobNotFound".getBytes(StandardCharsets.UTF_8), "text/plain");
    }

    private Reply rateLimitReply(Token token) {
        RateWindow b = bucket(token);
        ObjectNode root = Payloads.JSON.createObjectNode();
        ObjectNode core = rateJson(b);
        ObjectNode resources = root.putObject("resources");
        resources.set("core", core);
        // github-api insists on these resources being present, as they are on github.com.
        for (String other : List.of("search", "graphql", "integration_manifest", "source_import", "code_search")) {
            ObjectNode n = resources.putObject(other);
            int limit = other.equals("search") ? 30 : other.equals("code_search") ? 10 : 5000;
            n.put("limit", limit);
            n.put("used", 0);
            n.put("remaining", limit);
            n.put("reset", core.get("reset").asLong());
        }
        resources.set("graphql", graphql.resource(token == null ? null : token.name()));
        root.set("rate", core.deepCopy());
        return Reply.json(200, root);
    }

    /** One page of a list, with GitHub's Link headers ({@link Pager}). */
    private Reply page(List<JsonNode> all, QueryString q, String path, String field, int cap) {
        return pager.page(all, q, path, field, cap);
    }

    /** As above, turning only the items of the page into JSON (run listings can be long). */
    private <T> Reply page(List<T> all, Function<T, JsonNode> toJson, QueryString q, String path, String field, int cap) {
        return pager.page(all, toJson, q, path, field, cap);
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String part : rawPath.split("/")) {
            if (!part.isEmpty()) {
                out.add(URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The core limit as GitHub reports it on every REST answer. */
    private static void rateHeaders(RateWindow bucket, Map<String, String> h) {
        RateWindow.Snapshot s = bucket.snapshot();
        h.put("X-RateLimit-Limit", Integer.toString(s.limit()));
        h.put("X-RateLimit-Remaining", Integer.toString(s.remaining()));
        h.put("X-RateLimit-Reset", Long.toString(s.resetEpochSeconds()));
        h.put("X-RateLimit-Used", Integer.toString(s.used()));
        h.put("X-RateLimit-Resource", "core");
    }

    /** The core limit as /rate_limit reports it. */
    private static ObjectNode rateJson(RateWindow bucket) {
        RateWindow.Snapshot s = bucket.snapshot();
        ObjectNode n = Payloads.JSON.createObjectNode();
        n.put("limit", s.limit());
        n.put("used", s.used());
        n.put("remaining", s.remaining());
        n.put("reset", s.resetEpochSeconds());
        return n;
    }

    private RateWindow bucket(Token token) {
        String key = token == null ? "anonymous" : token.name();
        int limit = token == null ? 60 : rateLimit;
        return buckets.computeIfAbsent(key, k -> new RateWindow(limit, estate.rateLimit().resetSeconds()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
