package io.breachwalk.sim.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.breachwalk.sim.DemoEstate;
import io.breachwalk.sim.Loopback;
import io.breachwalk.sim.QueryString;
import io.breachwalk.sim.RateWindow;
import io.breachwalk.sim.Simulator;
import io.breachwalk.sim.gitlab.GitLabEstate.Commit;
import io.breachwalk.sim.gitlab.GitLabEstate.FaultRule;
import io.breachwalk.sim.gitlab.GitLabEstate.Faults;
import io.breachwalk.sim.gitlab.GitLabEstate.Group;
import io.breachwalk.sim.gitlab.GitLabEstate.Job;
import io.breachwalk.sim.gitlab.GitLabEstate.Pipeline;
import io.breachwalk.sim.gitlab.GitLabEstate.Project;
import io.breachwalk.sim.gitlab.GitLabEstate.Token;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A GitLab REST API v4 on loopback that serves a {@link GitLabEstate} the way a GitLab instance does for the
 * endpoints the walk uses: response shapes, offset pagination (x-* headers and Link, totals dropped above 10,000),
 * child pipelines hidden from the default listing, retried jobs only on request, erased traces, 401/403/404 answers,
 * RateLimit-* headers with 429 + Retry-After, and seeded faults. Every request is recorded ({@link #requests()}).
 */
public final class GitLabSimulator implements Simulator {
    public static final String SAMPLE_ESTATE = "samples/gitlab/estate.yaml";
    /** GitLab stops counting (x-total, x-total-pages) above this many results. */
    public static final int COUNT_LIMIT = 10_000;
    private static final String API = "/api/v4";
    private static final long BRIDGE_ID_OFFSET = 8_000_000_000L;

    private final GitLabEstate estate;
    private final Loopback server;
    private final String baseUrl;
    private final GitLabJson json;
    private final List<GitLabRequest> log = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, RateWindow> windows = new ConcurrentHashMap<>();
    private volatile int rateLimit;
    private volatile Faults faults;
    private volatile List<Pattern> faultPatterns;
    private volatile AtomicIntegerArray faultHits;

    private GitLabSimulator(GitLabEstate estate) throws IOException {
        this.estate = estate;
        this.rateLimit = estate.rateLimit().limit();
        this.json = new GitLabJson(estate.webUrl(), estate);
        setFaults(estate.faults());
        this.server = Loopback.start("gitlab-sim", this::handle);
        this.baseUrl = server.url();
    }

    public static GitLabSimulator start(GitLabEstate estate) {
        try {
            return new GitLabSimulator(estate);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the GitLab simulator", e);
        }
    }

    public static GitLabSimulator start(Path estateYaml) {
        return start(GitLabEstateLoader.load(estateYaml));
    }

    /** The bundled sample group ({@value #SAMPLE_ESTATE} on the classpath), as `breachwalk demo` scans it. */
    public static GitLabSimulator startSample() {
        return start(GitLabEstateLoader.loadResource(SAMPLE_ESTATE));
    }

    /**
     * Starts the simulator on the bundled sample estate and says how to scan it (no network, no real token): its
     * top-level groups as --gitlab-group, GITLAB_TOKEN holding the estate's first token.
     */
    public static DemoEstate<GitLabSimulator> startDemo() {
        GitLabSimulator sim = startSample();
        List<String> groups = sim.estate().groups().stream().map(Group::fullPath).toList();
        List<String> args = new ArrayList<>(List.of("--gitlab-url", sim.baseUrl()));
        groups.forEach(g -> args.addAll(List.of("--gitlab-group", g)));
        return new DemoEstate<>(sim, Map.of("GITLAB_TOKEN", sim.defaultToken()), args,
                "GitLab group " + String.join(", ", groups) + " at " + sim.baseUrl());
    }

    @Override
    public String provider() {
        return "gitlab-ci";
    }

    /** e.g. http://127.0.0.1:PORT, the value for --gitlab-url (the API is under /api/v4). */
    @Override
    public String baseUrl() {
        return baseUrl;
    }

    public GitLabEstate estate() {
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

    public List<GitLabRequest> requests() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    public int requestCount() {
        return log.size();
    }

    public long count(Predicate<GitLabRequest> which) {
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

    /** Requests per token per window; also resets the counters. */
    public void setRateLimit(int limit) {
        this.rateLimit = limit;
        windows.clear();
    }

    /** Replaces the fault rules (their counters start again). */
    public synchronized void setFaults(Faults config) {
        Faults f = config == null ? Faults.none() : config;
        this.faultPatterns = f.rules().stream().map(r -> Pattern.compile(r.match())).toList();
        this.faultHits = new AtomicIntegerArray(f.rules().size());
        this.faults = f;
    }

    @Override
    public void close() {
        server.close();
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** An answer before it is written. */
    private record Reply(int status, Map<String, String> headers, byte[] body, String contentType) {
        static Reply json(int status, JsonNode body) {
            return json(status, body, new LinkedHashMap<>());
        }

        static Reply json(int status, JsonNode body, Map<String, String> headers) {
            try {
                return new Reply(status, headers, GitLabJson.JSON.writeValueAsBytes(body), "application/json");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Reply error(int status, String message) {
            return json(status, GitLabJson.message(message));
        }

        static Reply text(int status, String body) {
            return new Reply(status, new LinkedHashMap<>(), body.getBytes(StandardCharsets.UTF_8), "text/plain");
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        String query = ex.getRequestURI().getRawQuery();
        try {
            String value = ex.getRequestHeaders().getFirst("PRIVATE-TOKEN");
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (value == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                value = auth.substring(7).trim();
            }
            Token token = value == null ? null : estate.token(value).orElse(null);
            RateWindow window = window(token);
            String fault = null;
            Reply reply;
            if (token == null) {
                reply = Reply.error(401, "401 Unauthorized");
            } else if (!window.take()) {
                reply = Reply.text(429, "Retry later\n");
                reply.headers().put("Retry-After", Long.toString(window.secondsToReset()));
            } else if ((fault = decideFault(path, query)) != null) {
                reply = faultReply(fault);
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                reply = Reply.error(405, "405 Method Not Allowed");
            } else if (!path.startsWith(API + "/")) {
                reply = Reply.error(404, "404 Not Found");
            } else {
                reply = route(segments(path.substring(API.length())), QueryString.parse(query), token);
            }
            rateHeaders(window, reply.headers());
            // Recorded before the answer goes out, so a client's next request can never be logged first.
            log.add(new GitLabRequest(Instant.now(), method, path, query, reply.status(),
                    token == null ? null : token.name(), fault));
            reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            ex.getResponseHeaders().set("Content-Type", reply.contentType());
            byte[] body = method.equals("HEAD") ? new byte[0] : reply.body();
            ex.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (RuntimeException e) {
            byte[] body = GitLabJson.JSON.writeValueAsBytes(GitLabJson.message("500 Internal Server Error"));
            ex.sendResponseHeaders(500, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        } finally {
            ex.close();
        }
    }

    private String decideFault(String path, String query) {
        Faults f = faults;
        String url = query == null ? path : path + "?" + query;
        for (int i = 0; i < f.rules().size(); i++) {
            FaultRule rule = f.rules().get(i);
            if (faultPatterns.get(i).matcher(url).find() && faultHits.getAndIncrement(i) < rule.times()) {
                return rule.kind();
            }
        }
        return null;
    }

    private Reply faultReply(String kind) {
        if (kind.equals("429")) {
            Reply r = Reply.text(429, "Retry later\n");
            r.headers().put("Retry-After", Integer.toString(faults.retryAfterSeconds()));
            return r;
        }
        int status = Integer.parseInt(kind);
        return Reply.error(status, status + (status == 500 ? " Internal Server Error"
                : status == 502 ? " Bad Gateway" : " Service Unavailable"));
    }

    private Reply route(List<String> s, QueryString q, Token token) {
        if (s.equals(List.of("version"))) {
            ObjectNode v = GitLabJson.JSON.createObjectNode();
            v.put("version", "16.11.0-ee");
            v.put("revision", "1a2b3c4d");
            return Reply.json(200, v);
        }
        if (s.equals(List.of("user"))) {
            return Reply.json(200, json.user(token));
        }
        if (s.equals(List.of("admin", "ci", "variables"))) {
            if (!token.admin()) {
                return Reply.error(403, "403 Forbidden");
            }
            return page(estate.instanceVariables(), v -> GitLabJson.variable(v, false), q, "/admin/ci/variables");
        }
        if (s.size() >= 2 && s.get(0).equals("groups")) {
            Optional<Group> g = estate.group(s.get(1));
            return g.isEmpty() ? Reply.error(404, "404 Group Not Found") : groupRoute(g.get(), s.subList(2, s.size()), q, token);
        }
        if (s.size() >= 2 && s.get(0).equals("projects")) {
            Optional<Project> p = estate.project(s.get(1));
            return p.isEmpty() ? Reply.error(404, "404 Project Not Found")
                    : projectRoute(p.get(), s.subList(2, s.size()), q, token);
        }
        return Reply.error(404, "404 Not Found");
    }

    private Reply groupRoute(Group g, List<String> s, QueryString q, Token token) {
        String base = "/groups/" + g.id();
        if (s.isEmpty()) {
            return Reply.json(200, json.group(g));
        }
        if (s.size() != 1) {
            return Reply.error(404, "404 Not Found");
        }
        return switch (s.get(0)) {
            case "projects" -> page((q.flag("include_subgroups") ? g.allProjects() : g.projects()).stream()
                    .sorted(Comparator.comparingLong(Project::id)).toList(), json::project, q, base + "/projects");
            case "subgroups" -> page(g.subgroups(), json::group, q, base + "/subgroups");
            case "descendant_groups" -> page(g.descendants(), json::group, q, base + "/descendant_groups");
            case "variables" -> token.readsVariables()
                    ? page(g.variables(), v -> GitLabJson.variable(v, true), q, base + "/variables")
                    : Reply.error(403, "403 Forbidden");
            default -> Reply.error(404, "404 Not Found");
        };
    }

    private Reply projectRoute(Project p, List<String> s, QueryString q, Token token) {
        String base = "/projects/" + p.id();
        if (s.isEmpty()) {
            return Reply.json(200, json.project(p));
        }
        switch (s.get(0)) {
            case "pipelines":
                return pipelines(p, s.subList(1, s.size()), q);
            case "jobs":
                return jobs(p, s.subList(1, s.size()));
            case "repository":
                return repository(p, s.subList(1, s.size()), q);
            case "protected_branches":
                if (s.size() == 1) {
                    List<ObjectNode> list = new ArrayList<>();
                    for (int i = 0; i < p.protectedBranches().size(); i++) {
                        list.add(GitLabJson.protectedBranch(i + 1, p.protectedBranches().get(i)));
                    }
                    return page(list, x -> x, q, base + "/protected_branches");
                }
                break;
            case "protected_tags":
                if (s.size() == 1) {
                    return page(p.protectedTags(), GitLabJson::protectedTag, q, base + "/protected_tags");
                }
                break;
            case "variables":
                if (s.size() == 1) {
                    return token.readsVariables()
                            ? page(p.variables(), v -> GitLabJson.variable(v, true), q, base + "/variables")
                            : Reply.error(403, "403 Forbidden");
                }
                break;
            case "deployments":
                if (s.size() == 1) {
                    List<ObjectNode> list = new ArrayList<>();
                    for (Pipeline pl : p.pipelines()) {
                        for (Job j : pl.jobs()) {
                            if (j.environment() != null && (q.get("environment") == null
                                    || q.get("environment").equals(j.environment()))) {
                                list.add(json.deployment(p, pl, j, list.size() + 1));
                            }
                        }
                    }
                    return page(list, x -> x, q, base + "/deployments");
                }
                break;
            default:
                break;
        }
        return Reply.error(404, "404 Not Found");
    }

    private Reply pipelines(Project p, List<String> s, QueryString q) {
        String base = "/projects/" + p.id() + "/pipelines";
        if (s.isEmpty()) {
            return listPipelines(p, q, base);
        }
        Optional<Pipeline> found;
        try {
            found = p.pipeline(Long.parseLong(s.get(0)));
        } catch (NumberFormatException e) {
            found = Optional.empty();
        }
        if (found.isEmpty()) {
            return Reply.error(404, "404 Not found");
        }
        Pipeline pl = found.get();
        if (s.size() == 1) {
            return Reply.json(200, json.pipeline(p, pl));
        }
        if (s.size() == 2 && s.get(1).equals("jobs")) {
            List<String> scopes = q.all("scope[]").isEmpty() ? q.all("scope") : q.all("scope[]");
            List<Job> jobs = pl.jobs().stream()
                    .filter(j -> q.flag("include_retried") || !j.retried())
                    .filter(j -> scopes.isEmpty() || scopes.contains(j.status()))
                    .sorted(Comparator.comparingLong(Job::id)).toList();
            return page(jobs, j -> json.job(p, pl, j), q, base + "/" + pl.id() + "/jobs");
        }
        if (s.size() == 2 && s.get(1).equals("bridges")) {
            List<Pipeline> children = p.pipelines().stream().filter(c -> Long.valueOf(pl.id()).equals(c.parentId()))
                    .sorted(Comparator.comparingLong(Pipeline::id)).toList();
            return page(children, c -> json.bridge(p, pl, c, BRIDGE_ID_OFFSET + c.id()), q,
                    base + "/" + pl.id() + "/bridges");
        }
        return Reply.error(404, "404 Not Found");
    }

    /** GitLab's default listing omits child pipelines; only source=parent_pipeline lists them. */
    private Reply listPipelines(Project p, QueryString q, String base) {
        Stream<Pipeline> list = p.pipelines().stream();
        String source = q.get("source");
        list = source == null ? list.filter(pl -> !pl.source().equals("parent_pipeline"))
                : list.filter(pl -> pl.source().equals(source));
        for (String key : List.of("ref", "sha", "status")) {
            String want = q.get(key);
            if (want != null) {
                list = list.filter(pl -> want.equals(switch (key) {
                    case "ref" -> pl.ref();
                    case "sha" -> pl.sha();
                    default -> pl.status();
                }));
            }
        }
        try {
            list = timeFilter(list, q.get("updated_after"), Pipeline::updatedAt, true);
            list = timeFilter(list, q.get("updated_before"), Pipeline::updatedAt, false);
            list = timeFilter(list, q.get("created_after"), Pipeline::createdAt, true);
            list = timeFilter(list, q.get("created_before"), Pipeline::createdAt, false);
        } catch (DateTimeParseException e) {
            return Reply.error(400, "400 Bad request - invalid date");
        }
        String orderBy = q.get("order_by") == null ? "id" : q.get("order_by");
        Comparator<Pipeline> order = switch (orderBy) {
            case "id" -> Comparator.comparingLong(Pipeline::id);
            case "updated_at" -> Comparator.comparing(Pipeline::updatedAt).thenComparingLong(Pipeline::id);
            case "created_at" -> Comparator.comparing(Pipeline::createdAt).thenComparingLong(Pipeline::id);
            default -> null;
        };
        if (order == null) {
            return Reply.error(400, "400 Bad request - order_by does not have a valid value");
        }
        if (!"asc".equals(q.get("sort"))) {
            order = order.reversed();
        }
        return page(list.sorted(order).toList(), pl -> json.pipelineBasic(p, pl), q, base);
    }

    private static Stream<Pipeline> timeFilter(Stream<Pipeline> list, String value, Function<Pipeline, Instant> field,
                                               boolean after) {
        if (value == null) {
            return list;
        }
        Instant t = parseTime(value);
        return list.filter(pl -> after ? field.apply(pl).isAfter(t) : field.apply(pl).isBefore(t));
    }

    /** ISO 8601 as GitLab accepts it: with or without fraction, Z or an offset. */
    private static Instant parseTime(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return java.time.OffsetDateTime.parse(value).toInstant();
        }
    }

    private record JobRef(Pipeline pipeline, Job job) {}

    private Reply jobs(Project p, List<String> s) {
        if (s.isEmpty()) {
            return Reply.error(404, "404 Not Found");
        }
        Optional<JobRef> ref = Optional.empty();
        try {
            long id = Long.parseLong(s.get(0));
            ref = p.pipelines().stream().flatMap(pl -> pl.jobs().stream().map(j -> new JobRef(pl, j)))
                    .filter(r -> r.job().id() == id).findFirst();
        } catch (NumberFormatException e) {
            // a 404 below
        }
        if (ref.isEmpty()) {
            return Reply.error(404, "404 Job Not Found");
        }
        Job j = ref.get().job();
        if (s.size() == 1) {
            return Reply.json(200, json.job(p, ref.get().pipeline(), j));
        }
        if (s.size() == 2 && s.get(1).equals("trace")) {
            if (j.erased()) {
                return estate.erasedTraceEmpty() ? Reply.text(200, "") : Reply.error(404, "404 Not Found");
            }
            return Reply.text(200, j.trace());
        }
        return Reply.error(404, "404 Not Found");
    }

    private Reply repository(Project p, List<String> s, QueryString q) {
        String base = "/projects/" + p.id() + "/repository";
        if (s.size() >= 2 && s.get(0).equals("files")) {
            boolean raw = s.get(s.size() - 1).equals("raw") && s.size() >= 3;
            String file = String.join("/", s.subList(1, raw ? s.size() - 1 : s.size()));
            String ref = q.get("ref") == null ? p.defaultBranch() : q.get("ref");
            Optional<Commit> c = p.commit(ref);
            if (c.isEmpty()) {
                return Reply.error(404, "404 Commit Not Found");
            }
            String content = c.get().files().get(file);
            if (content == null) {
                return Reply.error(404, "404 File Not Found");
            }
            if (raw) {
                return Reply.text(200, content);
            }
            ObjectNode n = GitLabJson.JSON.createObjectNode();
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            n.put("file_name", file.substring(file.lastIndexOf('/') + 1));
            n.put("file_path", file);
            n.put("size", bytes.length);
            n.put("encoding", "base64");
            n.put("content", Base64.getEncoder().encodeToString(bytes));
            n.put("ref", ref);
            n.put("commit_id", c.get().sha());
            n.put("last_commit_id", c.get().sha());
            return Reply.json(200, n);
        }
        if (s.equals(List.of("commits"))) {
            String refName = q.get("ref_name") == null ? p.defaultBranch() : q.get("ref_name");
            Optional<Commit> head = p.commit(refName);
            if (head.isEmpty()) {
                return page(List.<Commit>of(), c -> json.commit(p, c), q, base + "/commits");
            }
            Instant since;
            Instant until;
            try {
                since = q.get("since") == null ? null : parseTime(q.get("since"));
                until = q.get("until") == null ? null : parseTime(q.get("until"));
            } catch (DateTimeParseException e) {
                return Reply.error(400, "400 Bad request - invalid date");
            }
            String path = q.get("path");
            List<Commit> out = new ArrayList<>();
            for (Commit c = head.get(); c != null; c = c.parentSha() == null ? null : p.commit(c.parentSha()).orElse(null)) {
                boolean inTime = (since == null || !c.date().isBefore(since)) && (until == null || !c.date().isAfter(until));
                if (inTime && (path == null || touches(p, c, path))) {
                    out.add(c);
                }
            }
            return page(out, c -> json.commit(p, c), q, base + "/commits");
        }
        if (s.equals(List.of("branches"))) {
            List<ObjectNode> list = new ArrayList<>();
            new java.util.TreeMap<>(p.branches()).forEach((name, sha) -> list.add(GitLabJson.branch(name,
                    p.commit(sha).orElseThrow(), name.equals(p.defaultBranch()), p.protectedBranches().stream()
                            .anyMatch(pat -> globMatches(pat, name)))));
            return page(list, x -> x, q, base + "/branches");
        }
        return Reply.error(404, "404 Not Found");
    }

    /** Whether the commit changed the file or anything under the folder {@code path}, against its parent. */
    private static boolean touches(Project p, Commit c, String path) {
        Map<String, String> before = c.parentSha() == null ? Map.of()
                : p.commit(c.parentSha()).map(Commit::files).orElse(Map.of());
        String folder = path.endsWith("/") ? path : path + "/";
        return Stream.concat(before.keySet().stream(), c.files().keySet().stream()).distinct()
                .filter(f -> f.equals(path) || f.startsWith(folder))
                .anyMatch(f -> !java.util.Objects.equals(before.get(f), c.files().get(f)));
    }

    private static boolean globMatches(String pattern, String name) {
        String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q");
        return name.matches(regex);
    }

    /** One page with GitLab's offset pagination headers; totals are left out above {@value #COUNT_LIMIT}. */
    private <T> Reply page(List<T> all, Function<T, ? extends JsonNode> toJson, QueryString q, String path) {
        int perPage = q.intValue("per_page", 20);
        perPage = perPage < 1 ? 20 : Math.min(perPage, 100);
        int page = Math.max(1, q.intValue("page", 1));
        int total = all.size();
        int pages = Math.max(1, (total + perPage - 1) / perPage);
        int from = (int) Math.min((long) (page - 1) * perPage, total);
        int to = Math.min(from + perPage, total);
        var body = GitLabJson.JSON.createArrayNode();
        all.subList(from, to).forEach(x -> body.add(toJson.apply(x)));
        Map<String, String> h = new LinkedHashMap<>();
        boolean counted = total <= COUNT_LIMIT;
        boolean hasNext = to < total;
        h.put("X-Page", Integer.toString(page));
        h.put("X-Per-Page", Integer.toString(perPage));
        h.put("X-Next-Page", hasNext ? Integer.toString(page + 1) : "");
        h.put("X-Prev-Page", page > 1 ? Integer.toString(Math.min(page - 1, pages)) : "");
        if (counted) {
            h.put("X-Total", Integer.toString(total));
            h.put("X-Total-Pages", Integer.toString(pages));
        }
        String url = baseUrl + API + path + "?";
        List<String> links = new ArrayList<>();
        if (page > 1) {
            links.add("<" + url + q.withPage(Math.min(page - 1, pages)) + ">; rel=\"prev\"");
        }
        if (hasNext) {
            links.add("<" + url + q.withPage(page + 1) + ">; rel=\"next\"");
        }
        links.add("<" + url + q.withPage(1) + ">; rel=\"first\"");
        if (counted) {
            links.add("<" + url + q.withPage(pages) + ">; rel=\"last\"");
        }
        h.put("Link", String.join(", ", links));
        return Reply.json(200, body, h);
    }

    /** Path segments, each decoded: a URL-encoded full path (acme-platform%2Fweb) stays one segment. */
    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String part : rawPath.split("/")) {
            if (!part.isEmpty()) {
                out.add(URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The window as GitLab reports it in its RateLimit-* headers. */
    private static void rateHeaders(RateWindow window, Map<String, String> h) {
        RateWindow.Snapshot s = window.snapshot();
        h.put("RateLimit-Limit", Integer.toString(s.limit()));
        h.put("RateLimit-Observed", Integer.toString(s.used()));
        h.put("RateLimit-Remaining", Integer.toString(s.remaining()));
        h.put("RateLimit-Reset", Long.toString(s.resetEpochSeconds()));
    }

    private RateWindow window(Token token) {
        String key = token == null ? "anonymous" : token.name();
        return windows.computeIfAbsent(key, k -> new RateWindow(rateLimit, estate.rateLimit().resetSeconds()));
    }
}
