package io.breachwalk.source.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import io.breachwalk.detect.ConfigParseException;
import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.config.SecretNames;
import io.breachwalk.model.Confidence;
import io.breachwalk.model.EvidenceLink;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.ExposureLevel;
import io.breachwalk.model.Gap;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.SecretState;
import io.breachwalk.model.Verdict;
import io.breachwalk.source.HttpFailure;
import io.breachwalk.source.ScanContext;
import io.breachwalk.source.Sink;
import io.breachwalk.source.gitlab.GitLabSource.Project;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineAnalyzer;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Hit;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Include;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Job;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Pipeline;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.ScriptLine;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * One GitLab project: the pipelines whose jobs may have started in the window (child pipelines too), their jobs with
 * the retried ones, the configuration at each pipeline's commit, a verdict per job that references the uploader, and
 * the CI/CD variables in reach of each job that ran it. Everything goes to the project's {@link Sink}.
 */
final class ProjectWalk {
    /** Statuses of a job that never started (its `started_at` is null too). */
    private static final Set<String> NEVER_STARTED = Set.of("manual", "skipped", "created", "scheduled",
            "waiting_for_resource", "preparing", "pending", "waiting_for_callback");

    private final ScanContext ctx;
    private final Sink sink;
    private final GitLabData http;
    private final VariableStores stores;
    private final String host;
    private final Project project;
    private final String api;
    /** Configuration files by `sha:path` (null value: absent). */
    private final Map<String, Optional<String>> files = new ConcurrentHashMap<>();
    /** A child pipeline's id to the configuration files its parent's trigger job names. */
    private final Map<Long, List<Include>> childConfigs = new ConcurrentHashMap<>();
    private final ExecutorService pool;
    /** The child pipelines listed for the window: parents are asked which configuration each ran. */
    private final Set<Long> childIds = ConcurrentHashMap.newKeySet();
    private List<String> protectedBranches;
    private List<String> protectedTags;
    private boolean protectionRead;
    private CiVariables.Store projectStore;

    ProjectWalk(ScanContext ctx, Sink sink, GitLabData http, VariableStores stores, String host, Project project,
                ExecutorService pool) {
        this.pool = pool;
        this.ctx = ctx;
        this.sink = sink;
        this.http = http;
        this.stores = stores;
        this.host = host;
        this.project = project;
        this.api = "/projects/" + project.id();
    }

    void walk() {
        List<JsonNode> pipelines = new ArrayList<>();
        try {
            pipelines.addAll(listPipelines(""));
            pipelines.addAll(listPipelines("&source=parent_pipeline"));
        } catch (IOException e) {
            if (project.ciDisabled() && e instanceof HttpFailure f && f.kind() == HttpFailure.Kind.DENIED) {
                // CI/CD is switched off now: GitLab hides the pipelines. Worth a look, not a hole in the walk.
                sink.gap(new Gap(GitLabSource.PROVIDER, host, project.fullPath(), "", Gap.ACCESS_DENIED, "CI/CD is "
                        + "disabled for the project, so GitLab hides its pipelines; any it ran in the window stay unseen until "
                        + "CI/CD is switched on again", false));
                return;
            }
            apiGap("", e, "pipelines");
            return;
        }
        // Parents before children: a parent's bridges say which configuration each child ran.
        pipelines.sort(Comparator.comparing((JsonNode p) -> "parent_pipeline".equals(p.path("source").asText()))
                .thenComparingLong(p -> p.path("id").asLong()));
        if (pipelines.isEmpty()) {
            expired();
            return;
        }
        // Parents in parallel, then children (which need their parents' bridges), each pipeline once.
        Set<Long> seen = new LinkedHashSet<>();
        List<JsonNode> parents = new ArrayList<>();
        List<JsonNode> children = new ArrayList<>();
        for (JsonNode p : pipelines) {
            if (!seen.add(p.path("id").asLong())) continue;
            ("parent_pipeline".equals(p.path("source").asText()) ? children : parents).add(p);
        }
        children.forEach(c -> childIds.add(c.path("id").asLong()));
        inParallel(parents);
        inParallel(children);
    }

