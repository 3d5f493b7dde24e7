package io.breachwalk.source.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.breachwalk.detect.FileLookup;
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
import io.breachwalk.source.github.workflow.WorkflowAnalyzer;
import io.breachwalk.source.github.workflow.WorkflowAnalyzer.UnparsableWorkflowException;
import io.breachwalk.source.github.workflow.WorkflowModel;
import io.breachwalk.source.github.workflow.WorkflowModel.Job;
import io.breachwalk.source.github.workflow.WorkflowModel.ScopedSecret;
import io.breachwalk.source.github.workflow.WorkflowModel.Step;
import io.breachwalk.source.github.workflow.WorkflowModel.Workflow;
import io.breachwalk.source.github.workflow.WorkflowTriggers;

import java.io.IOException;
import java.io.UncheckedIOException;
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

    private final ScanContext ctx;
    private final Sink sink;
    private final GitHubData data;
    private final String host;
    private final String fullName;
    private final ExecutorService pool;
    private final Map<String, FutureTask<Optional<String>>> files = new ConcurrentHashMap<>();
    private final Map<String, FutureTask<Analysis>> workflows = new ConcurrentHashMap<>();
    /** The commit-history fallback's triggers per (sha, path): many archived runs and branches share one version. */
    private final Map<String, WorkflowTriggers> triggers = new ConcurrentHashMap<>();
    /** Per run examined: what its verdicts rested on, for the evidence manifest. */
    private final Map<String, List<EvidenceLink>> runEvidence = new ConcurrentHashMap<>();

    RepoWalk(ScanContext ctx, Sink sink, GitHubData data, String host, String fullName, ExecutorService pool) {
        this.ctx = ctx;
        this.sink = sink;
        this.data = data;
        this.host = host;
        this.fullName = fullName;
        this.pool = pool;
    }

    /**
     * A judged job, with what the exposure stage needs. {@code unreadable}: judged from its step records alone (the
     * workflow file could not be read), {@code action} then says the record named an action.
     */
    private record Result(JobFinding finding, Job job, Step uploader, boolean fork, String forkName,
                          boolean unreadable, boolean action) {
        Result(JobFinding finding, Job job, Step uploader, boolean fork, String forkName) {
            this(finding, job, uploader, fork, forkName, false, false);
        }

        /** A job the commit-history fallback judged. */
        static Result of(HistoryFallback.Candidate c) {
            return new Result(c.finding(), c.job(), c.uploader(), c.fork(), c.forkName());
        }

        Result with(JobFinding f) {
            return new Result(f, job, uploader, fork, forkName, unreadable, action);
        }
    }

    /** Runs whose workflow file was not found: run id -> the gap's opening words, said once their jobs are judged. */
    private final Map<String, String> unreadableRuns = new ConcurrentHashMap<>();

    /** The workflow at one commit: analysed, or why not; {@code files} names what was read (GitHubData names). */
    private record Analysis(Workflow workflow, String gap, String detail, List<String> files) {}

    /** The online walk: list the runs (or take those listed ahead for the whole estate), then judge them. */
    void walk(GitHubRest rest, RunListing.Listed listed) {
        Instant from = ctx.window().since().minus(RERUN_REACH);
        Instant to = ctx.window().until().minusSeconds(1);
        if (listed == null) {
            listed = RunListing.list(rest, fullName, from, to, false);
        }
        for (String capped : listed.capped()) {
            gap("", Gap.RESULT_CAP, capped, true);
        }
        if (listed.failure() instanceof GitHubRest.ApiError e) {
            gap("", e.status == 403 || e.status == 404 ? Gap.ACCESS_DENIED : Gap.API_ERROR,
                    "workflow runs could not be listed: " + e.getMessage(), true);
            return;
        } else if (listed.failure() != null) {
            gap("", Gap.API_ERROR, "workflow runs could not be listed: " + readable(listed.failure()), true);
            return;
        }
        Map<Long, JsonNode> runs = listed.runs();
        List<String> unnumbered = listed.unnumbered();
        if (!unnumbered.isEmpty()) {
            // Keyed by id, they would collapse into one entry (or be asked for as /runs/abc): refuse them, say so.
            gap("", Gap.API_ERROR, unnumbered.size() + " run(s) in the listing have no numeric id (e.g. id: "
                    + unnumbered.get(0) + "); they could not be examined", true);
        }
        List<Result> history = runs.isEmpty() && unnumbered.isEmpty() ? expired(from, to) : List.of();
        judge(runs.values(), history);
    }

    /** Judges listed runs (online) or stored ones (`scan --offline`): the same code either way. */
    void judge(Iterable<JsonNode> runs) {
        List<Result> history = List.of();
        if (data.link(GitHubData.HISTORY, HISTORY_MARK) != null) {
            // The online scan fell back to the commit history: its stored listings give the same rows again.
            history = expired(ctx.window().since().minus(RERUN_REACH), ctx.window().until().minusSeconds(1));
        }
        judge(runs, history);
    }

    /** Evidence name (kind github-history) marking a repository judged from its commit history. */
    static final String HISTORY_MARK = "commit-history";

    /** Runs listed whose jobs lists came back empty (archived check runs), for the JOBS_ARCHIVED gap. */
    private final List<String> archivedRuns = java.util.Collections.synchronizedList(new ArrayList<>());
    private final java.util.concurrent.atomic.AtomicInteger historyFiles = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * No run listed for the window. If runs older than the listing exist, the records reach back and nothing ran;
     * otherwise the runs have expired (or never were): the configuration in effect is read from the commit history
     * and the RUNS_EXPIRED gap says where the records end. A repository with no workflow in the window has no gap.
     * Every answer is evidence, so that `scan --offline` gives the same rows.
     */
    private List<Result> expired(Instant from, Instant to) {
        String runsPath = "/repos/" + fullName + "/actions/runs?per_page=1&created=";
        Instant retainedFrom = null;
        HistoryFallback fallback = fallback();
        List<HistoryFallback.Candidate> found;
        try {
            GitHubData.Listing older = fallback.ask(runsPath + URLEncoder.encode("<" + from, StandardCharsets.UTF_8));
            if (older.status() == 200 && older.body().path("total_count").asLong() > 0) {
                return List.of(); // the records reach back before the window: no run in it means none ran
            }
            GitHubData.Listing newer = fallback.ask(runsPath + URLEncoder.encode(">" + to, StandardCharsets.UTF_8));
            long count = newer.status() == 200 ? newer.body().path("total_count").asLong() : 0;
            if (count > 0) {
                GitHubData.Listing oldest = fallback.ask(runsPath + URLEncoder.encode(">" + to, StandardCharsets.UTF_8)
                        + "&page=" + count);
                JsonNode items = oldest.status() == 200 ? oldest.body().path("workflow_runs") : null;
                if (items != null && items.size() > 0) {
                    retainedFrom = time(items.get(items.size() - 1), "created_at", null);
                }
            }
            found = fallback.branchesAndPulls();
        } catch (HistoryFallback.Unreadable | IOException e) {
            linkHistory(fallback, null);
            gap("", e instanceof StoredGitHubData.NotInEvidence ? Gap.NOT_IN_EVIDENCE : Gap.RUNS_EXPIRED,
                    "no workflow run is listed for the window" + since(retainedFrom) + ", and the commit history "
                    + "could not be read to fall back on: " + readable(e) + " (" + fallback.requests()
                    + " request(s)); jobs that ran in the window are unknown", true);
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        for (String p : fallback.problems) {
            gap("", Gap.UNPARSABLE_CONFIG, p + " (commit history)", true);
        }
        if (fallback.versionsRead() == 0) {
            return List.of(); // no workflow in effect in the window: nothing could have run
        }
        long ran = found.stream().filter(c -> c.finding().verdict() == Verdict.RAN).count();
        int requests = fallback.requests() + historyFiles.get();
        String detail = "no workflow run is listed for the window" + since(retainedFrom) + ": the records have "
                + "expired; the workflows in effect were read from the commit history (" + fallback.versionsRead()
                + " configuration(s) on the branches and pull request heads, " + found.size() + " job(s) with the "
                + "uploader, " + ran + " listed RAN, basis commit-history; " + requests + " request(s))";
        gap("", Gap.RUNS_EXPIRED, detail, false);
        linkHistory(fallback, EvidenceLink.absent(GitHubData.HISTORY, HISTORY_MARK, null, found.size() + " job(s) from "
                + fallback.versionsRead() + " configuration(s), " + requests + " request(s)"));
        return found.stream().map(Result::of).toList();
    }

    /** The fallback's listings (and the mark that it ran) join the repository's evidence record. */
    private void linkHistory(HistoryFallback fallback, EvidenceLink mark) {
        List<EvidenceLink> items = repoEvidence();
        for (String path : fallback.asked) {
            addIfPresent(items, data.link(GitHubData.HISTORY, path));
        }
        if (mark != null) {
            items.add(mark);
        }
    }

    /** The repository's own evidence record (run id ""): what no single run owns. */
    private List<EvidenceLink> repoEvidence() {
        return runEvidence.computeIfAbsent("", k -> java.util.Collections.synchronizedList(new ArrayList<>()));
    }

    private static String since(Instant retainedFrom) {
        return retainedFrom == null ? "" : " (the oldest run listed was created " + retainedFrom + ")";
    }

    /** The fallback, reading through this walk's caches; each new file it causes to be read is counted. */
    private HistoryFallback fallback() {
        List<EvidenceLink> items = repoEvidence();
        return new HistoryFallback(data, host, fullName, ctx.window(), new HistoryFallback.Reader() {
            @Override
            public Optional<Workflow> workflow(String sha, String path, List<String> problems)
                    throws IOException, InterruptedException {
                boolean fresh = !workflows.containsKey(sha + ":" + path);
                Analysis a = analysis(sha, path);
                if (fresh) {
                    historyFiles.addAndGet(a.files().size());
                }
                a.files().forEach(f -> addIfPresent(items, data.link(GitHubData.FILE, f)));
                if (a.workflow() == null && a.gap() != null && !Gap.CONFIG_NOT_FOUND.equals(a.gap())) {
                    synchronized (problems) {
                        if (!problems.contains(a.detail())) {
                            problems.add(a.detail());
                        }
                    }
                }
                return Optional.ofNullable(a.workflow());
            }

            @Override
            public WorkflowTriggers triggers(String sha, String path) throws IOException {
                String key = sha + ":" + path;
                WorkflowTriggers known = triggers.get(key);
                if (known != null) {
                    return known;
                }
                String text;
                try {
                    text = file(null, path, sha).orElse("");
                } catch (GitHubData.NotText e) {
                    text = "";
                }
                WorkflowTriggers parsed = WorkflowTriggers.parse(text);
                known = triggers.putIfAbsent(key, parsed);
                return known != null ? known : parsed;
            }
        });
    }

    private void judge(Iterable<JsonNode> runs, List<Result> history) {
        List<JsonNode> examined = new ArrayList<>();
        for (JsonNode run : runs) {
            if (candidate(run)) {
                examined.add(run);
            }
        }
        Map<String, EvidenceLink> runLinks = data.runs(examined);
        Map<String, Future<List<Result>>> pending = new LinkedHashMap<>();
        for (JsonNode run : examined) {
            sink.examinedRun(GitHubSource.PROVIDER);
            ctx.progress().examinedRun();
            EvidenceLink record = runLinks.get(run.path("id").asText());
            pending.put(run.path("id").asText(), pool.submit(() -> run(run, record)));
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
                gap(f.getKey(), e.getCause() instanceof StoredGitHubData.NotInEvidence ? Gap.NOT_IN_EVIDENCE
                        : Gap.API_ERROR, "the run could not be examined: " + readable(e.getCause()), true);
            }
        }
        results = readLogs(results);
        unreadableGaps(results);
        archivedGap();
        results.addAll(history);
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
            if (items.isEmpty()) {
                continue;
            }
            EvidenceLink jobs = data.link(GitHubData.JOBS, e.getKey());
            if (jobs != null) {
                for (String id : jobs.note().split(",")) {
                    if (id.isEmpty()) continue;
                    addIfPresent(items, data.link(GitHubData.JOB, id));
                    addIfPresent(items, data.link(GitHubData.LOG, id));
                }
            }
            sink.evidence(new EvidenceRecord(GitHubSource.PROVIDER, host, fullName, e.getKey(), Map.of(), items));
        }
        List<EvidenceLink> listings = new ArrayList<>();
        for (String store : stores.asked()) {
            addIfPresent(listings, data.link(GitHubData.SECRETS, store));
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

    /** GitHub's ids are positive integers; anything else cannot name a run or job in a later request. */
    static boolean validId(JsonNode id) {
        return RunListing.validId(id);
    }

    /**
     * Could any job of this run have started in the window? The listing gives the latest attempt's start; earlier
     * attempts started before it, and a job starts at most a day after its attempt.
     */
    private boolean candidate(JsonNode run) {
        return candidate(run, ctx.window());
    }

    /** As {@link #candidate(JsonNode)} for a window: the prefetch asks it before any walk starts. */
    static boolean candidate(JsonNode run, io.breachwalk.playbook.Window window) {
        Instant latest = time(run, "run_started_at", time(run, "created_at", null));
        if (latest == null) {
            return true;
        }
        if (latest.isBefore(window.since().minus(QUEUE_SLACK))) {
            return false;
        }
        return run.path("run_attempt").asInt(1) > 1 || latest.isBefore(window.until());
    }

    // --- one run -----------------------------------------------------------------------------------------------

    private List<Result> run(JsonNode run, EvidenceLink record)
            throws IOException, GitHubRest.ApiError, InterruptedException {
        String runId = run.path("id").asText();
        String sha = run.path("head_sha").asText();
        List<EvidenceLink> items = new ArrayList<>();
        addIfPresent(items, record);
        runEvidence.put(runId, items);
        String path = workflowPath(run);
        Analysis analysis = analysis(sha, path);
        addIfPresent(items, data.link(GitHubData.WORKFLOW, "workflow-id:" + run.path("workflow_id").asText()));
        analysis.files().forEach(f -> addIfPresent(items, data.link(GitHubData.FILE, f)));
        if (analysis.workflow() == null && Gap.CONFIG_NOT_FOUND.equals(analysis.gap())) {
            return unreadable(run, runId, sha, path, items);
        }
        if (analysis.workflow() == null) {
            gap(runId, analysis.gap(), analysis.detail(), true);
            return List.of();
        }
        if (!analysis.workflow().referencesIndicator()) {
            return List.of(); // nothing to judge: its jobs are not fetched
        }
        List<JsonNode> jobs = data.jobs(runId);
        addIfPresent(items, data.link(GitHubData.JOBS, runId));
        if (archived(run, jobs)) {
            archivedRuns.add(runId);
            return fallback().archivedRun(run, path, analysis.workflow(), fork(run), head(run)).stream()
                    .map(Result::of).toList();
        }
        String event = run.path("event").asText();
        String head = head(run);
        boolean fork = fork(run);
        String sha7 = shortSha(sha);
        List<Result> out = new ArrayList<>();
        for (JsonNode j : jobs) {
            JobFinding base = admit(run, j, path, "the workflow file and the log");
            if (base == null) {
                continue;
            }
            Job job = match(analysis.workflow(), j.path("name").asText());
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

    /**
     * A run whose workflow file is not at its commit: its jobs (every attempt) are judged from their step records
     * alone ({@link StepJudge#judgeByRecords}) and logs, and listed either way; the CONFIG_NOT_FOUND gap is said
     * once they are judged ({@link #unreadableGaps}), blocking while any of them stays UNKNOWN.
     */
    private List<Result> unreadable(JsonNode run, String runId, String sha, String path, List<EvidenceLink> items)
            throws IOException, GitHubRest.ApiError {
        String notFound = path + " not found at " + shortSha(sha);
        List<JsonNode> jobs;
        try {
            jobs = data.jobs(runId);
        } catch (IOException | GitHubRest.ApiError | RuntimeException e) {
            gap(runId, Gap.CONFIG_NOT_FOUND, notFound + ": the run's jobs could not be judged", true);
            throw e;
        }
        addIfPresent(items, data.link(GitHubData.JOBS, runId));
        if (archived(run, jobs)) {
            // Archived check runs and no workflow file: nothing is left to judge its jobs by.
            archivedRuns.add(runId);
            gap(runId, Gap.CONFIG_NOT_FOUND, notFound + " and its jobs are archived: whether it ran the uploader "
                    + "cannot be told", true);
            return List.of();
        }
        unreadableRuns.put(runId, notFound);
        List<Result> out = new ArrayList<>();
        for (JsonNode j : jobs) {
            JobFinding base = admit(run, j, path, "the log");
            if (base == null) {
                continue;
            }
            StepJudge.RecordJudgement jd = StepJudge.judgeByRecords(j, ctx.matcher(), shortSha(sha));
            out.add(new Result(base.withVerdict(jd.verdict(), jd.confidence(), jd.evidence()), null, null, fork(run),
                    head(run), true, jd.action()));
        }
        return out;
    }

    /**
     * A concluded run that lists no jobs had its check runs archived: one that failed to start or was skipped had
     * none to list.
     */
    private static boolean archived(JsonNode run, List<JsonNode> jobs) {
        String conclusion = run.path("conclusion").asText("");
        return jobs.isEmpty() && "completed".equals(run.path("status").asText())
                && !conclusion.equals("startup_failure") && !conclusion.equals("skipped");
    }

    /** One JOBS_ARCHIVED gap for the runs whose jobs lists were empty: their rows rest on the configuration. */
    private void archivedGap() {
        if (archivedRuns.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(archivedRuns);
        ids.sort(Comparator.comparingLong(Long::parseLong));
        gap("", Gap.JOBS_ARCHIVED, ids.size() + " concluded run(s) list no jobs (e.g. run " + ids.get(0) + "): their "
                + "check runs were archived; each run's event, branch and commit were judged against the workflow at "
                + "its commit (basis commit-history)", false);
    }

    /** The CONFIG_NOT_FOUND gap of each run judged by {@link #unreadable}, after the logs had their say. */
    private void unreadableGaps(List<Result> results) {
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(unreadableRuns).entrySet()) {
            long judged = results.stream().filter(r -> r.finding().runId().equals(e.getKey())).count();
            long unknown = results.stream().filter(r -> r.finding().runId().equals(e.getKey())
                    && r.finding().verdict() == Verdict.UNKNOWN).count();
            String detail = unknown > 0
                    ? unknown + " of its " + judged + " job(s) in the window could not be judged from their step "
                    + "records (UNKNOWN)"
                    : judged + " job(s) in the window judged from their step records and logs alone";
            gap(e.getKey(), Gap.CONFIG_NOT_FOUND, e.getValue() + ": " + detail, unknown > 0);
        }
    }

    /**
     * The common checks of one API job (a numeric id, a readable start inside the window) and its row before the
     * verdict; null when it is not judged (said as a gap where that is a problem). {@code restsOn}: what the verdict
     * rests on when the step records are not a list.
     */
    private JobFinding admit(JsonNode run, JsonNode j, String path, String restsOn) {
        String runId = run.path("id").asText();
        String jobName = io.breachwalk.text.SafeText.terminal(j.path("name").asText(""));
        if (!validId(j.path("id"))) {
            // Its log and evidence are fetched and filed by id: without one it cannot be judged.
            gap(runId, Gap.API_ERROR, "job \"" + jobName + "\" of run " + runId + " has no numeric id (id: "
                    + GitHubRest.kind(j.path("id")).replaceFirst("^the text ", "") + "); it could not be judged", true);
            return null;
        }
        JsonNode startedAt = j.path("started_at");
        if (startedAt.isTextual() && !startedAt.asText().isEmpty() && time(j, "started_at", null) == null) {
            // Not placed in the window by guesswork: said, and left for a person to check.
            gap(runId, Gap.API_ERROR, "job " + j.path("id").asText() + " (\"" + jobName + "\") of run " + runId
                    + " has started_at " + GitHubRest.kind(startedAt).replaceFirst("^the text ", "")
                    + ", not a timestamp: whether it ran in the window is unknown", true);
            return null;
        }
        Instant started = time(j, "started_at", time(run, "run_started_at", null));
        if (!ctx.window().contains(started)) {
            return null;
        }
        if (j.has("steps") && !j.get("steps").isArray()) {
            // The verdict rests on what else there is (as for a job without records).
            gap(runId, Gap.API_ERROR, "job " + j.path("id").asText() + " of run " + runId + ": the jobs API gave "
                    + "steps as " + GitHubRest.kind(j.get("steps")) + ", not a list; the verdict rests on "
                    + restsOn, false);
        }
        sink.examinedJob(GitHubSource.PROVIDER);
        ctx.progress().examinedJob();
        return new JobFinding(GitHubSource.PROVIDER, host, fullName, path, runId,
                j.path("run_attempt").asInt(run.path("run_attempt").asInt(1)), j.path("id").asText(),
                j.path("name").asText(), run.path("head_branch").asText(""), run.path("head_sha").asText(),
                run.path("event").asText(), started, j.path("html_url").asText(""), Verdict.UNKNOWN,
                Confidence.POSSIBLE, "");
    }

    private String head(JsonNode run) {
        return run.path("head_repository").path("full_name").asText(fullName);
    }

    /** Fork pull requests get no secrets, only a read-only GITHUB_TOKEN. */
    private boolean fork(JsonNode run) {
        String event = run.path("event").asText();
        return event.startsWith("pull_request") && !event.equals("pull_request_target")
                && !head(run).equalsIgnoreCase(fullName);
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
        return withoutRef(path);
    }

    /** A run's workflow path without the `@ref` the OpenAPI example shows (`.github/workflows/x.yml@main`). */
    static String withoutRef(String path) {
        int at = path.indexOf('@');
        return at > 0 ? path.substring(0, at) : path;
    }

    /** The analysis of (sha, path): the file is fetched once per commit and path, whatever the number of runs. */
    private Analysis analysis(String sha, String path) throws IOException, InterruptedException {
        return memo(workflows, sha + ":" + path, () -> {
            List<String> read = java.util.Collections.synchronizedList(new ArrayList<>());
            read.add(GitHubData.fileName(fullName, path, sha));
            Optional<String> text;
            try {
                text = file(null, path, sha);
            } catch (GitHubData.NotText e) {
                return new Analysis(null, Gap.UNPARSABLE_CONFIG, e.getMessage() + ": the run's jobs could not be judged",
                        List.copyOf(read));
            }
            if (text.isEmpty()) {
                return new Analysis(null, Gap.CONFIG_NOT_FOUND, path + " not found at " + shortSha(sha)
                        + ": the run's jobs could not be judged", List.copyOf(read));
            }
            try {
                Workflow wf = WorkflowAnalyzer.analyze(path, text.get(), new FileLookup() {
                    @Override public Optional<String> read(String p) { return referred(null, p, sha); }

                    @Override public Optional<String> readRemote(String otherRepo, String ref, String p) {
                        return referred(otherRepo, p, ref);
                    }

                    /** A file the workflow refers to, noted as read; a fetch failure is the analyzer's problem line. */
                    private Optional<String> referred(String otherRepo, String p, String r) {
                        read.add(GitHubData.fileName(otherRepo == null ? fullName : otherRepo, p, r));
                        try {
                            return file(otherRepo, p, r);
                        } catch (GitHubData.NotText e) {
                            return Optional.of(e.lenient); // a script in Latin-1 is still scanned for commands
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
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
            return memo(files, GitHubData.fileName(repoName, path, ref), () -> data.file(repoName, path, ref));
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
            if (f.verdict() == Verdict.NOT_RUN || JobFinding.COMMIT_HISTORY.equals(f.basis())) {
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
                gap(f.runId(), e instanceof StoredGitHubData.NotInEvidence ? Gap.NOT_IN_EVIDENCE : Gap.API_ERROR,
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
                return r.with(f.withVerdict(Verdict.RAN, Confidence.CONFIRMED, evidence));
            }
        }
        return r;
    }

    // --- exposures -----------------------------------------------------------------------------------------------

    private void exposures(Result r, SecretStores stores) {
        if (r.unreadable()) {
            unreadableExposures(r, stores);
            return;
        }
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

    /**
     * A job that ran the uploader under a workflow file that cannot be read: which secrets its steps held cannot be
     * told, so every secret the repository can see (repository and organization stores) is listed at STEP, the
     * worst case: a playbook that requires rotation only for STEP exposures must not drop them, and the `via` says
     * they are a worst case. Environment secrets are not listed: the jobs API does not name a job's environment.
     */
    private void unreadableExposures(Result r, SecretStores stores) {
        String via = "workflow file unreadable: every secret of the repository may have been in scope";
        if (r.fork()) {
            record(r, "GITHUB_TOKEN", new SecretStores.Resolution("ephemeral", fullName, SecretState.EPHEMERAL, null),
                    ExposureLevel.JOB, "read-only GITHUB_TOKEN: pull request from fork " + r.forkName() + " (no secrets)");
            return;
        }
        record(r, "GITHUB_TOKEN", new SecretStores.Resolution("ephemeral", fullName, SecretState.EPHEMERAL, null),
                ExposureLevel.JOB, "the job's GITHUB_TOKEN (actions/checkout keeps it in .git/config)");
        if (r.action()) {
            record(r, "ACTIONS_RUNTIME_TOKEN", new SecretStores.Resolution("ephemeral", fullName, SecretState.EPHEMERAL,
                    null), ExposureLevel.STEP, "runner environment of the action");
        }
        List<String> names = stores.allNames(null);
        if (names == null) {
            record(r, WorkflowModel.ALL_SECRETS, new SecretStores.Resolution("unresolved", fullName,
                    SecretState.UNKNOWN, null), ExposureLevel.STEP, via + "; the stores could not be listed");
            return;
        }
        for (String name : names) {
            if (!name.equals("GITHUB_TOKEN")) {
                record(r, name, stores.resolve(name, null), ExposureLevel.STEP, via);
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
            return io.breachwalk.text.IsoTime.parse(t);
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
                    || t instanceof GitHubData.NotText) {
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

    static String shortSha(String sha) {
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }
}
