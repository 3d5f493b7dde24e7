package io.breachwalk.sim.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breachwalk.sim.EstateYaml;
import io.breachwalk.sim.github.Estate.Attempt;
import io.breachwalk.sim.github.Estate.Commit;
import io.breachwalk.sim.github.Estate.Environment;
import io.breachwalk.sim.github.Estate.FaultRule;
import io.breachwalk.sim.github.Estate.Faults;
import io.breachwalk.sim.github.Estate.History;
import io.breachwalk.sim.github.Estate.Pull;
import io.breachwalk.sim.github.Estate.Job;
import io.breachwalk.sim.github.Estate.Org;
import io.breachwalk.sim.github.Estate.OrgSecret;
import io.breachwalk.sim.github.Estate.RateLimit;
import io.breachwalk.sim.github.Estate.Repo;
import io.breachwalk.sim.github.Estate.Run;
import io.breachwalk.sim.github.Estate.Secret;
import io.breachwalk.sim.github.Estate.Step;
import io.breachwalk.sim.github.Estate.Token;
import io.breachwalk.sim.github.Estate.Workflow;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads an estate description (YAML, format in samples/github/README.md) into an {@link Estate}: fills defaults,
 * gives ids, carries files over from parent commits and expands the bulk-run generators.
 */
public final class EstateLoader {
    private static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}");
    private static final Instant DEFAULT_TIME = Instant.parse("2021-01-01T00:00:00Z");

    private long nextOrgId = 70_000_001L;
    private long nextRepoId = 300_000_001L;
    private long nextWorkflowId = 5_000_001L;
    private long nextRunId = 600_000_001L;
    private long nextJobId = 1_900_000_001L;
    private long nextEnvId = 160_000_001L;

    private EstateLoader() {}

    public static Estate load(Path file) {
        return new EstateLoader().estate(EstateYaml.read(file));
    }

    /** Loads an estate from the classpath, e.g. {@code samples/github/estate.yaml}. */
    public static Estate loadResource(String resource) {
        return new EstateLoader().estate(EstateYaml.readResource(resource));
    }

    public static Estate parse(String yaml) {
        return new EstateLoader().estate(EstateYaml.parse(yaml));
    }

    private Estate estate(JsonNode root) {
        JsonNode rl = root.path("rate_limit");
        RateLimit rateLimit = new RateLimit(rl.path("limit").asInt(5000), rl.path("reset_seconds").asLong(3600),
                rl.path("graphql_limit").asInt(5000));
        List<Token> tokens = new ArrayList<>();
        for (JsonNode t : list(root, "tokens")) {
            String value = required(t, "value", "tokens[]");
            boolean secrets = t.path("secrets").asBoolean(true);
            tokens.add(new Token(t.path("name").asText(value.length() > 4 ? value.substring(0, 4) + "…" : "token"),
                    value, t.path("login").asText("breachwalk-bot"), secrets,
                    t.path("org_secrets").asBoolean(secrets)));
        }
        int logStatus = switch (root.path("logs_default").asText("expired")) {
            case "expired" -> 410;
            case "deleted" -> 404;
            default -> throw new IllegalArgumentException("logs_default must be expired or deleted");
        };
        List<Org> orgs = new ArrayList<>();
        for (JsonNode o : list(root, "orgs")) {
            orgs.add(org(o));
        }
        return new Estate(root.path("web_url").asText("https://github.com"), rateLimit, tokens, orgs, faults(root.path("faults")), logStatus);
    }

    static Faults faults(JsonNode f) {
        if (f.isMissingNode() || f.isNull()) {
            return Faults.none();
        }
        List<String> kinds = new ArrayList<>();
        for (JsonNode k : list(f, "kinds")) {
            kinds.add(k.asText());
        }
        List<FaultRule> rules = new ArrayList<>();
        for (JsonNode r : list(f, "rules")) {
            rules.add(new FaultRule(r.path("match").asText(".*"), required(r, "kind", "faults.rules[]"),
                    r.path("times").asInt(1)));
        }
        return new Faults(f.path("seed").asLong(1), f.path("rate").asDouble(0), kinds,
                f.hasNonNull("match") ? f.get("match").asText() : null, f.path("slow_ms").asLong(1500),
                f.path("retry_after").asInt(1), rules);
    }

    private Org org(JsonNode o) {
        String login = required(o, "login", "orgs[]");
        long id = o.has("id") ? o.get("id").asLong() : nextOrgId++;
        List<OrgSecret> secrets = new ArrayList<>();
        for (JsonNode s : list(o, "secrets")) {
            List<String> selected = new ArrayList<>();
            for (JsonNode r : list(s, "repositories")) {
                selected.add(r.asText());
            }
            String visibility = s.path("visibility").asText(selected.isEmpty() ? "all" : "selected");
            if (!List.of("all", "private", "selected").contains(visibility)) {
                throw new IllegalArgumentException("org " + login + " secret visibility must be all, private or selected");
            }
            Instant created = time(s, "created_at", DEFAULT_TIME);
            secrets.add(new OrgSecret(required(s, "name", "org secret"), created, time(s, "updated_at", created),
                    visibility, List.copyOf(selected)));
        }
        List<Repo> repos = new ArrayList<>();
        for (JsonNode r : list(o, "repos")) {
            repos.add(repo(login, r));
        }
        return new Org(id, login, List.copyOf(repos), List.copyOf(secrets));
    }

    private Repo repo(String owner, JsonNode r) {
        String name = required(r, "name", "repos[] of " + owner);
        String where = owner + "/" + name;
        long id = r.has("id") ? r.get("id").asLong() : nextRepoId++;

        // Commits: each carries its parent's files, then applies its own changes and removals.
        List<Commit> commits = new ArrayList<>();
        Map<String, Commit> byLabel = new HashMap<>();
        Commit previous = null;
        for (JsonNode c : list(r, "commits")) {
            String label = required(c, "id", where + " commits[]");
            Commit parent = previous;
            if (c.hasNonNull("parent")) {
                parent = byLabel.get(c.get("parent").asText());
                if (parent == null) {
                    throw new IllegalArgumentException(where + ": commit " + label + " has unknown parent "
                            + c.get("parent").asText());
                }
            }
            Map<String, String> files = new TreeMap<>(parent == null ? Map.of() : parent.files());
            c.path("files").fields().forEachRemaining(e -> {
                if (e.getValue().isNull()) {
                    files.remove(e.getKey());
                } else {
                    files.put(e.getKey(), e.getValue().asText());
                }
            });
            for (JsonNode removed : list(c, "removed")) {
                files.remove(removed.asText());
            }
            Instant date = time(c, "date", previous == null ? DEFAULT_TIME : previous.date().plusSeconds(3600));
            Commit commit = new Commit(label, sha(where, label), date, c.path("message").asText("Commit " + label),
                    Map.copyOf(files), parent == null ? null : parent.sha());
            if (byLabel.put(label, commit) != null) {
                throw new IllegalArgumentException(where + ": duplicate commit id " + label);
            }
            byLabel.put(commit.sha(), commit);
            commits.add(commit);
            previous = commit;
        }

        Map<String, Workflow> workflows = new LinkedHashMap<>();
        for (JsonNode w : list(r, "workflows")) {
            String path = required(w, "path", where + " workflows[]");
            workflows.put(path, new Workflow(w.has("id") ? w.get("id").asLong() : nextWorkflowId++,
                    w.path("name").asText(defaultWorkflowName(path)), path, time(w, "created_at", DEFAULT_TIME)));
        }

        List<Run> runs = new ArrayList<>();
        for (JsonNode run : list(r, "runs")) {
            runs.add(run(where, run, byLabel, workflows));
        }
        for (JsonNode g : list(r, "generate")) {
            runs.addAll(generate(where, g, byLabel, workflows));
        }
        runs = numberRuns(runs);

        List<Environment> environments = new ArrayList<>();
        for (JsonNode e : list(r, "environments")) {
            Instant created = time(e, "created_at", DEFAULT_TIME);
            environments.add(new Environment(nextEnvId++, required(e, "name", where + " environments[]"), created,
                    time(e, "updated_at", created), secrets(e)));
        }
        return new Repo(id, owner, name, r.path("private").asBoolean(false), r.path("default_branch").asText("main"),
                time(r, "created_at", DEFAULT_TIME), List.copyOf(commits), List.copyOf(workflows.values()),
                runs, secrets(r), List.copyOf(environments), history(where, r, byLabel));
    }

    /**
     * `retention: {runs: expired, retained_from: DATE, jobs: archived}`, `branches: {name: commit id}` and
     * `pulls: [{number, head, commit, fork, base, created_at, updated_at, state}]`; all optional.
     */
    private static History history(String where, JsonNode r, Map<String, Commit> commits) {
        JsonNode ret = r.path("retention");
        String runs = ret.path("runs").asText("kept");
        String jobs = ret.path("jobs").asText("kept");
        if (!List.of("kept", "expired").contains(runs) || !List.of("kept", "archived").contains(jobs)) {
            throw new IllegalArgumentException(where + ": retention.runs must be kept or expired, retention.jobs kept"
                    + " or archived");
        }
        Map<String, String> branches = new LinkedHashMap<>();
        r.path("branches").fields().forEachRemaining(e ->
                branches.put(e.getKey(), commit(where + " branch " + e.getKey(), e.getValue().asText(), commits).sha()));
        List<Pull> pulls = new ArrayList<>();
        for (JsonNode p : list(r, "pulls")) {
            String ctx = where + " pull";
            Commit head = commit(ctx, required(p, "commit", ctx), commits);
            Instant created = time(p, "created_at", head.date());
            pulls.add(new Pull(p.path("number").asInt(pulls.size() + 1), p.path("head").asText("patch-" + (pulls.size() + 1)),
                    head.sha(), p.hasNonNull("fork") ? p.get("fork").asText() : null,
                    p.path("base").asText(r.path("default_branch").asText("main")), created,
                    time(p, "updated_at", created), p.path("state").asText("closed")));
        }
        return new History(runs.equals("expired"), time(ret, "retained_from", null), jobs.equals("archived"),
                Map.copyOf(branches), List.copyOf(pulls));
    }

    private static List<Secret> secrets(JsonNode owner) {
        List<Secret> secrets = new ArrayList<>();
        for (JsonNode s : list(owner, "secrets")) {
            Instant created = time(s, "created_at", DEFAULT_TIME);
            secrets.add(new Secret(required(s, "name", "secret"), created, time(s, "updated_at", created)));
        }
        return List.copyOf(secrets);
    }

    private Run run(String where, JsonNode run, Map<String, Commit> commits, Map<String, Workflow> workflows) {
        long id = run.has("id") ? run.get("id").asLong() : nextRunId++;
        String ctx = where + " run " + id;
        Workflow workflow = workflow(ctx, required(run, "workflow", ctx), workflows);
        Commit commit = commit(ctx, required(run, "commit", ctx), commits);
        Instant created = time(run, "created_at", commit.date().plusSeconds(30));
        List<Attempt> attempts = new ArrayList<>();
        if (run.has("attempts")) {
            int n = 1;
            for (JsonNode a : list(run, "attempts")) {
                Instant started = time(a, "started_at", n == 1 ? created : null);
                if (started == null) {
                    throw new IllegalArgumentException(ctx + ": attempt " + n + " needs started_at");
                }
                attempts.add(new Attempt(n++, started, jobs(a.path("jobs"), started), jobs(a.path("checks"), started)));
            }
        } else {
            Instant started = time(run, "started_at", created);
            attempts.add(new Attempt(1, started, jobs(run.path("jobs"), started), jobs(run.path("checks"), started)));
        }
        return new Run(id, 0, workflow, commit.sha(), run.path("branch").asText("main"),
                run.path("event").asText("push"), created,
                run.hasNonNull("head_repository") ? run.get("head_repository").asText() : null,
                run.path("actor").asText("octocat"), List.copyOf(attempts));
    }

    /** "1,200 runs between T1 and T2 on workflow X at commit Y": evenly spaced, one attempt each. */
    private List<Run> generate(String where, JsonNode g, Map<String, Commit> commits, Map<String, Workflow> workflows) {
        int count = g.path("count").asInt(0);
        if (count <= 0) {
            throw new IllegalArgumentException(where + ": generate needs a positive count");
        }
        Workflow workflow = workflow(where + " generate", required(g, "workflow", where + " generate"), workflows);
        Commit commit = commit(where + " generate", required(g, "commit", where + " generate"), commits);
        Instant from = time(g, "from", null);
        Instant to = time(g, "to", null);
        if (from == null || to == null || !to.isAfter(from)) {
            throw new IllegalArgumentException(where + ": generate needs from < to");
        }
        long span = Duration.between(from, to).getSeconds();
        List<Run> runs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Instant created = from.plusSeconds(span * i / count);
            runs.add(new Run(nextRunId++, 0, workflow, commit.sha(), g.path("branch").asText("main"),
                    g.path("event").asText("push"), created, null, g.path("actor").asText("octocat"),
                    List.of(new Attempt(1, created, jobs(g.path("jobs"), created)))));
        }
        return runs;
    }

    private List<Job> jobs(JsonNode jobs, Instant attemptStart) {
        List<Job> result = new ArrayList<>();
        for (JsonNode j : iterable(jobs)) {
            String name = required(j, "name", "jobs[]");
            Instant started = time(j, "started_at", attemptStart.plusSeconds(3));
            List<Step> steps = steps(j.path("steps"), started);
            Instant completed = time(j, "completed_at", steps.isEmpty() ? started.plusSeconds(60)
                    : steps.get(steps.size() - 1).completedAt());
            String log = j.hasNonNull("log") ? j.get("log").asText() : null;
            int logStatus = j.has("log_status") ? j.get("log_status").asInt() : (log != null ? 200 : 0);
            List<String> labels = new ArrayList<>();
            for (JsonNode l : list(j, "labels")) {
                labels.add(l.asText());
            }
            result.add(new Job(j.has("id") ? j.get("id").asLong() : nextJobId++, name, started, completed,
                    j.path("status").asText("completed"), j.path("conclusion").asText("success"),
                    steps, log, logStatus, labels.isEmpty() ? List.of("ubuntu-latest") : List.copyOf(labels)));
        }
        return List.copyOf(result);
    }

    /**
     * Steps as the jobs API lists them: "Set up job" first and "Complete job" last are added unless given, numbers
     * run on unless a step gives its own (real numbers can skip). A string is a successful step of that name.
     */
    private static List<Step> steps(JsonNode steps, Instant jobStart) {
        List<JsonNode> given = new ArrayList<>();
        iterable(steps).forEach(given::add);
        if (given.isEmpty()) {
            return List.of();
        }
        List<Step> result = new ArrayList<>();
        int number = 1;
        Instant t = jobStart;
        if (!"Set up job".equals(stepName(given.get(0)))) {
            result.add(new Step("Set up job", "completed", "success", number++, t, t.plusSeconds(1)));
            t = t.plusSeconds(1);
        }
        for (JsonNode s : given) {
            String name = stepName(s);
            String conclusion = s.isTextual() ? "success" : s.path("conclusion").asText("success");
            String status = s.isTextual() ? "completed" : s.path("status").asText("completed");
            if (s.isObject() && s.path("conclusion").isNull()) {
                conclusion = null;
            }
            if (s.isObject() && s.has("number")) {
                number = s.get("number").asInt();
            }
            long seconds = "skipped".equals(conclusion) ? 0 : 5;
            boolean ran = "completed".equals(status);
            result.add(new Step(name, status, conclusion, number++, ran ? t : null, ran ? t.plusSeconds(seconds) : null));
            t = t.plusSeconds(seconds);
        }
        if (!"Complete job".equals(result.get(result.size() - 1).name())) {
            result.add(new Step("Complete job", "completed", "success", number, t, t.plusSeconds(1)));
        }
        return List.copyOf(result);
    }

    private static String stepName(JsonNode s) {
        return s.isTextual() ? s.asText() : required(s, "name", "steps[]");
    }

    /** run_number counts per workflow in creation order, like GitHub. */
    private static List<Run> numberRuns(List<Run> runs) {
        List<Run> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparing(Run::createdAt).thenComparingLong(Run::id));
        Map<Long, Long> counters = new HashMap<>();
        List<Run> numbered = new ArrayList<>(sorted.size());
        for (Run r : sorted) {
            long n = counters.merge(r.workflow().id(), 1L, Long::sum);
            numbered.add(new Run(r.id(), n, r.workflow(), r.headSha(), r.headBranch(), r.event(), r.createdAt(),
                    r.headRepository(), r.actor(), r.attempts()));
        }
        return List.copyOf(numbered);
    }

    private Workflow workflow(String ctx, String path, Map<String, Workflow> workflows) {
        return workflows.computeIfAbsent(path,
                p -> new Workflow(nextWorkflowId++, defaultWorkflowName(p), p, DEFAULT_TIME));
    }

    private static Commit commit(String ctx, String ref, Map<String, Commit> commits) {
        Commit c = commits.get(ref);
        if (c == null) {
            throw new IllegalArgumentException(ctx + ": unknown commit " + ref);
        }
        return c;
    }

    private static String defaultWorkflowName(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    /** A full 40-hex sha is kept; a label becomes a stable fake sha so estates stay readable. */
    static String sha(String repo, String label) {
        if (FULL_SHA.matcher(label).matches()) {
            return label;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest((repo + ":" + label).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Instant time(JsonNode parent, String field, Instant fallback) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        String text = n.asText().trim();
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + ": not an ISO-8601 time: " + text);
        }
    }

    private static String required(JsonNode n, String field, String ctx) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            throw new IllegalArgumentException(ctx + ": missing " + field);
        }
        return v.asText();
    }

    private static Iterable<JsonNode> list(JsonNode parent, String field) {
        return iterable(parent.path(field));
    }

    private static Iterable<JsonNode> iterable(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException("expected a list, got: " + n);
        }
        return n;
    }
}