    private void inParallel(List<JsonNode> pipelines) {
        List<java.util.concurrent.Future<?>> running = new ArrayList<>();
        for (JsonNode p : pipelines) {
            running.add(pool.submit(() -> {
                try {
                    pipeline(p);
                } catch (IOException e) {
                    apiGap(p.path("id").asText(), e, "pipeline " + p.path("id").asText());
                }
            }));
        }
        for (java.util.concurrent.Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.forEach(r -> r.cancel(true));
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) throw r;
                if (cause instanceof Error err) throw err;
                throw new IllegalStateException(cause);
            }
        }
    }

    // ---- expired history ----------------------------------------------------------------------------------------

    /**
     * No pipeline is listed for the window. If older pipelines exist, the records reach back and nothing ran;
     * otherwise they have expired (or never were): the configuration in effect on the default branch during the
     * window (the version at its start and every change inside it) is judged instead, rows marked
     * `basis=commit-history`, and a RUNS_EXPIRED gap says where the records end (DESIGN 4.6). A project whose
     * configuration did not exist in the window has no gap.
     */
    private void expired() {
        String branch = project.defaultBranch();
        String path = project.configPath();
        Instant since = ctx.window().since();
        Instant until = ctx.window().until();
        Instant retainedFrom;
        List<JsonNode> versions = new ArrayList<>();
        try {
            if (!http.list(api + "/pipelines?updated_before=" + since, 1).items().isEmpty()) return;
            List<JsonNode> oldest = http.list(api + "/pipelines?order_by=id&sort=asc", 1).items();
            retainedFrom = oldest.isEmpty() ? null : time(oldest.get(0).path("created_at"));
            if (branch.isEmpty() || path.contains("@") || path.matches("(?i)https?://.*")) return;
            String commits = api + "/repository/commits?ref_name=" + GitLabHttp.enc(branch) + "&path="
                    + GitLabHttp.enc(path);
            List<JsonNode> atStart = http.list(commits + "&until=" + since, 1).items();
            if (!atStart.isEmpty()) versions.add(atStart.get(0));
            List<JsonNode> inside = new ArrayList<>(http.list(commits + "&since=" + since + "&until=" + until, 0)
                    .items());
            inside.sort(Comparator.comparing((JsonNode c) -> time(c.path("committed_date")),
                    Comparator.nullsFirst(Comparator.naturalOrder())));
            versions.addAll(inside);
        } catch (IOException e) {
            sink.gap(new Gap(GitLabSource.PROVIDER, host, project.fullPath(), "", Gap.RUNS_EXPIRED, "no pipeline is "
                    + "listed for the window, and the commit history could not be read to fall back on: "
                    + e.getMessage() + "; jobs that ran in the window are unknown", true));
            return;
        }
        int read = 0;
        int candidates = 0;
        int ran = 0;
        for (int i = 0; i < versions.size(); i++) {
            JsonNode c = versions.get(i);
            String sha = c.path("id").asText("");
            Instant from = time(c.path("committed_date"));
            from = from == null || from.isBefore(since) ? since : from;
            Instant to = i + 1 < versions.size() ? time(versions.get(i + 1).path("committed_date")) : until;
            Config config;
            try {
                Optional<String> text = file(sha, path);
                if (text.isEmpty()) continue; // the configuration was removed
                config = analyze(path, sha, text.get());
            } catch (IOException e) {
                apiGap("", e, path + " at " + shortSha(sha));
                continue;
            }
            read++;
            if (config.pipeline() == null) {
                sink.gap(new Gap(GitLabSource.PROVIDER, host, project.fullPath(), "", config.gap(), config.why()
                        + " (commit history)", true));
                continue;
            }
            for (Job job : config.pipeline().jobs()) {
                if (job.hits().isEmpty() || !job.usesIndicator() || job.neverRuns()) continue;
                candidates++;
                if (historyRow(job, config, branch, from, to)) ran++;
            }
        }
        if (read == 0) return; // no CI configuration in effect in the window: nothing could have run
        sink.gap(new Gap(GitLabSource.PROVIDER, host, project.fullPath(), "", Gap.RUNS_EXPIRED, "no pipeline is "
                + "listed for the window" + (retainedFrom == null ? "" : " (the oldest kept was created "
                + retainedFrom + ")") + ": the records have expired; the configuration in effect on " + branch
                + " was read from the commit history (" + read + " version(s), " + candidates + " job(s) with the "
                + "uploader, " + ran + " listed RAN, basis commit-history)", false));
    }

    /** One job of a configuration version the history says was in effect; true when listed RAN. */
    private boolean historyRow(Job job, Config config, String branch, Instant from, Instant to) {
        boolean conditional = job.manual() || !job.rules().isEmpty() || job.only() != null || job.except() != null
                || job.hits().stream().filter(Hit::affected).allMatch(Hit::possible);
        String where = "commit history: " + config.path() + " in effect on " + branch + " from " + from + " to " + to;
        String evidence = where + ", " + (conditional ? "it may have run (`when: manual`, `rules:` or `only:`/"
                + "`except:` decide)" : "every pipeline of the branch runs it") + "; " + citation(config, job);
        String sha7 = shortSha(config.sha());
        JobFinding f = new JobFinding(GitLabSource.PROVIDER, host, project.fullPath(), config.path(), "", 1,
                "commit:" + branch + "@" + sha7 + ":" + config.path() + ":" + job.name(), job.name(), branch,
                config.sha(), "", from, project.webUrl() + "/-/blob/" + config.sha() + "/" + config.path(),
                Verdict.RAN, conditional ? Confidence.POSSIBLE : Confidence.PROBABLE, evidence,
                JobFinding.COMMIT_HISTORY, to);
        sink.job(f);
        com.fasterxml.jackson.databind.node.ObjectNode ref = com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.objectNode();
        ref.put("ref", branch);
        try {
            expose(f, ref, job);
        } catch (IOException e) {
            apiGap("", e, "the CI/CD variables");
        }
        return true;
    }

    /**
     * Pipelines updated since the window began and created before it ended: a pipeline created before the window
     * is still updated when a job of it starts inside. An older GitLab ignores `created_before`: the creation
     * time is checked here too. {@code extra}: `&source=parent_pipeline` for the children the default listing hides.
     */
    private List<JsonNode> listPipelines(String extra) throws IOException {
        String path = api + "/pipelines?updated_after=" + ctx.window().since() + "&created_before="
                + ctx.window().until() + "&order_by=id&sort=asc" + extra;
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : http.list(path, 0).items()) {
            Instant created = time(p.path("created_at"));
            if (created != null && created.isAfter(ctx.window().until())) continue;
            out.add(p);
        }
        return out;
    }

    private void pipeline(JsonNode p) throws IOException {
        long id = p.path("id").asLong();
        String runId = Long.toString(id);
        Instant created = time(p.path("created_at"));
        List<JsonNode> jobs = http.list(api + "/pipelines/" + id + "/jobs?include_retried=true", 0).items();
        List<JsonNode> sorted = new ArrayList<>(jobs);
        sorted.sort(Comparator.comparingLong(j -> j.path("id").asLong()));
        Map<Long, Integer> attempts = new HashMap<>();
        Map<String, Integer> tries = new HashMap<>();
        List<JsonNode> inWindow = new ArrayList<>();
        for (JsonNode j : sorted) {
            attempts.put(j.path("id").asLong(), tries.merge(j.path("name").asText(), 1, Integer::sum));
            Instant started = time(j.path("started_at"));
            boolean in = started != null ? ctx.window().contains(started)
                    : created != null && ctx.window().contains(created);
            if (in) inWindow.add(j);
        }
        String sha = p.path("sha").asText("");
        boolean child = "parent_pipeline".equals(p.path("source").asText());
        if (inWindow.isEmpty()) {
            // A parent whose own jobs ran before the window may still have started a child inside it.
            if (!child && !childIds.isEmpty()) {
                Config parent = rootConfig(sha);
                if (parent.pipeline() != null) childPipelines(id, parent.pipeline());
            }
            return;
        }
        sink.examinedRun(GitLabSource.PROVIDER);
        ctx.progress().examinedRun();

        List<EvidenceLink> used = new ArrayList<>();
        Config config = child ? childConfig(id, sha) : rootConfig(sha);
        if (config.link() != null) used.add(config.link());
        if (config.pipeline() == null) {
            sink.gap(new Gap(GitLabSource.PROVIDER, host, project.fullPath(), runId, config.gap(), config.why()
                    + "; its jobs are listed by name, judged from their traces alone (UNKNOWN where the trace shows "
                    + "no uploader)", true));
        } else {
            unresolvedIncludes(runId, config.pipeline());
            childPipelines(id, config.pipeline());
        }
        for (JsonNode j : inWindow) {
            sink.examinedJob(GitLabSource.PROVIDER);
            ctx.progress().examinedJob();
            try {
                judgeJob(p, j, attempts.get(j.path("id").asLong()), config, used);
            } catch (IOException e) {
                apiGap(runId, e, "job " + j.path("id").asText());
            }
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("sha", sha);
        facts.put("ref", p.path("ref").asText(""));
        facts.put("source", p.path("source").asText(""));
        if (created != null) facts.put("created_at", created.toString());
        sink.evidence(new EvidenceRecord(GitLabSource.PROVIDER, host, project.fullPath(), runId, facts,
                used.stream().distinct().toList()));
    }

    // ---- configuration -----------------------------------------------------------------------------------------

    /** A pipeline's configuration: analyzed, or why not (a gap code and words). */
    private record Config(String path, String sha, Pipeline pipeline, String gap, String why, EvidenceLink link) { }

    private Config rootConfig(String sha) throws IOException {
        String path = project.configPath();
        if (path.contains("@") || path.matches("(?i)https?://.*")) {
            return new Config(path, sha, null, Gap.CONFIG_NOT_FOUND, "the configuration is in another project or "
                    + "at a URL (" + path + "), which this walk does not read", null);
        }
        Optional<String> text = file(sha, path);
        if (text.isEmpty()) {
            return new Config(path, sha, null, Gap.CONFIG_NOT_FOUND, path + " is not in the repository at "
                    + shortSha(sha), EvidenceLink.absent("gitlab-config", key(sha, path), null, "not found"));
        }
        return analyze(path, sha, text.get());
    }

    /** A child pipeline runs the files its parent's trigger job includes; this root includes them the same way. */
    private Config childConfig(long id, String sha) throws IOException {
        List<Include> includes = childConfigs.get(id);
        if (includes == null || includes.isEmpty()) {
            return new Config("", sha, null, Gap.CONFIG_NOT_FOUND, "the configuration of child pipeline " + id
                    + " could not be told: no parent pipeline's trigger job in the window names it", null);
        }
        List<Include> local = includes.stream().filter(i -> "local".equals(i.kind())).toList();
        if (local.size() != includes.size()) {
            return new Config(includes.get(0).location(), sha, null, Gap.CONFIG_NOT_FOUND, "child pipeline " + id
                    + " runs " + includes.stream().map(Include::describe).toList() + ", which this walk does not read",
                    null);
        }
        String path = FileLookup.normalise(local.get(0).location());
        if (local.size() == 1 && path != null) {
            Optional<String> text = file(sha, path);
            if (text.isEmpty()) {
                return new Config(path, sha, null, Gap.CONFIG_NOT_FOUND, path + " is not in the repository at "
                        + shortSha(sha), EvidenceLink.absent("gitlab-config", key(sha, path), null, "not found"));
            }
            return analyze(path, sha, text.get());
        }
        StringBuilder root = new StringBuilder("include:\n");
        for (Include i : local) root.append("  - local: '").append(i.location().replace("'", "''")).append("'\n");
        return analyze(local.get(0).location(), sha, root.toString());
    }

    private Config analyze(String path, String sha, String text) {
        String hash = ctx.evidence().put("gitlab-config", webFile(sha, path), "text/yaml", text);
        EvidenceLink link = EvidenceLink.stored("gitlab-config", key(sha, path), null, hash);
        try {
            Pipeline p = GitLabPipelineAnalyzer.analyze(path, text, lookup(sha), ctx.matcher());
            return new Config(path, sha, p, null, null, link);
        } catch (ConfigParseException e) {
            return new Config(path, sha, null, Gap.UNPARSABLE_CONFIG, path + "@" + shortSha(sha) + " could not be read: "
                    + e.getMessage(), link);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof IOException io) {
                return new Config(path, sha, null, Gap.API_ERROR, "a file of the configuration could not be read: "
                        + io.getMessage(), link);
            }
            throw e;
        }
    }

    /**
     * The repository at a commit, through the files API: local includes and scripts the configuration calls; and
     * `include: project:` files of other projects the token can read (at their ref, or their default branch).
     * Templates and remote URLs are not fetched: they stay unresolved includes, a coverage gap.
     */
    private FileLookup lookup(String sha) {
        return new FileLookup() {
            @Override
            public Optional<String> read(String repoPath) {
                try {
                    return file(sha, repoPath);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public Optional<String> readRemote(String repository, String ref, String path) {
                if (repository == null || repository.equals(GitLabPipelineAnalyzer.TEMPLATES)
                        || repository.equals(GitLabPipelineAnalyzer.REMOTE)) {
                    return Optional.empty();
                }
                try {
                    String text = http.text("/projects/" + GitLabHttp.enc(repository) + "/repository/files/"
                            + GitLabHttp.enc(path) + "/raw" + (ref == null ? "" : "?ref=" + GitLabHttp.enc(ref)));
                    return Optional.ofNullable(text);
                } catch (IOException e) {
                    return Optional.empty(); // denied or failing: the include is listed as not read
                }
            }
        };
    }

    /** A file at a commit, fetched once per walk of the project even when pipelines ask for it at the same time. */
    private Optional<String> file(String sha, String path) throws IOException {
        try {
            return files.computeIfAbsent(key(sha, path), k -> {
                try {
                    return Optional.ofNullable(http.text(api + "/repository/files/" + GitLabHttp.enc(path) + "/raw?ref="
                            + GitLabHttp.enc(sha)));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void unresolvedIncludes(String runId, Pipeline p) {
        if (p.unresolvedIncludes().isEmpty()) return;
        List<String> names = p.unresolvedIncludes().stream().map(i -> i.describe()
                + (i.reason() == null || i.reason().isEmpty() ? "" : " (" + i.reason() + ")")).toList();
        sink.gap(new Gap(GitLabSource.PROVIDER, host, project.fullPath(), runId, Gap.CONFIG_NOT_FOUND,
                "includes not read: " + String.join(", ", names) + "; an uploader in them would not be seen", false));
    }

    /** Notes which configuration each child pipeline of this one runs, from its bridges (trigger jobs). */
    private void childPipelines(long id, Pipeline p) {
        boolean triggers = p.jobs().stream().anyMatch(j -> j.trigger() != null && j.trigger().project() == null);
        if (!triggers || childIds.isEmpty()) return;
        try {
            for (JsonNode b : http.list(api + "/pipelines/" + id + "/bridges", 0).items()) {
                long child = b.path("downstream_pipeline").path("id").asLong(0);
                if (child == 0 || !childIds.contains(child)) continue;
                p.jobs().stream().filter(j -> j.trigger() != null && j.namesApiJob(b.path("name").asText()))
                        .findFirst().ifPresent(j -> childConfigs.put(child, j.trigger().includes()));
            }
        } catch (IOException e) {
            apiGap(Long.toString(id), e, "the trigger jobs of pipeline " + id);
        }
    }

    // ---- jobs --------------------------------------------------------------------------------------------------

    private void judgeJob(JsonNode p, JsonNode j, int attempt, Config config, List<EvidenceLink> used)
            throws IOException {
        String name = j.path("name").asText();
        String status = j.path("status").asText("");
        Instant started = time(j.path("started_at"));
        Job job = config.pipeline() == null ? null
                : config.pipeline().jobs().stream().filter(c -> c.namesApiJob(name)).findFirst().orElse(null);
        boolean known = config.pipeline() != null;
        if (known && (job == null || job.hits().isEmpty())) {
            // The configuration runs no indicator here, unless a part of it was not read: then the trace decides.
            boolean mayHide = job == null ? !config.pipeline().unresolvedIncludes().isEmpty()
                    : hidden(config.pipeline(), job);
            if (started != null && mayHide) traceOnly(p, j, attempt, config);
            return;
        }

        String runId = p.path("id").asText();
        String where = job == null ? "" : citation(config, job);
        if (job != null && !job.usesIndicator()) {
            Hit h = job.hits().get(0);
            record(p, j, attempt, config, job, Verdict.NOT_RUN, Confidence.CONFIRMED,
                    "\"" + h.text() + "\" does not run the uploader (" + h.how() + "); " + where);
            return;
        }
        if (started == null) {
            String never = "manual".equals(status) ? "manual job never played" : "job " + status + ", never started";
            if (job != null || known) {
                record(p, j, attempt, config, job, Verdict.NOT_RUN, Confidence.CONFIRMED, never + "; " + where);
            }
            return;
        }
        String jobId = j.path("id").asText();
        String trace = http.text(api + "/jobs/" + jobId + "/trace");
        boolean erased = trace == null || trace.isBlank();
        if (erased) {
            used.add(EvidenceLink.absent("gitlab-trace", jobId, jobId, "erased"));
            if (job == null) {
                record(p, j, attempt, config, null, Verdict.UNKNOWN, Confidence.POSSIBLE, "job " + status
                        + "; trace erased and configuration unreadable: whether it ran the uploader cannot be told");
                return;
            }
            sink.gap(new Gap(GitLabSource.PROVIDER, host, project.fullPath(), runId, Gap.LOGS_EXPIRED, "the trace of "
                    + "job " + jobId + " (" + name + ") is erased; the verdict rests on the configuration", false));
            boolean succeeded = "success".equals(status);
            record(p, j, attempt, config, job, Verdict.RAN, succeeded ? Confidence.PROBABLE : Confidence.POSSIBLE,
                    "job " + status + "; trace erased; " + where
                            + (succeeded ? "" : " (the job failed: it may have stopped before that line)"));
            return;
        }
        String hash = ctx.evidence().put("gitlab-trace", project.webUrl() + "/-/jobs/" + jobId + "/raw",
                "text/plain", trace);
        used.add(EvidenceLink.stored("gitlab-trace", jobId, jobId, hash));
        TraceScan.Reading r = TraceScan.read(trace, job, ctx.matcher());
        if (r.reached()) {
            record(p, j, attempt, config, job, Verdict.RAN, Confidence.CONFIRMED, "trace line " + r.line() + " "
                    + r.text() + (where.isEmpty() ? "" : "; " + where));
            return;
        }
        if (job == null) {
            record(p, j, attempt, config, null, Verdict.UNKNOWN, Confidence.POSSIBLE, "job " + status + "; the "
                    + "configuration could not be read and the trace shows no uploader line (a script it calls may "
                    + "still run it)");
            return;
        }
        if (r.echoes()) {
            record(p, j, attempt, config, job, Verdict.NOT_RUN, Confidence.CONFIRMED, "job " + status
                    + " before the uploader line: the trace never reaches it; " + where);
        } else if ("success".equals(status)) {
            record(p, j, attempt, config, job, Verdict.RAN, Confidence.PROBABLE, "job success; the trace echoes no "
                    + "commands; " + where);
        } else {
            record(p, j, attempt, config, job, Verdict.UNKNOWN, Confidence.POSSIBLE, "job " + status + "; the trace "
                    + "echoes no commands, so whether it reached the uploader cannot be told; " + where);
        }
    }

    /** True when the job's scripts may be incomplete: a template it extends or an include was not read. */
    private static boolean hidden(Pipeline p, Job job) {
        return !job.undefinedTemplates().isEmpty() || !job.missing().isEmpty() || !p.unresolvedIncludes().isEmpty();
    }

    /** A job whose configuration shows no uploader but may hide one: listed only when its trace shows it ran. */
    private void traceOnly(JsonNode p, JsonNode j, int attempt, Config config) throws IOException {
        String trace = http.text(api + "/jobs/" + j.path("id").asText() + "/trace");
        if (trace == null || trace.isBlank()) return;
        TraceScan.Reading r = TraceScan.read(trace, null, ctx.matcher());
        if (!r.reached()) return;
        record(p, j, attempt, config, null, Verdict.RAN, Confidence.CONFIRMED, "trace line " + r.line() + " " + r.text()
                + "; not in the configuration as read (a template or include that was not read)");
    }

    /** `.gitlab-ci.yml@3f2a1c0:12 bash <(curl -s https://codecov.io/bash)` for the job's first uploader line. */
    private static String citation(Config config, Job job) {
        Hit h = job.hits().stream().filter(Hit::affected).findFirst().orElse(job.hits().get(0));
        String at = h.file() + "@" + shortSha(config.sha()) + ":" + h.line() + " " + h.text();
        return h.followed() ? at + " (in " + h.location() + ")" : at;
    }

    private void record(JsonNode p, JsonNode j, int attempt, Config config, Job job, Verdict verdict,
                        Confidence confidence, String evidence) throws IOException {
        String pipelinePath = config.path() == null || config.path().isEmpty() ? project.configPath() : config.path();
        JobFinding f = new JobFinding(GitLabSource.PROVIDER, host, project.fullPath(), pipelinePath,
                p.path("id").asText(), attempt, j.path("id").asText(), j.path("name").asText(),
                p.path("ref").asText(""), p.path("sha").asText(""), p.path("source").asText(""),
                time(j.path("started_at")), j.path("web_url").asText(""), verdict, confidence, evidence);
        sink.job(f);
        if (verdict == Verdict.RAN) expose(f, p, job);
    }

    // ---- exposure ----------------------------------------------------------------------------------------------

    /**
     * Every CI/CD variable in reach of the job is in its shell with the uploader: the project's, then each ancestor
     * group's (closest first), then the instance's; a key already given by a closer store is overridden there.
     */
    private void expose(JobFinding f, JsonNode p, Job job) throws IOException {
        Boolean protectedRef = protectedRef(p);
        String environment = job == null ? null : CiVariables.environment(job.environment(), p.path("ref").asText(null));
        Map<String, Exposure> out = new LinkedHashMap<>();
        List<CiVariables.Store> stores = new ArrayList<>();
        stores.add(projectStore());
        for (String g : project.groups()) stores.add(this.stores.group(http, g));
        stores.add(this.stores.instance(http, sink));
        Set<String> given = new LinkedHashSet<>();
        for (CiVariables.Store s : stores) {
            if (!s.listable()) {
                if (!"instance".equals(s.scope())) unlistable(f, s, job, out);
                continue;
            }
            Set<String> here = new LinkedHashSet<>();
            for (CiVariables.Variable v : s.variables()) {
                if (given.contains(v.key()) || !v.reaches(protectedRef, environment)) continue;
                here.add(v.key());
                String via = s.scope() + " CI/CD " + v.describe() + " " + v.key() + " (every variable is in the job's "
                        + "shell)" + (v.isProtected() ? protectedRef == null ? "; protected, and whether " + f.branch()
                        + " is protected could not be read" : "; protected, " + f.branch() + " is protected" : "")
                        + ("*".equals(v.environmentScope()) ? "" : "; environment_scope " + v.environmentScope());
                out.putIfAbsent(s.scope() + "|" + s.owner() + "|" + v.key(), new Exposure(f, v.key(), s.scope(),
                        s.owner(), ExposureLevel.STEP, via, SecretState.PRESENT, null));
            }
            given.addAll(here);
        }
        for (String name : CiVariables.EPHEMERAL) {
            out.putIfAbsent("ephemeral|" + name, new Exposure(f, name, "ephemeral", project.fullPath(),
                    ExposureLevel.STEP, "predefined variable " + name + " (issued for the job)", SecretState.EPHEMERAL,
                    null));
        }
        out.values().forEach(sink::exposure);
    }

    /** A store the token may not list: a gap once per project and store, and the configuration's names for review. */
    private void unlistable(JobFinding f, CiVariables.Store s, Job job, Map<String, Exposure> out) {
        Set<String> names = configNames(job);
        String key = s.scope() + ":" + s.owner();
        if (unlistedStores.add(key)) {
            sink.gap(new Gap(GitLabSource.PROVIDER, host, project.fullPath(), "", Gap.SECRETS_UNLISTABLE, "the "
                    + s.scope() + " CI/CD variables of " + s.owner() + " could not be listed (" + s.problem()
                    + "; the Maintainer role lists them): every variable in reach of the jobs was exposed; "
                    + (names.isEmpty() ? "the configuration names none" : "names from the configuration, for review: "
                    + String.join(", ", names)), false));
        }
        for (String n : names) {
            out.putIfAbsent("unresolved|" + n, new Exposure(f, n, "unresolved", s.owner(), ExposureLevel.STEP,
                    "named in the configuration; the " + s.scope() + " variables of " + s.owner()
                            + " could not be listed", SecretState.UNKNOWN, null));
        }
    }

    private final Set<String> unlistedStores = ConcurrentHashMap.newKeySet();

    /** Secret-looking names the job's configuration uses or sets (its scripts' `$NAME`s, its `variables:` keys). */
    private static Set<String> configNames(Job job) {
        Set<String> names = new java.util.TreeSet<>();
        if (job == null) return names;
        for (ScriptLine l : job.scripts()) {
            for (String n : SecretNames.shellRefs(l.text())) {
                if (SecretNames.looksSecret(n) && !n.startsWith("CI_") && !job.variables().contains(n)) names.add(n);
            }
        }
        for (String n : job.variables()) if (SecretNames.looksSecret(n)) names.add(n);
        return names;
    }

    private synchronized CiVariables.Store projectStore() {
        if (projectStore == null) {
            projectStore = stores.project(http, project.id(), project.fullPath());
        }
        return projectStore;
    }

    /** Whether the pipeline's ref is protected; null when the project's protected refs cannot be read. */
    private synchronized Boolean protectedRef(JsonNode p) {
        String ref = p.path("ref").asText("");
        if (ref.startsWith("refs/merge-requests/")) return false;
        if (!protectionRead) {
            protectionRead = true;
            protectedBranches = names(api + "/protected_branches");
            protectedTags = names(api + "/protected_tags");
        }
        List<String> patterns = p.path("tag").asBoolean(false) ? protectedTags : protectedBranches;
        return patterns == null ? null : CiVariables.refMatches(patterns, ref);
    }

    private List<String> names(String path) {
        try {
            List<String> out = new ArrayList<>();
            for (JsonNode n : http.list(path, 0).items()) out.add(n.path("name").asText());
            return out;
        } catch (IOException e) {
            return null;
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private void apiGap(String runId, IOException e, String what) {
        String code = e instanceof GitLabData.NotInEvidence ? Gap.NOT_IN_EVIDENCE : e instanceof HttpFailure f ? switch (f.kind()) {
            case DENIED -> Gap.ACCESS_DENIED;
            case UNREACHABLE -> Gap.UNREACHABLE;
            default -> Gap.API_ERROR;
        } : Gap.API_ERROR;
        sink.gap(new Gap(GitLabSource.PROVIDER, host, project.fullPath(), runId, code, "cannot read " + what + ": "
                + e.getMessage(), true));
    }

    private String webFile(String sha, String path) {
        return project.webUrl() + "/-/blob/" + sha + "/" + path;
    }

    private String key(String sha, String path) {
        return project.fullPath() + ":" + sha + ":" + path;
    }

    private static String shortSha(String sha) {
        return sha == null ? "" : sha.length() > 7 ? sha.substring(0, 7) : sha;
    }

    private static Instant time(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode() || n.asText("").isBlank()) return null;
        try {
            return io.breachwalk.text.IsoTime.parse(n.asText());
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }
}
