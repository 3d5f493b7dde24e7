package io.breachwalk.sim.jenkins;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.breachwalk.sim.DemoEstate;
import io.breachwalk.sim.Loopback;
import io.breachwalk.sim.Simulator;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A Jenkins on loopback that serves an estate description the way Jenkins' remote API does: {@code api/json} with
 * {@code tree} (nested fields and {@code {from,to}} ranges) and {@code depth}, {@code builds} limited to the newest 100
 * while {@code allBuilds} holds every retained build, build JSON with git BuildData and parameters, consoleText (404
 * once a log is gone), progressive text, config.xml, wfapi, credential stores (ids and types only), the crumb issuer,
 * 401/403/404, the {@code X-Jenkins} header, and seeded fault injection. Every request is logged for tests.
 */
public final class JenkinsSimulator implements Simulator {

    /** One request as the simulator saw it. */
    public record Request(String method, String path, String query, String user, int status) {
        public String pathAndQuery() { return query == null ? path : path + "?" + query; }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CRUMB = "0f5d7c2a9b3e4d1f8a6c5b4e3d2a1f0e";

    private final JenkinsEstate estate;
    private final String contextPath;
    private final List<SimItem> roots = new ArrayList<>();
    private final Repos repos;
    private final FaultInjector faults;
    private final Loopback server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private JenkinsSimulator(JenkinsEstate estate) throws IOException {
        this.estate = estate;
        String cp = estate.contextPath() == null ? "/" : estate.contextPath();
        if (!cp.startsWith("/")) cp = "/" + cp;
        if (!cp.endsWith("/")) cp = cp + "/";
        this.contextPath = cp;
        this.repos = new Repos(estate.repos());
        if (estate.jobs() != null) {
            for (JenkinsEstate.Item i : estate.jobs()) roots.add(build(i, null));
        }
        this.faults = new FaultInjector(estate.faults());
        this.server = Loopback.start("jenkins-sim", this::handle);
    }

    // ---------------------------------------------------------------- starting

    public static JenkinsSimulator start(JenkinsEstate estate) throws IOException {
        return new JenkinsSimulator(estate);
    }

    public static JenkinsSimulator start(Path estateYaml) throws IOException {
        return start(parse(Files.readString(estateYaml)));
    }

    public static JenkinsSimulator startYaml(String yaml) throws IOException {
        return start(parse(yaml));
    }

