package io.breachwalk.sim.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.breachwalk.sim.github.Estate.Attempt;
import io.breachwalk.sim.github.Estate.Commit;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A GitHub REST API on loopback that serves an {@link Estate} the way api.github.com does for the endpoints the
 * walk uses: response shapes, Link pagination, per_page limits, the 1,000-result cap of filtered run listings,
 * 302 + 410 for job logs, 401/403/404 answers, X-RateLimit-* headers and a primary limit, plus seeded faults.
 * Every request is recorded ({@link #requests()}) so tests can check request economy.
 */
public final class GitHubSimulator implements AutoCloseable {
    /** GitHub stops filtered run listings after this many results, whatever total_count says. */
    public static final int RESULT_CAP = 1000;
    public static final String SAMPLE_ESTATE = "samples/github/estate.yaml";

    private static final String DOCS = "https://docs.github.com/rest";
    private static final List<String> CAPPING_FILTERS =
            List.of("actor", "branch", "check_suite_id", "created", "event", "head_sha", "status");

    private final Estate estate;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;
    private final Payloads payloads;
    private final List<RecordedRequest> log = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong(1);
    private final FaultInjector faults;
    private final GraphQlEndpoint graphql;
    private volatile int rateLimit;

    private GitHubSimulator(Estate estate) throws IOException {
        this.estate = estate;
        this.rateLimit = estate.rateLimit().limit();
        this.faults = new FaultInjector(estate.faults());
        this.graphql = new GraphQlEndpoint(estate);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "github-sim");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        this.baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        this.payloads = new Payloads(baseUrl, estate.webUrl());
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
     * What `breachwalk demo` needs to scan the sample estate: the running simulator (close it after the scan), the
     * value for --github-url, the organizations to pass as --github-org, and the environment holding GITHUB_TOKEN.
     */
    public record Demo(GitHubSimulator simulator, String githubUrl, List<String> orgs, Map<String, String> env)
            implements AutoCloseable {
        @Override
        public void close() {
            simulator.close();
        }
    }

    /** Starts the simulator on the bundled sample estate and says how to scan it (no network, no real token). */
    public static Demo startDemo() {
        GitHubSimulator sim = startSample();
        return new Demo(sim, sim.baseUrl(), sim.estate().orgs().stream().map(Estate.Org::login).toList(),
                Map.of("GITHUB_TOKEN", sim.defaultToken()));
    }

    /** e.g. http://127.0.0.1:PORT, the value for --github-url. */
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
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** An answer before it is written: status, headers, body. */
    private record Reply(int status, Map<String, String> headers, byte[] body, String contentType) {
        static Reply json(int status, JsonNode body) {
            return json(status, body, new LinkedHashMap<>());
        }

        static Reply json(int status, JsonNode body, Map<String, String> headers) {
            try {
                return new Reply(status, headers, Payloads.JSON.writeValueAsBytes(body), "application/json; charset=utf-8");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Reply error(int status, String message) {
            return json(status, Payloads.message(message, DOCS));
        }
    }

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
            Bucket bucket = bucket(token);
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
                    reply = route(method, path, Query.parse(query), token);
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
                    reply = route(method, path, Query.parse(query), token);
                    reply = conditional(ex, reply, bucket, path);
                }
            }
            if (!reply.headers().containsKey("X-RateLimit-Limit")) {
                bucket.headers(reply.headers());
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
    private Reply graphqlReply(HttpExchange ex, Token token, String fault, Bucket bucket) throws IOException {
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

    private Reply faultReply(String kind, Bucket bucket) {
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
    private Reply conditional(HttpExchange ex, Reply reply, Bucket bucket, String path) {
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

    private Reply route(String method, String rawPath, Query q, Token token) {
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

    private Reply orgRoute(Org org, List<String> s, Query q, Token token, boolean orgsPrefix) {
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

    private Reply repoRoute(Org org, Repo repo, List<String> s, Query q, Token token) {
        String base = "/repos/" + repo.fullName();
        if (s.isEmpty()) {
            return Reply.json(200, payloads.repo(repo, org.id()));
        }
        if (s.get(0).equals("contents")) {
            return contents(repo, String.join("/", s.subList(1, s.size())), q.get("ref"));
        }
        if (s.size() == 1 && s.get(0).equals("commits")) {
            return commits(repo, q);
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
            return pulls(repo, q);
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

    private Reply actions(Org org, Repo repo, List<String> s, Query q, Token token) {
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

    private Reply runs(Org org, Repo repo, List<String> s, Query q) {
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
    private Reply listRuns(Org org, Repo repo, Query q, Workflow workflow, String path) {
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

    /**
     * The commits API: the history reachable from {@code sha} (a branch or commit; the default branch when absent),
     * newest first, only commits that changed something under {@code path}, committed in [since, until].
     */
    private Reply commits(Repo repo, Query q) {
        Optional<Commit> start = repo.resolve(q.get("sha"));
        if (start.isEmpty()) {
            return Reply.error(404, "No commit found for SHA: " + q.get("sha"));
        }
        Instant since;
        Instant until;
        try {
            since = q.get("since") == null ? null : OffsetDateTime.parse(q.get("since")).toInstant();
            until = q.get("until") == null ? null : OffsetDateTime.parse(q.get("until")).toInstant();
        } catch (RuntimeException e) {
            return Reply.error(422, "Validation Failed");
        }
        String path = q.get("path");
        List<Commit> chain = new ArrayList<>();
        for (Commit c = start.get(); c != null; c = c.parent() == null ? null : repo.commit(c.parent()).orElse(null)) {
            chain.add(c);
            if (chain.size() > 100_000) {
                break;
            }
        }
        List<JsonNode> out = new ArrayList<>();
        for (Commit c : chain) {
            if ((since != null && c.date().isBefore(since)) || (until != null && c.date().isAfter(until))) {
                continue;
            }
            Commit parent = c.parent() == null ? null : repo.commit(c.parent()).orElse(null);
            if (path != null && !path.isEmpty() && !touches(c, parent, path)) {
                continue;
            }
            ObjectNode n = Payloads.JSON.createObjectNode();
            n.put("sha", c.sha());
            ObjectNode commit = n.putObject("commit");
            commit.putObject("author").put("name", "dev").put("date", c.date().toString());
            commit.putObject("committer").put("name", "dev").put("date", c.date().toString());
            commit.put("message", c.message());
            ArrayNode parents = n.putArray("parents");
            if (c.parent() != null) {
                parents.addObject().put("sha", c.parent());
            }
            n.put("html_url", estate.webUrl() + "/" + repo.fullName() + "/commit/" + c.sha());
            out.add(n);
        }
        return page(out, q, "/repositories/" + repo.id() + "/commits", null, -1);
    }

    private static boolean touches(Commit c, Commit parent, String path) {
        String prefix = path.endsWith("/") ? path : path + "/";
        Map<String, String> before = parent == null ? Map.of() : parent.files();
        java.util.Set<String> names = new java.util.HashSet<>(c.files().keySet());
        names.addAll(before.keySet());
        for (String f : names) {
            if ((f.equals(path) || f.startsWith(prefix)) && !java.util.Objects.equals(c.files().get(f), before.get(f))) {
                return true;
            }
        }
        return false;
    }

    /** Pull requests, most recently updated first (state=all|open|closed). */
    private Reply pulls(Repo repo, Query q) {
        String state = q.get("state") == null ? "open" : q.get("state");
        boolean asc = "asc".equals(q.get("direction"));
        String sort = q.get("sort") == null ? "created" : q.get("sort");
        Comparator<Estate.Pull> order = Comparator.comparing(sort.equals("updated") ? Estate.Pull::updatedAt
                : Estate.Pull::createdAt);
        List<JsonNode> out = new ArrayList<>();
        for (Estate.Pull p : repo.history().pulls().stream().sorted(asc ? order : order.reversed()).toList()) {
            if (!state.equals("all") && !state.equals(p.state())) {
                continue;
            }
            ObjectNode n = Payloads.JSON.createObjectNode();
            n.put("number", p.number());
            n.put("state", p.state());
            n.put("created_at", p.createdAt().toString());
            n.put("updated_at", p.updatedAt().toString());
            n.put("html_url", estate.webUrl() + "/" + repo.fullName() + "/pull/" + p.number());
            ObjectNode head = n.putObject("head");
            head.put("ref", p.headRef());
            head.put("sha", p.headSha());
            head.putObject("repo").put("full_name", p.headRepository() == null ? repo.fullName() : p.headRepository());
            n.putObject("base").put("ref", p.base());
            out.add(n);
        }
        return page(out, q, "/repos/" + repo.fullName() + "/pulls", null, -1);
    }

    private Reply contents(Repo repo, String path, String ref) {
        Optional<Commit> commit = repo.resolve(ref);
        if (commit.isEmpty()) {
            return Reply.error(404, "No commit found for the ref " + ref);
        }
        String refShown = ref == null ? repo.defaultBranch() : ref;
        String file = commit.get().files().get(path);
        if (file != null) {
            return Reply.json(200, payloads.file(repo, path, refShown, file));
        }
        // A directory: list its direct children.
        String prefix = path.isEmpty() ? "" : path + "/";
        TreeSet<String> dirs = new TreeSet<>();
        TreeSet<String> files = new TreeSet<>();
        for (String p : commit.get().files().keySet()) {
            if (p.startsWith(prefix)) {
                String rest = p.substring(prefix.length());
                int slash = rest.indexOf('/');
                if (slash < 0) {
                    files.add(rest);
                } else {
                    dirs.add(rest.substring(0, slash));
                }
            }
        }
        if (dirs.isEmpty() && files.isEmpty()) {
            return Reply.error(404, "Not Found");
        }
        ArrayNode listing = Payloads.JSON.createArrayNode();
        for (String d : dirs) {
            listing.add(payloads.directoryEntry(repo, prefix + d, refShown, true, null));
        }
        for (String f : files) {
            listing.add(payloads.directoryEntry(repo, prefix + f, refShown, false, commit.get().files().get(prefix + f)));
        }
        return Reply.json(200, listing);
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
        Bucket b = bucket(token);
        ObjectNode root = Payloads.JSON.createObjectNode();
        ObjectNode core = b.json();
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

    /**
     * One page of a list: per_page (default 30, at most 100), page, Link rel=next/last/first/prev, and total_count
     * when {@code field} wraps the list. {@code cap} > 0 stops the listing after that many results.
     */
    private Reply page(List<JsonNode> all, Query q, String path, String field, int cap) {
        return page(all, x -> x, q, path, field, cap);
    }

    /** As above, turning only the items of the page into JSON (run listings can be long). */
    private <T> Reply page(List<T> all, java.util.function.Function<T, JsonNode> toJson, Query q, String path,
                           String field, int cap) {
        int perPage = Math.max(1, Math.min(100, q.intValue("per_page", 30)));
        int page = Math.max(1, q.intValue("page", 1));
        int reachable = cap > 0 ? Math.min(cap, all.size()) : all.size();
        int from = Math.min(reachable, (page - 1) * perPage);
        int to = Math.min(reachable, from + perPage);
        ArrayNode items = Payloads.JSON.createArrayNode();
        all.subList(from, to).forEach(x -> items.add(toJson.apply(x)));
        JsonNode body;
        if (field == null) {
            body = items;
        } else {
            ObjectNode o = Payloads.JSON.createObjectNode();
            o.put("total_count", all.size());
            o.set(field, items);
            body = o;
        }
        int last = Math.max(1, (reachable + perPage - 1) / perPage);
        List<String> links = new ArrayList<>();
        if (page < last) {
            links.add("<" + baseUrl + path + "?" + q.withPage(page + 1) + ">; rel=\"next\"");
            links.add("<" + baseUrl + path + "?" + q.withPage(last) + ">; rel=\"last\"");
        }
        if (page > 1) {
            links.add("<" + baseUrl + path + "?" + q.withPage(1) + ">; rel=\"first\"");
            links.add("<" + baseUrl + path + "?" + q.withPage(Math.min(page - 1, last)) + ">; rel=\"prev\"");
        }
        Map<String, String> h = new LinkedHashMap<>();
        if (!links.isEmpty()) {
            h.put("Link", String.join(", ", links));
        }
        return Reply.json(200, body, h);
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

    private Bucket bucket(Token token) {
        String key = token == null ? "anonymous" : token.name();
        int limit = token == null ? 60 : rateLimit;
        return buckets.computeIfAbsent(key, k -> new Bucket(limit, estate.rateLimit().resetSeconds()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The primary rate limit of one token: a fixed window that resets after resetSeconds. */
    private static final class Bucket {
        private final int limit;
        private final long resetSeconds;
        private int used;
        private long reset;

        Bucket(int limit, long resetSeconds) {
            this.limit = limit;
            this.resetSeconds = resetSeconds;
            this.reset = Instant.now().getEpochSecond() + resetSeconds;
        }

        private void roll() {
            long now = Instant.now().getEpochSecond();
            if (now >= reset) {
                used = 0;
                reset = now + resetSeconds;
            }
        }

        synchronized boolean take() {
            roll();
            if (used >= limit) {
                return false;
            }
            used++;
            return true;
        }

        synchronized void exhaust() {
            roll();
            used = limit;
        }

        synchronized void headers(Map<String, String> h) {
            roll();
            h.put("X-RateLimit-Limit", Integer.toString(limit));
            h.put("X-RateLimit-Remaining", Integer.toString(Math.max(0, limit - used)));
            h.put("X-RateLimit-Reset", Long.toString(reset));
            h.put("X-RateLimit-Used", Integer.toString(used));
            h.put("X-RateLimit-Resource", "core");
        }

        synchronized ObjectNode json() {
            roll();
            ObjectNode n = Payloads.JSON.createObjectNode();
            n.put("limit", limit);
            n.put("used", used);
            n.put("remaining", Math.max(0, limit - used));
            n.put("reset", reset);
            return n;
        }
    }

    /** The query string, decoded, in the order sent (so Link URLs keep the client's parameters). */
    private record Query(List<String[]> params) {
        static Query parse(String raw) {
            List<String[]> params = new ArrayList<>();
            if (raw != null && !raw.isEmpty()) {
                for (String pair : raw.split("&")) {
                    int eq = pair.indexOf('=');
                    String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    params.add(new String[] {k, v});
                }
            }
            return new Query(params);
        }

        String get(String key) {
            for (String[] p : params) {
                if (p[0].equals(key)) {
                    return p[1];
                }
            }
            return null;
        }

        int intValue(String key, int fallback) {
            try {
                return get(key) == null ? fallback : Integer.parseInt(get(key));
            } catch (NumberFormatException e) {
                return fallback;
            }
        }

        String withPage(int page) {
            StringBuilder sb = new StringBuilder();
            boolean done = false;
            for (String[] p : params) {
                if (sb.length() > 0) {
                    sb.append('&');
                }
                if (p[0].equals("page")) {
                    sb.append("page=").append(page);
                    done = true;
                } else {
                    sb.append(encode(p[0])).append('=').append(encode(p[1]));
                }
            }
            if (!done) {
                sb.append(sb.length() > 0 ? "&" : "").append("page=").append(page);
            }
            return sb.toString();
        }

        private static String encode(String s) {
            return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }
}
