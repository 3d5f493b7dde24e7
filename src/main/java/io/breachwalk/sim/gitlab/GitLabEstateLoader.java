package io.breachwalk.sim.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breachwalk.sim.EstateYaml;
import io.breachwalk.sim.gitlab.GitLabEstate.Commit;
import io.breachwalk.sim.gitlab.GitLabEstate.FaultRule;
import io.breachwalk.sim.gitlab.GitLabEstate.Faults;
import io.breachwalk.sim.gitlab.GitLabEstate.Group;
import io.breachwalk.sim.gitlab.GitLabEstate.Job;
import io.breachwalk.sim.gitlab.GitLabEstate.Pipeline;
import io.breachwalk.sim.gitlab.GitLabEstate.Project;
import io.breachwalk.sim.gitlab.GitLabEstate.RateLimit;
import io.breachwalk.sim.gitlab.GitLabEstate.Token;
import io.breachwalk.sim.gitlab.GitLabEstate.Variable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static io.breachwalk.sim.EstateYaml.keys;

/**
 * Reads a GitLab estate (YAML, format in samples/gitlab/README.md) into a {@link GitLabEstate}: parsed the safe way,
 * unknown keys rejected (a typo would otherwise silently drop a variable or a job), ids given in order, files carried
 * over from parent commits and bulk pipelines generated.
 */