    /** Starts a simulator on an estate YAML read from the classpath, e.g. "samples/jenkins/estate.yaml". */
    public static JenkinsSimulator startResource(String resource) throws IOException {
        try (InputStream in = JenkinsSimulator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IOException("no resource " + resource + " on the classpath");
            return start(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
    }

    /** The bundled sample instance that {@code breachwalk demo} scans (see samples/jenkins/README.md). */
    public static JenkinsSimulator startSample() throws IOException {
        return startResource(SAMPLE_RESOURCE);
    }

    /**
     * Starts the bundled sample instance and says how to scan it: --jenkins-url, and JENKINS_USER/JENKINS_TOKEN of the
     * sample's fictional user (the whole instance is walked: no --jenkins-job).
     */
    public static DemoEstate<JenkinsSimulator> startDemo() throws IOException {
        JenkinsSimulator sim = startSample();
        return new DemoEstate<>(sim, Map.of("JENKINS_USER", SAMPLE_USER, "JENKINS_TOKEN", SAMPLE_TOKEN),
                List.of("--jenkins-url", sim.baseUrl()), "Jenkins at " + sim.baseUrl());
    }

    public static final String SAMPLE_RESOURCE = "samples/jenkins/estate.yaml";
    /** User and API token of the sample instance (a fictional token that only the simulator accepts). */
    public static final String SAMPLE_USER = "auditor";
    public static final String SAMPLE_TOKEN = "11sampletokenforthedemo0000000000a";

    /** Parses an estate: plain data only, unknown keys rejected, alias expansion limited. */
    public static JenkinsEstate parse(String yaml) {
        LoaderOptions opts = new LoaderOptions();
        opts.setMaxAliasesForCollections(20);
        opts.setAllowDuplicateKeys(false);
        YAMLMapper mapper = new YAMLMapper(YAMLFactory.builder().loaderOptions(opts).build());
        mapper.registerModule(new JavaTimeModule());
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            return mapper.readValue(yaml, JenkinsEstate.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid Jenkins estate: " + e.getMessage(), e);
        }
    }

    private SimItem build(JenkinsEstate.Item spec, SimItem parent) {
        SimItem item = new SimItem(spec, parent, spec.name(), SimItem.Kind.of(spec.type()));
        item.repos = repos;
        if (spec.jobs() != null) {
            for (JenkinsEstate.Item c : spec.jobs()) {
                if (item.kind.job) throw new IllegalArgumentException(item.fullName() + " is a job and cannot hold jobs");
                item.children.add(build(c, item));
            }
        }
        if (item.kind == SimItem.Kind.MATRIX && spec.configurations() != null) {
            for (String c : spec.configurations()) {
                SimItem conf = new SimItem(spec, item, c, SimItem.Kind.MATRIX_CONFIG);
                conf.repos = repos;
                conf.resolveBuilds(repos);
                item.children.add(conf);
            }
        }
        item.resolveBuilds(repos);
        return item;
    }

    // ---------------------------------------------------------------- test API

    @Override
    public String provider() {
        return "jenkins";
    }

    /** http://127.0.0.1:PORT/ plus the context path. */
    @Override
    public String baseUrl() {
        return server.url() + contextPath;
    }

    public List<Request> requests() { return List.copyOf(requests); }

    public int requestCount() { return requests.size(); }

    public long requestCount(Predicate<Request> filter) { return requests.stream().filter(filter).count(); }

    public void clearRequests() { requests.clear(); }

    public JenkinsEstate estate() { return estate; }

    /** The SHA a commit label of a simulator repo got (tests compare it with the commit_sha column). */
    public String commitSha(String repo, String commitId) { return repos.sha(repo, commitId); }

    /** The file: URL of a simulator repo. */
    public String repoUrl(String repo) { return repos.url(repo); }

    @Override
    public void close() {
        server.close();
        try {
            repos.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- HTTP

    private void handle(HttpExchange ex) throws IOException {
        String rawPath = ex.getRequestURI().getRawPath();
        String query = ex.getRequestURI().getRawQuery();
        String user = principal(ex);
        int status;
        try {
            FaultInjector.Fault fault = faults.decide(query == null ? rawPath : rawPath + "?" + query);
            if (fault != null && fault.kind() == FaultInjector.Kind.SLOW) sleep(fault.slowMillis());
            if (fault != null && fault.kind() == FaultInjector.Kind.RESET) {
                requests.add(new Request(ex.getRequestMethod(), rawPath, query, user, 0));
                // The JDK server drops the connection without a response when the handler throws.
                throw new IOException("simulated connection reset");
            }
            if (fault != null && fault.kind() != FaultInjector.Kind.SLOW && fault.kind() != FaultInjector.Kind.TRUNCATE) {
                status = switch (fault.kind()) {
                    case TOO_MANY_REQUESTS -> 429;
                    case UNAVAILABLE -> 503;
                    default -> 500;
                };
                if (status != 500) ex.getResponseHeaders().set("Retry-After", Integer.toString(fault.retryAfterSeconds()));
                // Recorded before answering: the client's next request must not be logged ahead of this one.
                requests.add(new Request(ex.getRequestMethod(), rawPath, query, user, status));
                send(ex, status, "text/html", html(status == 429 ? "Too Many Requests" : "Service Unavailable"));
            } else {
                Response r = route(ex, rawPath, query, user);
                if (fault != null && fault.kind() == FaultInjector.Kind.TRUNCATE && r.body != null) {
                    requests.add(new Request(ex.getRequestMethod(), rawPath, query, user, -r.status));
                    sendTruncated(ex, r);
                    return;
                }
                requests.add(new Request(ex.getRequestMethod(), rawPath, query, user, r.status));
                r.send(ex);
            }
        } catch (RuntimeException e) {
            requests.add(new Request(ex.getRequestMethod(), rawPath, query, user, 500));
            send(ex, 500, "text/plain", ("simulator error: " + e).getBytes(StandardCharsets.UTF_8));
        }
        ex.close();
    }

    /** A response: a body in memory, or a streamed console log. */
    private record Response(int status, String contentType, byte[] body, SimBuild stream, Map<String, String> headers) {
        static Response of(int status, String type, byte[] body) { return new Response(status, type, body, null, Map.of()); }

        int send(HttpExchange ex) throws IOException {
            headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            if (stream == null) return JenkinsSimulator.send(ex, status, contentType, body);
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(status, 0);   // chunked: the log is written as it is produced
            try (OutputStream out = ex.getResponseBody()) {
                stream.writeConsole(out);
            }
            return status;
        }
    }

    private Response route(HttpExchange ex, String rawPath, String query, String user) throws IOException {
        commonHeaders(ex.getResponseHeaders());
        if (!rawPath.startsWith(contextPath) && !(rawPath + "/").equals(contextPath)) {
            return notFound();
        }
        List<String> segs = new ArrayList<>();
        for (String s : rawPath.substring(Math.min(rawPath.length(), contextPath.length())).split("/")) {
            if (!s.isEmpty()) segs.add(s);
        }
        Map<String, String> params = queryParams(query);

        // Authentication as Jenkins does it: a wrong token is 401 whatever the URL; anonymous callers get 403 when
        // anonymous read is off.
        if ("!".equals(user)) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"Jenkins\"");
            return Response.of(401, "text/html", html("Invalid password/token for user"));
        }
        boolean secured = estate.users() != null && !estate.users().isEmpty();
        if (secured && user == null && !Boolean.TRUE.equals(estate.anonymousRead())
                && !(segs.size() >= 1 && segs.get(0).equals("login"))) {
            ex.getResponseHeaders().set("X-You-Are-Authenticated-As", "anonymous");
            ex.getResponseHeaders().set("X-Required-Permission", "hudson.model.Hudson.Read");
            return Response.of(403, "text/html", html("Authentication required"));
        }
        if ("POST".equals(ex.getRequestMethod()) && usedPassword(ex)
                && !CRUMB.equals(ex.getRequestHeaders().getFirst("Jenkins-Crumb"))) {
            return Response.of(403, "text/html", html("No valid crumb was included in the request"));
        }

        // Walk job/<name> pairs (and a matrix configuration segment) down the item tree.
        SimItem item = null;
        int i = 0;
        while (i + 1 < segs.size() && segs.get(i).equals("job")) {
            String name = Urls.decodeSegment(segs.get(i + 1));
            item = child(item, name);
            if (item == null) return notFound();
            if (item.forbidden()) return Response.of(403, "text/html", html("Access Denied: " + user + " is missing the Job/Read permission"));
            i += 2;
            if (item.kind == SimItem.Kind.MATRIX && i < segs.size()) {
                SimItem conf = child(item, Urls.decodeSegment(segs.get(i)));
                if (conf != null) {
                    item = conf;
                    i++;
                }
            }
        }
        List<String> rest = segs.subList(i, segs.size());
        String r = String.join("/", rest);
        if (item == null) return rootRoute(rest, r, params);
        return itemRoute(item, rest, r, params);
    }

    private Response rootRoute(List<String> rest, String r, Map<String, String> params) throws IOException {
        switch (r) {
            case "" -> { return Response.of(200, "text/html", html("Dashboard [Jenkins]")); }
            case "api/json" -> { return json(rootExported(), params); }
            case "crumbIssuer/api/json" -> {
                return json(new Exported("hudson.security.csrf.DefaultCrumbIssuer").put("crumb", CRUMB)
                        .put("crumbRequestField", "Jenkins-Crumb"), params);
            }
            case "crumbIssuer/api/xml" -> {
                Map<String, String> h = Map.of("Set-Cookie", "JSESSIONID.sim=node0sim1;Path=/;HttpOnly");
                if (params.containsKey("xpath")) {
                    // jenkins-rest asks for concat(//crumbRequestField,":",//crumb) and gets plain text.
                    return new Response(200, "text/plain;charset=utf-8",
                            ("Jenkins-Crumb:" + CRUMB).getBytes(StandardCharsets.UTF_8), null, h);
                }
                return new Response(200, "application/xml", ("<defaultCrumbIssuer _class='hudson.security.csrf.DefaultCrumbIssuer'><crumb>"
                        + CRUMB + "</crumb><crumbRequestField>Jenkins-Crumb</crumbRequestField></defaultCrumbIssuer>")
                        .getBytes(StandardCharsets.UTF_8), null, h);
            }
            case "credentials/store/system/domain/_/api/json" -> {
                return json(store("system", "system", estate.credentials()), params);
            }
            case "credentials/api/json", "credentials/store/system/api/json" -> {
                return json(storesView("system", estate.credentials()), params);
            }
            default -> { return notFound(); }
        }
    }

    private Response itemRoute(SimItem item, List<String> rest, String r, Map<String, String> params) throws IOException {
        switch (r) {
            case "" -> { return Response.of(200, "text/html", html(item.fullName() + " [Jenkins]")); }
            case "api/json" -> { return json(itemExported(item), params); }
            case "config.xml" -> {
                return Response.of(200, "application/xml", ConfigXml.of(item).getBytes(StandardCharsets.UTF_8));
            }
            case "lastBuild/buildNumber" -> {
                if (item.builds.isEmpty()) return notFound();
                return Response.of(200, "text/plain", Integer.toString(item.builds.get(0).number).getBytes(StandardCharsets.UTF_8));
            }
            case "wfapi/runs" -> {
                if (item.kind != SimItem.Kind.PIPELINE) return notFound();
                List<JsonNode> runs = new ArrayList<>();
                for (SimBuild b : item.builds.subList(0, Math.min(10, item.builds.size()))) runs.add(describe(b));
                return Response.of(200, "application/json", JSON.writeValueAsBytes(runs));
            }
            default -> { }
        }
        if (!item.kind.job && r.equals("credentials/store/folder/domain/_/api/json")) {
            return json(store("folder", item.fullName(), item.spec.credentials()), params);
        }
        if (!item.kind.job && (r.equals("credentials/api/json") || r.equals("credentials/store/folder/api/json"))) {
            return json(storesView("folder", item.spec.credentials()), params);
        }
        if (item.kind.job && !rest.isEmpty() && rest.get(0).matches("\\d+")) {
            SimBuild b = item.byNumber.get(Integer.parseInt(rest.get(0)));
            if (b == null) return notFound();
            String br = String.join("/", rest.subList(1, rest.size()));
            switch (br) {
                case "", "api/json" -> { return br.isEmpty() ? Response.of(200, "text/html", html("#" + b.number)) : json(buildExported(b), params); }
                case "consoleText" -> {
                    if (b.logGone) return notFound();
                    return new Response(200, "text/plain;charset=utf-8", null, b, Map.of());
                }
                case "logText/progressiveText" -> {
                    if (b.logGone) return notFound();
                    byte[] all = b.consoleBytes();
                    int start = (int) Math.min(all.length, Long.parseLong(params.getOrDefault("start", "0")));
                    byte[] part = java.util.Arrays.copyOfRange(all, start, all.length);
                    return new Response(200, "text/plain;charset=utf-8", part, null,
                            Map.of("X-Text-Size", Integer.toString(all.length)));
                }
                case "wfapi/describe" -> {
                    if (item.kind != SimItem.Kind.PIPELINE) return notFound();
                    return Response.of(200, "application/json", JSON.writeValueAsBytes(describe(b)));
                }
                default -> { return notFound(); }
            }
        }
        return notFound();
    }

    // ---------------------------------------------------------------- exported objects

    private Exported rootExported() {
        return new Exported("hudson.model.Hudson")
                .put("assignedLabels", List.of(Map.of("name", "built-in")))
                .put("mode", "NORMAL")
                .put("nodeDescription", "the master Jenkins node")
                .put("nodeName", "")
                .put("numExecutors", 2)
                .put("description", null)
                .lazy("jobs", () -> exportedList(roots))
                .put("quietingDown", false)
                .put("slaveAgentPort", 50000)
                .put("useCrumbs", true)
                .put("useSecurity", estate.users() != null && !estate.users().isEmpty())
                .put("url", baseUrl());
    }

    private List<Exported> exportedList(List<SimItem> items) {
        List<Exported> out = new ArrayList<>();
        for (SimItem c : items) out.add(itemExported(c));
        return out;
    }

    private Exported itemExported(SimItem item) {
        String url = baseUrl() + item.urlPath();
        Exported e = new Exported(item.clazz())
                .put("description", item.spec.description())
                .put("displayName", item.name)
                .put("fullDisplayName", item.fullName().replace("/", " » "))
                .put("fullName", item.fullName())
                .put("name", item.name)
                .put("url", url)
                .summary("name", "url", "color");
        if (!item.kind.job) {
            List<SimItem> kids = item.children;
            return e.put("healthReport", List.of()).lazy("jobs", () -> exportedList(kids))
                    .put("primaryView", Map.of("_class", "hudson.model.AllView", "name", "All", "url", url));
        }
        List<SimBuild> builds = item.builds;
        SimBuild last = builds.isEmpty() ? null : builds.get(0);
        SimBuild first = builds.isEmpty() ? null : builds.get(builds.size() - 1);
        e.put("actions", List.of())
                .put("displayNameOrNull", null)
                .put("buildable", true)
                // Job.getNewBuilds(): only the newest 100 builds are exported as "builds".
                .lazy("builds", () -> buildList(builds.subList(0, Math.min(100, builds.size()))))
                .put("color", color(last))
                .lazy("firstBuild", () -> first == null ? null : buildExported(first))
                .put("healthReport", List.of())
                .put("inQueue", false)
                .put("keepDependencies", false)
                .lazy("lastBuild", () -> last == null ? null : buildExported(last))
                .lazy("lastCompletedBuild", () -> last == null ? null : buildExported(last))
                .put("nextBuildNumber", item.nextBuildNumber)
                .put("property", List.of())
                .put("queueItem", null)
                .put("concurrentBuild", false)
                // Job.getAllBuilds(): every retained build, exported only when a tree names it.
                .hidden("allBuilds", () -> buildList(builds));
        if (item.kind == SimItem.Kind.MATRIX) {
            e.lazy("activeConfigurations", () -> exportedList(item.children));
        }
        if (item.kind == SimItem.Kind.FREESTYLE || item.kind == SimItem.Kind.MATRIX) e.put("scm", Map.of());
        return e;
    }

    /** A lazily built view so that a range over 10,000 builds only materialises the builds in the range. */
    private List<Exported> buildList(List<SimBuild> builds) {
        return new AbstractList<>() {
            @Override public Exported get(int index) { return buildExported(builds.get(index)); }
            @Override public int size() { return builds.size(); }
        };
    }

    private Exported buildExported(SimBuild b) {
        SimItem job = b.job;
        String clazz = job.kind == SimItem.Kind.OTHER ? "hudson.model.Run" : job.kind.buildClazz;
        Exported e = new Exported(clazz)
                .lazy("actions", () -> actions(b))
                .put("artifacts", List.of())
                .put("building", false)
                .put("description", null)
                .put("displayName", "#" + b.number)
                .put("duration", b.duration)
                .put("estimatedDuration", b.duration)
                .put("executor", null)
                .put("fullDisplayName", job.fullName().replace("/", " » ") + " #" + b.number)
                .put("id", Integer.toString(b.number))
                .put("keepLog", false)
                .put("number", b.number)
                .put("queueId", b.number + 1000)
                .put("result", b.result)
                .put("timestamp", b.timestamp.toEpochMilli())
                .put("url", baseUrl() + b.urlPath())
                .put("builtOn", "")
                .put("culprits", List.of())
                .summary("number", "url");
        Map<String, Object> items = new LinkedHashMap<>();
        if (job.kind == SimItem.Kind.PIPELINE) {
            e.put("changeSets", List.of());
        } else {
            items.put("items", List.of());
            items.put("kind", b.sha == null ? null : "git");
            e.put("changeSet", items);
        }
        if (job.kind == SimItem.Kind.MATRIX) {
            List<Map<String, Object>> runs = new ArrayList<>();
            for (SimItem c : job.children) runs.add(Map.of("number", b.number, "url", baseUrl() + c.urlPath() + b.number + "/"));
            e.put("runs", runs);
        }
        return e;
    }

    private List<Object> actions(SimBuild b) {
        List<Object> actions = new ArrayList<>();
        if (!b.parameters.isEmpty()) {
            Map<String, String> types = new HashMap<>();
            if (b.job.spec.parameters() != null) b.job.spec.parameters().forEach(p -> types.put(p.name(), p.type()));
            List<Exported> values = new ArrayList<>();
            for (String p : b.parameters) {
                String type = types.getOrDefault(p, "string");
                // Jenkins never exports a password parameter's value.
                Exported v = switch (type) {
                    case "password" -> new Exported("hudson.model.PasswordParameterValue").open().put("name", p);
                    case "boolean" -> new Exported("hudson.model.BooleanParameterValue").open().put("name", p).put("value", false);
                    default -> new Exported("hudson.model.StringParameterValue").open().put("name", p).put("value", "");
                };
                values.add(v);
            }
            actions.add(new Exported("hudson.model.ParametersAction").open().put("parameters", values));
        }
        actions.add(new Exported("hudson.model.CauseAction").open().put("causes", List.of(
                new Exported("hudson.model.Cause$UserIdCause").open().put("shortDescription", "Started by user admin")
                        .put("userId", "admin").put("userName", "admin"))));
        actions.add(new Exported(null));
        if (b.sha != null) {
            String ref = "refs/remotes/origin/" + b.branch;
            Exported branch = new Exported(null).open().put("SHA1", b.sha).put("name", ref);
            Exported rev = new Exported(null).open().put("SHA1", b.sha).put("branch", List.of(branch));
            Exported built = new Exported("hudson.plugins.git.util.Build").open().put("buildNumber", b.number)
                    .put("buildResult", null).put("marked", rev).put("revision", rev);
            actions.add(new Exported("hudson.plugins.git.util.BuildData").open()
                    .put("buildsByBranchName", Map.of(ref, built))
                    .put("lastBuiltRevision", rev)
                    .put("remoteUrls", b.remoteUrls)
                    .put("scmName", ""));
            actions.add(new Exported("hudson.plugins.git.GitTagAction"));
        }
        if (b.job.kind == SimItem.Kind.PIPELINE) {
            actions.add(new Exported("org.jenkinsci.plugins.workflow.job.views.FlowGraphAction"));
        }
        actions.add(new Exported("org.jenkinsci.plugins.displayurlapi.actions.RunDisplayAction"));
        return actions;
    }

    private JsonNode describe(SimBuild b) {
        Map<String, Object> run = new LinkedHashMap<>();
        String self = contextPath + b.urlPath();
        run.put("_links", Map.of("self", Map.of("href", self + "wfapi/describe")));
        run.put("id", Integer.toString(b.number));
        run.put("name", "#" + b.number);
        run.put("status", b.wfapiStatus(b.result));
        long start = b.timestamp.toEpochMilli();
        run.put("startTimeMillis", start);
        run.put("endTimeMillis", start + b.duration);
        run.put("durationMillis", b.duration);
        run.put("queueDurationMillis", 5);
        run.put("pauseDurationMillis", 0);
        List<Map<String, Object>> stages = new ArrayList<>();
        int id = 6;
        long t = start;
        long each = b.stages.isEmpty() ? 0 : b.duration / b.stages.size();
        for (JenkinsEstate.Stage s : b.stages) {
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("_links", Map.of("self", Map.of("href", self + "execution/node/" + id + "/wfapi/describe")));
            st.put("id", Integer.toString(id));
            st.put("name", s.name());
            st.put("execNode", "");
            st.put("status", s.status() == null ? "SUCCESS" : s.status());
            st.put("startTimeMillis", t);
            st.put("durationMillis", each);
            st.put("pauseDurationMillis", 0);
            stages.add(st);
            id += 4;
            t += each;
        }
        run.put("stages", stages);
        return JSON.valueToTree(run);
    }

    private Exported store(String kind, String owner, List<JenkinsEstate.Credential> creds) {
        List<Exported> list = new ArrayList<>();
        String prefix = kind.equals("system") ? "system/_/" : owner + "/folder/_/";
        for (JenkinsEstate.Credential c : creds == null ? List.<JenkinsEstate.Credential>of() : creds) {
            list.add(new Exported(null).open()
                    .put("description", c.description() == null ? "" : c.description())
                    .put("displayName", c.id() + (c.description() == null ? "" : " (" + c.description() + ")"))
                    .put("fingerprint", null)
                    .put("fullName", prefix + c.id())
                    .put("id", c.id())
                    .put("typeName", c.type() == null ? "Secret text" : c.type()));
        }
        return new Exported("com.cloudbees.plugins.credentials.CredentialsStoreAction$DomainWrapper")
                .put("credentials", list)
                .put("description", "Credentials that should be available irrespective of domain specification to requirements matching.")
                .put("displayName", "Global credentials (unrestricted)")
                .put("fullDisplayName", (kind.equals("system") ? "System" : owner) + " » Global credentials (unrestricted)")
                .put("fullName", kind.equals("system") ? "system/_" : owner + "/folder/_")
                .put("global", true)
                .put("urlName", "_");
    }

    private Exported storesView(String kind, List<JenkinsEstate.Credential> creds) {
        Map<String, Object> domains = new LinkedHashMap<>();
        domains.put("_", Map.of("_class", "com.cloudbees.plugins.credentials.CredentialsStoreAction$DomainWrapper",
                "urlName", "_", "global", true, "size", creds == null ? 0 : creds.size()));
        return new Exported("com.cloudbees.plugins.credentials.ViewCredentialsAction")
                .put("stores", Map.of(kind, Map.of("_class", "com.cloudbees.plugins.credentials.CredentialsStoreAction", "domains", domains)));
    }

    private static String color(SimBuild last) {
        if (last == null) return "notbuilt";
        return switch (last.result) {
            case "SUCCESS" -> "blue";
            case "UNSTABLE" -> "yellow";
            case "ABORTED" -> "aborted";
            default -> "red";
        };
    }

    // ---------------------------------------------------------------- helpers

    private SimItem child(SimItem parent, String name) {
        List<SimItem> list = parent == null ? roots : parent.children;
        for (SimItem c : list) if (c.name.equals(name)) return c;
        return null;
    }

    private Response json(Exported e, Map<String, String> params) throws IOException {
        Tree tree;
        int depth;
        try {
            tree = params.containsKey("tree") ? Tree.parse(params.get("tree")) : null;
            depth = Integer.parseInt(params.getOrDefault("depth", "0"));
        } catch (IllegalArgumentException bad) {
            return Response.of(400, "text/html", html("Bad tree or depth: " + bad.getMessage()));
        }
        return Response.of(200, "application/json;charset=utf-8", JSON.writeValueAsBytes(e.render(tree, depth)));
    }

    private void commonHeaders(Headers h) {
        h.set("X-Jenkins", estate.version() == null ? "2.263.4" : estate.version());
        h.set("X-Hudson", "1.395");
        h.set("X-Jenkins-Session", "5e7ad0c3");
        h.set("Server", "Jetty(9.4.33.v20201020)");
        h.set("X-Instance-Identity", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsimulated");
        h.set("X-SSH-Endpoint", "127.0.0.1:0");
    }

    /** The authenticated user name, null for anonymous, "!" for credentials that do not match. */
    private String principal(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "!";
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) return "!";
        String name = decoded.substring(0, colon);
        String secret = decoded.substring(colon + 1);
        for (JenkinsEstate.User u : estate.users() == null ? List.<JenkinsEstate.User>of() : estate.users()) {
            if (u.name().equals(name) && (secret.equals(u.token()) || secret.equals(u.password()))) return name;
        }
        return "!";
    }

    /** POSTs authenticated with a password (not an API token) need a crumb, as in Jenkins. */
    private boolean usedPassword(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null) return true;
        String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
        for (JenkinsEstate.User u : estate.users() == null ? List.<JenkinsEstate.User>of() : estate.users()) {
            if (decoded.equals(u.name() + ":" + u.token())) return false;
        }
        return true;
    }

    private static Map<String, String> queryParams(String query) {
        Map<String, String> out = new HashMap<>();
        if (query == null) return out;
        for (String kv : query.split("&")) {
            int eq = kv.indexOf('=');
            String k = eq < 0 ? kv : kv.substring(0, eq);
            String v = eq < 0 ? "" : kv.substring(eq + 1);
            out.put(Urls.decodeSegment(k), java.net.URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static Response notFound() {
        return Response.of(404, "text/html", html("Not Found"));
    }

    private static byte[] html(String title) {
        return ("<html><head><title>" + ConfigXml.esc(title) + "</title></head><body><h1>" + ConfigXml.esc(title)
                + "</h1></body></html>").getBytes(StandardCharsets.UTF_8);
    }

    private static int send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        if ("HEAD".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(status, -1);
            return status;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
        return status;
    }

    /** Announces the full length, sends half, and closes: the client sees a truncated body. */
    private static void sendTruncated(HttpExchange ex, Response r) throws IOException {
        r.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.getResponseHeaders().set("Content-Type", r.contentType);
        ex.sendResponseHeaders(r.status, r.body.length);
        OutputStream out = ex.getResponseBody();
        out.write(r.body, 0, r.body.length / 2);
        out.flush();
        throw new IOException("simulated truncated body");
    }

    private static void sleep(int ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
