package io.breachwalk.source.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.breachwalk.detect.LogMatch;
import io.breachwalk.model.Confidence;
import io.breachwalk.model.EvidenceLink;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.ExposureLevel;
import io.breachwalk.model.Gap;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.SecretState;
import io.breachwalk.model.Verdict;
import io.breachwalk.source.ScanContext;
import io.breachwalk.source.Sink;
import io.breachwalk.source.github.WorkflowAnalyzer.UnparsableWorkflowException;
import io.breachwalk.source.github.WorkflowModel.Job;
import io.breachwalk.source.github.WorkflowModel.ScopedSecret;
import io.breachwalk.source.github.WorkflowModel.Step;
import io.breachwalk.source.github.WorkflowModel.Workflow;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * The walk of one repository (DESIGN 4.3): list the runs created from 30 days before the window to its end (slicing
 * the range so no listing reaches GitHub's 1,000-result cap), read each run's workflow at its head_sha (once per
 * commit and path), fetch jobs only for runs whose workflow references an indicator, judge every job that started
 * in the window from its step records, let logs upgrade the evidence, and list the secrets in scope of each job that
 * ran the step.
 */
final class RepoWalk {
    /** A run can be re-run for 30 days; a queued job can wait a day before it starts. */
    static final Duration RERUN_REACH = Duration.ofDays(30);
    private static final Duration QUEUE_SLACK = Duration.ofDays(1);
    /** Split a range when its listing holds this many runs: GitHub returns at most 1,000 per filtered query. */
    static final int SLICE_LIMIT = 1000;
    /** Most slices one listing is cut into; a slice still too full splits again. */
    private static final int MAX_PARTS = 100;
    private static final int SLICE_TARGET = 800;

    private final ScanContext ctx;
    private final Sink sink;
    private final RepoData data;
    private final String host;
    private final String fullName;
    private final ExecutorService pool;
    private final Map<String, FutureTask<Optional<String>>> files = new ConcurrentHashMap<>();
    private final Map<String, FutureTask<Analysis>> workflows = new ConcurrentHashMap<>();
    /** Per run examined: what its verdicts rested on, for the evidence manifest. */
    private final Map<String, List<EvidenceLink>> runEvidence = new ConcurrentHashMap<>();

    RepoWalk(ScanContext ctx, Sink sink, RepoData data, String host, String fullName, ExecutorService pool) {
        this.ctx = ctx;
        this.sink = sink;
        this.data = data;
        this.host = host;
        this.fullName = fullName;
        this.pool = pool;
    }

    /** A judged job, with what the exposure stage needs. */
    private record Result(JobFinding finding, Job job, Step uploader, boolean fork, String forkName) {}

    /** The workflow at one commit: analysed, or why not; {@code files} names what was read (RepoData names). */
    private record Analysis(Workflow workflow, String gap, String detail, List<String> files) {}

    /** The online walk: list the runs, then judge them. */
    void walk(GitHubRest rest) {
        sink.examinedProject(GitHubSource.PROVIDER);
        ctx.progress().step(fullName);
        Map<Long, JsonNode> runs = new LinkedHashMap<>();
        Instant from = ctx.window().since().minus(RERUN_REACH);
        Instant to = ctx.window().until().minusSeconds(1);
        try {
            listRuns(rest, from, to, runs);
        } catch (GitHubRest.ApiError e) {
            gap("", e.status == 403 || e.status == 404 ? Gap.ACCESS_DENIED : Gap.API_ERROR,
                    "workflow runs could not be listed: " + e.getMessage(), true);
            return;
        } catch (IOException e) {
            gap("", Gap.API_ERROR, "workflow runs could not be listed: " + readable(e), true);
            return;
        }
        if (!unnumbered.isEmpty()) {
            // Keyed by id, they would collapse into one entry (or be asked for as /runs/abc): refuse them, say so.
            gap("", Gap.API_ERROR, unnumbered.size() + " run(s) in the listing have no numeric id (e.g. id: "
                    + unnumbered.get(0) + "); they could not be examined", true);
        }
        judge(runs.values());
    }

    /** Judges listed runs (online) or stored ones (`scan --offline`): the same code either way. */
    void judge(Iterable<JsonNode> runs) {
        Map<String, Future<List<Result>>> pending = new LinkedHashMap<>();
        for (JsonNode run : runs) {
            if (candidate(run)) {
                sink.examinedRun(GitHubSource.PROVIDER);
                pending.put(run.path("id").asText(), pool.submit(() -> run(run)));
            }
        }
        List<Result> results = new ArrayList<>();
        for (Map.Entry<String, Future<List<Result>>> f : pending.entrySet()) {
            try {
                results.addAll(f.getValue().get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                // Named by run, in words: a person reads this row, not a stack trace.
                gap(f.getKey(), e.getCause() instanceof StoredRepoData.NotInEvidence ? Gap.NOT_IN_EVIDENCE
                        : Gap.API_ERROR, "the run could not be examined: " + readable(e.getCause()), true);
            }
        }
        results = readLogs(results);
        SecretStores stores = new SecretStores(data::secrets, fullName,
                problem -> gap("", Gap.SECRETS_UNLISTABLE, problem + "; exposures list the names with status REVIEW", false));
        for (Result r : results) {
            sink.job(r.finding());
            if (r.finding().verdict() == Verdict.RAN) {
                exposures(r, stores);
            }
        }
        recordEvidence(stores);
    }

    /** One record per run examined (run, files, jobs, logs) and one for the repository (secret listings). */
    private void recordEvidence(SecretStores stores) {
        for (Map.Entry<String, List<EvidenceLink>> e : runEvidence.entrySet()) {
            List<EvidenceLink> items = new ArrayList<>(e.getValue());
            EvidenceLink jobs = data.link(RepoData.JOBS, e.getKey());
            if (jobs != null) {
                for (String id : jobs.note().split(",")) {
                    if (id.isEmpty()) continue;
                    addIfPresent(items, data.link(RepoData.JOB, id));
                    addIfPresent(items, data.link(RepoData.LOG, id));
                }
            }
            sink.evidence(new EvidenceRecord(GitHubSource.PROVIDER, host, fullName, e.getKey(), Map.of(), items));
        }
        List<EvidenceLink> listings = new ArrayList<>();
        for (String store : stores.asked()) {
            addIfPresent(listings, data.link(RepoData.SECRETS, store));
        }
        if (!listings.isEmpty()) {
            sink.evidence(new EvidenceRecord(GitHubSource.PROVIDER, host, fullName, "", Map.of(), listings));
        }
    }

    private static void addIfPresent(List<EvidenceLink> items, EvidenceLink l) {
        if (l != null && !items.contains(l)) {
            items.add(l);
        }
    }

    // --- listing -----------------------------------------------------------------------------------------------

    /** Lists runs created in [from, to] (inclusive, to the second), splitting until each listing is under the cap. */
    private void listRuns(GitHubRest rest, Instant from, Instant to, Map<Long, JsonNode> out)
            throws IOException, GitHubRest.ApiError {
        String path = "/repos/" + fullName + "/actions/runs?per_page=100&created="
                + URLEncoder.encode(from + ".." + to, StandardCharsets.UTF_8);
        GitHubRest.Response first = rest.get(path);
        if (first.status() != 200) {
            throw new GitHubRest.ApiError(first.status(), first.message(), path);
        }
        JsonNode body = first.json();
        JsonNode items = GitHubRest.list(body, "workflow_runs", path);
        long total = body.path("total_count").asLong();
        long seconds = Duration.between(from, to).getSeconds();
        // total_count only says when to split; a listing that ends on its first page (no next link) holds every run
        // whatever total_count claims: a huge one would otherwise split the range into millions of listings.
        boolean more = first.next().isPresent();
        if (total >= SLICE_LIMIT && more && seconds > 0) {
            // Cut into slices expected to hold ~800 runs each; a slice that is still too full splits again. At most
            // MAX_PARTS per level, so an absurd total_count costs at most that many listings before the pages decide.
            long parts = Math.min(MAX_PARTS, Math.min(seconds + 1, Math.max(2, (total + SLICE_TARGET - 1) / SLICE_TARGET)));
            long step = (seconds + 1) / parts;
            Instant start = from;
            for (long i = 0; i < parts; i++) {
                Instant end = i == parts - 1 ? to : start.plusSeconds(step - 1);
                listRuns(rest, start, end, out);
                start = end.plusSeconds(1);
            }
            return;
        }
        if (total >= SLICE_LIMIT && more) {
            gap("", Gap.RESULT_CAP, total + " runs were created in the second " + from
                    + "; GitHub lists at most 1,000 per query, some runs could not be listed", true);
        }
        items.forEach(r -> keep(r, out));
        Optional<String> next = first.next();
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (next.isPresent()) {
            if (!seen.add(next.get())) {
                // A Link rel="next" back to a page already read would loop for ever.
                throw new io.breachwalk.source.HttpFailure(io.breachwalk.source.HttpFailure.Kind.FATAL, 200, null,
                        "the pages of the run listing link back to a page already read; listing stopped there");
            }
            GitHubRest.Response page = rest.get(next.get());
            if (page.status() != 200) {
                throw new GitHubRest.ApiError(page.status(), page.message(), path);
            }
            GitHubRest.list(page.json(), "workflow_runs", path).forEach(r -> keep(r, out));
            next = page.next();
        }
    }

    /** Listed runs whose id is not a positive integer (e.g. "abc"): reported once by {@link #walk}. */
    private final List<String> unnumbered = java.util.Collections.synchronizedList(new ArrayList<>());

    private void keep(JsonNode run, Map<Long, JsonNode> out) {
        if (!validId(run.path("id"))) {
            unnumbered.add(GitHubRest.kind(run.path("id")).replaceFirst("^the text ", ""));
            return;
        }
        out.put(run.path("id").asLong(), run);
    }

    /** GitHub's ids are positive integers; anything else cannot name a run or job in a later request. */
    static boolean validId(JsonNode id) {
        return id.isIntegralNumber() && id.canConvertToLong() && id.asLong() > 0;
    }

    /**
     * Could any job of this run have started in the window? The listing gives the latest attempt's start; earlier
     * attempts started before it, and a job starts at most a day after its attempt.
     */
    private boolean candidate(JsonNode run) {
        Instant latest = time(run, "run_started_at", time(run, "created_at", null));
        if (latest == null) {
            return true;
        }
        if (latest.isBefore(ctx.window().since().minus(QUEUE_SLACK))) {
            return false;
        }
        return run.path("run_attempt").asInt(1) > 1 || latest.isBefore(ctx.window().until());
    }

    // --- one run -----------------------------------------------------------------------------------------------

    private List<Result> run(JsonNode run) throws IOException, GitHubRest.ApiError, InterruptedException {
        String runId = run.path("id").asText();
        String sha = run.path("head_sha").asText();
        List<EvidenceLink> items = new ArrayList<>();
        items.add(data.run(run));
        runEvidence.put(runId, items);
        String path = workflowPath(run);
        Analysis analysis = analysis(sha, path);
        addIfPresent(items, data.link(RepoData.WORKFLOW, "workflow-id:" + run.path("workflow_id").asText()));
        analysis.files().forEach(f -> addIfPresent(items, data.link(RepoData.FILE, f)));
        if (analysis.workflow() == null) {
            gap(runId, analysis.gap(), analysis.detail(), true);
            return List.of();
        }
        if (!analysis.workflow().referencesIndicator()) {
            return List.of(); // nothing to judge: its jobs are not fetched
        }
        List<JsonNode> jobs = data.jobs(runId);
        addIfPresent(items, data.link(RepoData.JOBS, runId));
        String event = run.path("event").asText();
        String head = run.path("head_repository").path("full_name").asText(fullName);
        boolean fork = event.startsWith("pull_request") && !event.equals("pull_request_target")
                && !head.equalsIgnoreCase(fullName);
        String sha7 = sha.length() > 7 ? sha.substring(0, 7) : sha;
        List<Result> out = new ArrayList<>();
        for (JsonNode j : jobs) {
            String jobName = io.breachwalk.report.Cells.terminal(j.path("name").asText(""));
            if (!validId(j.path("id"))) {
                // Its log and evidence are fetched and filed by id: without one it cannot be judged.
                gap(runId, Gap.API_ERROR, "job \"" + jobName + "\" of run " + runId + " has no numeric id (id: "
                        + GitHubRest.kind(j.path("id")).replaceFirst("^the text ", "") + "); it could not be judged", true);
                continue;
            }
            JsonNode startedAt = j.path("started_at");
            if (startedAt.isTextual() && !startedAt.asText().isEmpty() && time(j, "started_at", null) == null) {
                // Not placed in the window by guesswork: said, and left for a person to check.
                gap(runId, Gap.API_ERROR, "job " + j.path("id").asText() + " (\"" + jobName + "\") of run " + runId
                        + " has started_at " + GitHubRest.kind(startedAt).replaceFirst("^the text ", "")
                        + ", not a timestamp: whether it ran in the window is unknown", true);
                continue;
            }
            Instant started = time(j, "started_at", time(run, "run_started_at", null));
            if (!ctx.window().contains(started)) {
                continue;
            }
            if (j.has("steps") && !j.get("steps").isArray()) {
                // The verdict below rests on the workflow file and the log alone (as for a job without records).
                gap(runId, Gap.API_ERROR, "job " + j.path("id").asText() + " of run " + runId + ": the jobs API gave "
                        + "steps as " + GitHubRest.kind(j.get("steps")) + ", not a list; the verdict rests on the "
                        + "workflow file and the log", false);
            }
            sink.examinedJob(GitHubSource.PROVIDER);
            Job job = match(analysis.workflow(), j.path("name").asText());
            JobFinding base = new JobFinding(GitHubSource.PROVIDER, host, fullName, path, runId,
                    j.path("run_attempt").asInt(run.path("run_attempt").asInt(1)), j.path("id").asText(),
                    j.path("name").asText(), run.path("head_branch").asText(""), sha, event, started,
                    j.path("html_url").asText(""), Verdict.UNKNOWN, Confidence.POSSIBLE, "");
            if (job == null) {
                out.add(new Result(base.withVerdict(Verdict.UNKNOWN, Confidence.POSSIBLE, "job \"" + j.path("name").asText()
                        + "\" matches no job of " + path + "@" + sha7 + ", which references "
                        + analysis.workflow().jobs().stream().filter(x -> !x.hits().isEmpty()).findFirst()
                        .map(x -> StepJudge.config(x.hits().get(0), sha7)).orElse("an indicator")), null, null, fork, head));
                continue;
            }
            if (job.hits().isEmpty()) {
                continue;
            }
            StepJudge.Judgement jd = StepJudge.judge(j, job, sha7);
            out.add(new Result(base.withVerdict(jd.verdict(), jd.confidence(), jd.evidence()), job, jd.uploader(),
                    fork, head));
        }
        return out;
    }

    /** The workflow job an API job belongs to: an exact display name first, then the name patterns. */
    private static Job match(Workflow wf, String apiName) {
        for (Job j : wf.jobs()) {
            if (j.displayName().equals(apiName)) {
                return j;
            }
        }
        for (Job j : wf.jobs()) {
            if (j.namePattern().matcher(apiName).matches()) {
                return j;
            }
        }
        return null;
    }

    private String workflowPath(JsonNode run) throws IOException, InterruptedException {
        String path = run.path("path").asText("");
        if (path.isEmpty()) {
            // Older servers omit `path`: ask for the workflow (cached through the file cache key space).
            long id = run.path("workflow_id").asLong();
            Optional<String> p = memo(files, "workflow-id:" + id,
                    () -> data.workflow(id).map(w -> w.path("path").asText()));
            path = p.orElse("");
        }
        int at = path.indexOf('@');
        return at > 0 ? path.substring(0, at) : path; // the OpenAPI example shows `.github/workflows/x.yml@main`
    }

    /** The analysis of (sha, path): the file is fetched once per commit and path, whatever the number of runs. */
    private Analysis analysis(String sha, String path) throws IOException, InterruptedException {
        return memo(workflows, sha + ":" + path, () -> {
            List<String> read = java.util.Collections.synchronizedList(new ArrayList<>());
            read.add(RepoData.fileName(fullName, path, sha));
            Optional<String> text;
            try {
                text = file(null, path, sha);
            } catch (RepoData.NotText e) {
                return new Analysis(null, Gap.UNPARSABLE_CONFIG, e.getMessage() + ": the run's jobs could not be judged",
                        List.copyOf(read));
            }
            if (text.isEmpty()) {
                return new Analysis(null, Gap.CONFIG_NOT_FOUND, path + " not found at " + shortSha(sha)
                        + ": the run's jobs could not be judged", List.copyOf(read));
            }
            try {
                Workflow wf = WorkflowAnalyzer.analyze(path, text.get(), (otherRepo, p, ref) -> {
                    String r = otherRepo == null ? sha : ref;
                    read.add(RepoData.fileName(otherRepo == null ? fullName : otherRepo, p, r));
                    try {
                        return file(otherRepo, p, r);
                    } catch (RepoData.NotText e) {
                        return Optional.of(e.lenient); // a script in Latin-1 is still scanned for commands
                    }
                }, ctx.matcher());
                return new Analysis(wf, null, null, List.copyOf(read));
            } catch (UnparsableWorkflowException e) {
                return new Analysis(null, Gap.UNPARSABLE_CONFIG, e.getMessage() + " (at " + shortSha(sha) + ")",
                        List.copyOf(read));
            }
        });
    }

    /** A file at a ref (the contents API, or the evidence folder); empty when absent. Cached per (repo, path, ref). */
    private Optional<String> file(String otherRepo, String path, String ref) throws IOException {
        String repoName = otherRepo == null ? fullName : otherRepo;
        try {
            return memo(files, RepoData.fileName(repoName, path, ref), () -> data.file(repoName, path, ref));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    interface Load<T> {
        T load() throws Exception;
    }

    /** Computes a value once per key even when runs ask for it concurrently. */
    private static <T> T memo(Map<String, FutureTask<T>> cache, String key, Load<T> load)
            throws IOException, InterruptedException {
        FutureTask<T> task = new FutureTask<>(load::load);
        FutureTask<T> existing = cache.putIfAbsent(key, task);
        if (existing == null) {
            task.run();
            existing = task;
        }
        try {
            return existing.get();
        } catch (ExecutionException e) {
            cache.remove(key, existing); // a failed fetch may be retried by a later run
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(e.getCause().getMessage()), e.getCause());
        }
    }

    // --- logs ------------------------------------------------------------------------------------------------

    /**
     * Logs upgrade the evidence where they still exist. They expire by age, so jobs are read newest first and once
     * one log is gone, older jobs are not asked for theirs.
     */
    private List<Result> readLogs(List<Result> results) {
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing((Result r) -> r.finding().startedAt()).reversed());
        Instant goneBefore = null;
        int expired = 0;
        String example = null;
        List<Result> out = new ArrayList<>();
        for (Result r : sorted) {
            JobFinding f = r.finding();
            if (f.verdict() == Verdict.NOT_RUN) {
                out.add(r);
                continue;
            }
            if (goneBefore != null && !f.startedAt().isAfter(goneBefore)) {
                expired++;
                out.add(r);
                continue;
            }
            Optional<String> log;
            try {
                log = data.log(f.jobId());
            } catch (IOException | GitHubRest.ApiError e) {
                gap(f.runId(), e instanceof StoredRepoData.NotInEvidence ? Gap.NOT_IN_EVIDENCE : Gap.API_ERROR,
                        "log of job " + f.jobId() + " could not be read: " + e.getMessage(), false);
                out.add(r);
                continue;
            }
            if (log.isEmpty()) {
                goneBefore = f.startedAt();
                expired++;
                example = example == null ? "run " + f.runId() + " job " + f.jobId() : example;
                out.add(r);
                continue;
            }
            if (log.get().endsWith(GitHubRest.CUT_MARK)) {
                // Memory stays bounded, and the cut is said: a banner after it was not seen.
                gap(f.runId(), Gap.LOG_TRUNCATED, "log of job " + f.jobId() + " is longer than "
                        + (GitHubRest.maxLogBytes >> 20) + " MiB and was read up to there only", false);
            }
            out.add(upgrade(r, log.get()));
        }
        if (expired > 0) {
            gap("", Gap.LOGS_EXPIRED, "logs expired or deleted for " + expired + " job(s) (e.g. " + example
                    + "); verdicts rest on the workflow file at each run's commit and the jobs' step records", false);
        }
        return out;
    }

    private Result upgrade(Result r, String log) {
        for (String line : log.split("\r?\n")) {
            Optional<LogMatch> m = ctx.matcher().log(line);
            if (m.isPresent() && m.get().provesRan()) {
                String text = m.get().text().replaceFirst("^\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\\s*", "");
                JobFinding f = r.finding();
                String evidence = f.verdict() == Verdict.RAN ? f.evidence() + "; log: " + text
                        : "log: " + text + "; " + f.evidence();
                Step uploader = r.uploader();
                return new Result(f.withVerdict(Verdict.RAN, Confidence.CONFIRMED, evidence), r.job(),
                        uploader, r.fork(), r.forkName());
            }
        }
        return r;
    }

    // --- exposures -----------------------------------------------------------------------------------------------

    private void exposures(Result r, SecretStores stores) {
        if (r.job() == null || r.uploader() == null) {
            return;
        }
        List<ScopedSecret> scope = r.job().scope(r.uploader());
        Map<String, ScopedSecret> byName = new LinkedHashMap<>();
        if (r.fork()) {
            // Fork pull requests get no secrets, only a read-only GITHUB_TOKEN.
            ScopedSecret token = scope.stream().filter(s -> s.name().equals("GITHUB_TOKEN")).findFirst().orElse(null);
            ExposureLevel level = token == null ? ExposureLevel.JOB : token.level();
            byName.put("GITHUB_TOKEN", new ScopedSecret("GITHUB_TOKEN", level,
                    "read-only GITHUB_TOKEN: pull request from fork " + r.forkName() + " (no secrets)"));
        } else {
            scope.forEach(s -> byName.put(s.name(), s));
            byName.putIfAbsent("GITHUB_TOKEN", new ScopedSecret("GITHUB_TOKEN", ExposureLevel.JOB,
                    "the job's GITHUB_TOKEN (actions/checkout keeps it in .git/config)"));
        }
        if (r.uploader().uses() != null) {
            byName.putIfAbsent("ACTIONS_RUNTIME_TOKEN", new ScopedSecret("ACTIONS_RUNTIME_TOKEN", ExposureLevel.STEP,
                    "runner environment of the action"));
        }
        String env = r.job().environment();
        // toJSON(secrets) hands over every secret the job can see: expand it into names first.
        ScopedSecret all = byName.remove(WorkflowModel.ALL_SECRETS);
        if (all != null) {
            List<String> names = stores.allNames(env);
            if (names == null) {
                record(r, all.name(), new SecretStores.Resolution("unresolved", fullName, SecretState.UNKNOWN, null),
                        all.level(), all.via() + ": every secret of the repository; the stores could not be listed");
            } else {
                for (String name : names) {
                    ScopedSecret known = byName.get(name);
                    if (known == null || known.level().compareTo(all.level()) > 0) {
                        byName.put(name, new ScopedSecret(name, all.level(), all.via()));
                    }
                }
            }
        }
        for (ScopedSecret s : byName.values()) {
            if (s.name().equals("GITHUB_TOKEN") || s.name().equals("ACTIONS_RUNTIME_TOKEN")) {
                record(r, s.name(), new SecretStores.Resolution("ephemeral", fullName, SecretState.EPHEMERAL, null),
                        s.level(), s.via());
            } else {
                record(r, s.name(), stores.resolve(s.name(), env), s.level(), s.via());
            }
        }
    }

    private void record(Result r, String name, SecretStores.Resolution res, ExposureLevel level, String via) {
        sink.exposure(new Exposure(r.finding(), name, res.scope(), res.owner(), level, via, res.state(),
                res.updatedAt()));
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private void gap(String runId, String kind, String detail, boolean blocking) {
        sink.gap(new Gap(GitHubSource.PROVIDER, host, fullName, runId, kind, detail, blocking));
    }

    private static Instant time(JsonNode n, String field, Instant fallback) {
        String t = n.path(field).asText(null);
        if (t == null || t.isEmpty() || n.path(field).isNull()) {
            return fallback;
        }
        try {
            return java.time.OffsetDateTime.parse(t).toInstant();
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    /**
     * An exception in words for a coverage row: our own failures carry readable messages; anything else (a parser's,
     * a library's) is reduced to its first line, without class names or the input it quotes.
     */
    static String readable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.breachwalk.source.HttpFailure || t instanceof GitHubRest.ApiError
                    || t instanceof RepoData.NotText) {
                return t.getMessage();
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
            return "an answer was not the JSON the API promises (" + String.valueOf(j.getOriginalMessage())
                    .replaceAll("\\s+", " ").replaceAll("\\(.*", "").trim() + ")";
        }
        String m = root.getMessage() == null ? "" : root.getMessage().replaceAll("\\s+", " ").trim();
        m = m.replaceAll("\\b(?:[a-z]+\\.)+[A-Z]\\w*(?:Exception|Error)\\b:? ?", "");
        return m.isEmpty() ? "an unexpected answer" : m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }

    private static String shortSha(String sha) {
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }
}