public final class GitLabEstateLoader {
    private static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}");
    private static final Instant DEFAULT_TIME = Instant.parse("2021-01-01T00:00:00Z");
    private static final Set<String> NEVER_RAN = Set.of("manual", "skipped", "created", "scheduled", "pending");

    private long nextGroupId = 9_000_001L;
    private long nextProjectId = 41_000_001L;
    private long nextPipelineId = 1_100_000_001L;
    private long nextJobId = 5_200_000_001L;

    private GitLabEstateLoader() {}

    public static GitLabEstate load(Path file) {
        return new GitLabEstateLoader().estate(EstateYaml.read(file));
    }

    /** Loads an estate from the classpath, e.g. {@code samples/gitlab/estate.yaml}. */
    public static GitLabEstate loadResource(String resource) {
        return new GitLabEstateLoader().estate(EstateYaml.readResource(resource));
    }

    public static GitLabEstate parse(String yaml) {
        return new GitLabEstateLoader().estate(EstateYaml.parse(yaml));
    }

    private GitLabEstate estate(JsonNode root) {
        keys(root, "estate", "web_url", "rate_limit", "erased_traces", "tokens", "faults", "instance_variables", "groups");
        JsonNode rl = root.path("rate_limit");
        keys(rl, "rate_limit", "limit", "reset_seconds");
        RateLimit rateLimit = new RateLimit(rl.path("limit").asInt(2000), rl.path("reset_seconds").asLong(60));
        String erased = root.path("erased_traces").asText("not_found");
        if (!List.of("not_found", "empty").contains(erased)) {
            throw new IllegalArgumentException("erased_traces must be not_found or empty");
        }
        List<Token> tokens = new ArrayList<>();
        for (JsonNode t : list(root, "tokens")) {
            keys(t, "tokens[]", "name", "value", "username", "role", "admin");
            String value = required(t, "value", "tokens[]");
            String role = t.path("role").asText("maintainer");
            if (!List.of("owner", "maintainer", "developer", "reporter", "guest").contains(role)) {
                throw new IllegalArgumentException("token role must be owner, maintainer, developer, reporter or guest");
            }
            tokens.add(new Token(t.path("name").asText("token" + (tokens.size() + 1)), value,
                    t.path("username").asText("breachwalk-bot"), role, t.path("admin").asBoolean(false)));
        }
        List<Group> groups = new ArrayList<>();
        for (JsonNode g : list(root, "groups")) {
            groups.add(group(g, null));
        }
        return new GitLabEstate(root.path("web_url").asText("https://gitlab.example"), rateLimit,
                erased.equals("empty"), tokens, faults(root.path("faults")),
                variables(root.path("instance_variables"), "instance_variables"), groups);
    }

    static Faults faults(JsonNode f) {
        if (f.isMissingNode() || f.isNull()) {
            return Faults.none();
        }
        keys(f, "faults", "retry_after", "rules");
        List<FaultRule> rules = new ArrayList<>();
        for (JsonNode r : list(f, "rules")) {
            keys(r, "faults.rules[]", "match", "kind", "times");
            String kind = required(r, "kind", "faults.rules[]");
            if (!List.of("429", "500", "502", "503").contains(kind)) {
                throw new IllegalArgumentException("fault kind must be 429, 500, 502 or 503, not " + kind);
            }
            rules.add(new FaultRule(r.path("match").asText(".*"), kind, r.path("times").asInt(1)));
        }
        return new Faults(f.path("retry_after").asInt(1), rules);
    }

    private Group group(JsonNode g, Group parent) {
        keys(g, "groups[]", "path", "name", "id", "variables", "subgroups", "projects");
        String path = required(g, "path", "groups[]");
        String fullPath = parent == null ? path : parent.fullPath() + "/" + path;
        long id = g.has("id") ? g.get("id").asLong() : nextGroupId++;
        // The group's own record first (children need its full path and id), then its children.
        Group self = new Group(id, g.path("name").asText(path), path, fullPath, parent == null ? null : parent.id(),
                variables(g.path("variables"), fullPath), List.of(), List.of());
        List<Project> projects = new ArrayList<>();
        for (JsonNode p : list(g, "projects")) {
            projects.add(project(p, self));
        }
        List<Group> subgroups = new ArrayList<>();
        for (JsonNode sg : list(g, "subgroups")) {
            subgroups.add(group(sg, self));
        }
        return new Group(id, self.name(), path, fullPath, self.parentId(), self.variables(), subgroups, projects);
    }

    private static List<Variable> variables(JsonNode list, String where) {
        List<Variable> out = new ArrayList<>();
        if (list.isMissingNode() || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException(where + ": variables must be a list");
        }
        for (JsonNode v : list) {
            keys(v, where + " variables[]", "key", "variable_type", "protected", "masked", "environment_scope", "value");
            String key = required(v, "key", where + " variables[]");
            String type = v.path("variable_type").asText("env_var");
            if (!List.of("env_var", "file").contains(type)) {
                throw new IllegalArgumentException(where + ": variable_type must be env_var or file");
            }
            out.add(new Variable(key, type, v.path("protected").asBoolean(false), v.path("masked").asBoolean(false),
                    v.path("environment_scope").asText("*"), v.path("value").asText("SIMVALUE-" + key)));
        }
        return out;
    }

    private Project project(JsonNode p, Group group) {
        keys(p, "projects[]", "path", "id", "default_branch", "ci_config_path", "protected_branches", "protected_tags",
                "branches", "variables", "commits", "pipelines", "generate");
        String path = required(p, "path", "projects[] of " + group.fullPath());
        String where = group.fullPath() + "/" + path;
        long id = p.has("id") ? p.get("id").asLong() : nextProjectId++;
        String defaultBranch = p.path("default_branch").asText("main");

        List<Commit> commits = new ArrayList<>();
        Map<String, Commit> byLabel = new HashMap<>();
        Commit previous = null;
        for (JsonNode c : list(p, "commits")) {
            keys(c, where + " commits[]", "id", "date", "parent", "message", "files");
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
            Instant date = time(c, "date", previous == null ? DEFAULT_TIME : previous.date().plusSeconds(3600));
            String sha = FULL_SHA.matcher(label).matches() ? label : sha(where, label);
            Commit commit = new Commit(label, sha, date, c.path("message").asText("Commit " + label),
                    Map.copyOf(files), parent == null ? null : parent.sha());
            if (byLabel.put(label, commit) != null) {
                throw new IllegalArgumentException(where + ": duplicate commit id " + label);
            }
            byLabel.put(sha, commit);
            commits.add(commit);
            previous = commit;
        }

        Map<String, String> branches = new LinkedHashMap<>();
        p.path("branches").fields().forEachRemaining(e ->
                branches.put(e.getKey(), commit(where + " branch " + e.getKey(), e.getValue().asText(), byLabel).sha()));
        if (!branches.containsKey(defaultBranch) && previous != null) {
            branches.put(defaultBranch, previous.sha());
        }

        List<Pipeline> pipelines = new ArrayList<>();
        for (JsonNode pl : list(p, "pipelines")) {
            pipelines.add(pipeline(where, pl, byLabel, pipelines.size() + 1));
        }
        for (JsonNode gen : list(p, "generate")) {
            keys(gen, where + " generate[]", "count", "ref", "commit", "source", "from", "to", "jobs", "status");
            int count = gen.path("count").asInt(1);
            Instant from = time(gen, "from", DEFAULT_TIME);
            Instant to = time(gen, "to", from.plusSeconds(3600L * count));
            long step = count <= 1 ? 0 : Duration.between(from, to).getSeconds() / (count - 1);
            for (int i = 0; i < count; i++) {
                ObjectNode pl = JsonNodeFactory.instance.objectNode();
                pl.put("ref", gen.path("ref").asText(defaultBranch));
                pl.set("commit", gen.path("commit"));
                pl.put("source", gen.path("source").asText("push"));
                pl.put("created_at", from.plusSeconds(step * i).toString());
                if (gen.has("status")) {
                    pl.set("status", gen.get("status"));
                }
                pl.set("jobs", gen.path("jobs").deepCopy());
                pipelines.add(pipeline(where + " generate", pl, byLabel, pipelines.size() + 1));
            }
        }
        for (Pipeline pl : pipelines) {
            if (pl.parentId() != null && pipelines.stream().noneMatch(x -> x.id() == pl.parentId())) {
                throw new IllegalArgumentException(where + ": pipeline " + pl.id() + " has unknown parent " + pl.parentId());
            }
        }
        return new Project(id, path, where, group.id(), defaultBranch,
                p.hasNonNull("ci_config_path") ? p.get("ci_config_path").asText() : null,
                strings(p, "protected_branches"), strings(p, "protected_tags"), Map.copyOf(branches),
                variables(p.path("variables"), where), List.copyOf(commits), List.copyOf(pipelines));
    }

    private Pipeline pipeline(String where, JsonNode p, Map<String, Commit> commits, int defaultIid) {
        keys(p, where + " pipelines[]", "id", "iid", "ref", "tag", "commit", "source", "status", "created_at",
                "updated_at", "parent", "trigger_job", "jobs");
        long id = p.has("id") ? p.get("id").asLong() : nextPipelineId++;
        String ctx = where + " pipeline " + id;
        Commit commit = commit(ctx, required(p, "commit", ctx), commits);
        Instant created = time(p, "created_at", commit.date().plusSeconds(60));
        Long parent = p.hasNonNull("parent") ? p.get("parent").asLong() : null;
        List<Job> jobs = new ArrayList<>();
        for (JsonNode j : list(p, "jobs")) {
            keys(j, ctx + " jobs[]", "id", "name", "stage", "status", "started_at", "finished_at", "retried",
                    "environment", "trace", "erased");
            String status = j.path("status").asText("success");
            boolean ran = !NEVER_RAN.contains(status);
            Instant started = ran ? time(j, "started_at", created.plusSeconds(60)) : null;
            Instant finished = ran && !status.equals("running") ? time(j, "finished_at", started.plusSeconds(300)) : null;
            jobs.add(new Job(j.has("id") ? j.get("id").asLong() : nextJobId++, id, required(j, "name", ctx + " jobs[]"),
                    j.path("stage").asText("test"), status, created, started, finished, j.path("retried").asBoolean(false),
                    j.hasNonNull("environment") ? j.get("environment").asText() : null, j.path("trace").asText(""),
                    j.path("erased").asBoolean(false)));
        }
        Instant lastFinished = jobs.stream().map(Job::finishedAt).filter(t -> t != null).max(Instant::compareTo)
                .orElse(created);
        String status = p.path("status").asText(jobs.stream().anyMatch(j -> !j.retried() && j.status().equals("failed"))
                ? "failed" : "success");
        return new Pipeline(id, p.path("iid").asInt(defaultIid), p.path("ref").asText("main"),
                p.path("tag").asBoolean(false), commit.sha(),
                p.path("source").asText(parent != null ? "parent_pipeline" : "push"), status, created,
                time(p, "updated_at", lastFinished), parent, p.path("trigger_job").asText("trigger"), List.copyOf(jobs));
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static Iterable<JsonNode> list(JsonNode node, String field) {
        JsonNode n = node.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException(field + " must be a list");
        }
        return n;
    }

    private static List<String> strings(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        list(node, field).forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    private static String required(JsonNode node, String field, String where) {
        if (!node.hasNonNull(field) || node.get(field).asText().isEmpty()) {
            throw new IllegalArgumentException(where + ": " + field + " is required");
        }
        return node.get(field).asText();
    }

    private static Commit commit(String ctx, String ref, Map<String, Commit> commits) {
        Commit c = commits.get(ref);
        if (c == null) {
            throw new IllegalArgumentException(ctx + ": unknown commit " + ref);
        }
        return c;
    }

    private static Instant time(JsonNode node, String field, Instant fallback) {
        if (!node.hasNonNull(field)) {
            return fallback;
        }
        try {
            return Instant.parse(node.get(field).asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not an ISO-8601 instant: " + node.get(field).asText(), e);
        }
    }

    /** A stable fake sha from the project and the commit label, so estates need not spell out 40 hex digits. */
    private static String sha(String where, String label) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest((where + "@" + label).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
