package io.breachwalk.source.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.breachwalk.model.Confidence;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.Verdict;
import io.breachwalk.playbook.Window;
import io.breachwalk.source.github.workflow.WorkflowModel;
import io.breachwalk.source.github.workflow.WorkflowModel.Job;
import io.breachwalk.source.github.workflow.WorkflowModel.Step;
import io.breachwalk.source.github.workflow.WorkflowModel.Workflow;
import io.breachwalk.source.github.workflow.WorkflowTriggers;
import io.breachwalk.source.github.workflow.WorkflowTriggers.Chance;
import io.breachwalk.source.github.workflow.WorkflowTriggers.Fire;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where the run records have expired (DESIGN 4.6): the CI configuration in effect during the window, read from the
 * repository's history, judged job by job. Per branch, the version of `.github/workflows` at the window's start and
 * every change inside it (the commits API); per pull request updated in the window, its head. Each (commit, workflow
 * path) is read once through the run walk's readers and caches. A job whose uploader step runs unconditionally on an
 * event that can have happened is RAN probable, one behind a condition or an event that may not have happened is RAN
 * possible, and NOT_RUN only where the triggers or conditions rule it out.
 *
 * <p>Rows carry a synthetic job id (`commit:BRANCH@SHA7:PATH:JOB`, `pull:N@SHA7:PATH:JOB`, or `JOB` within an archived
 * run): the ledger and the evidence manifest key jobs by run and job id, and these rows have no job record.
 */
final class HistoryFallback {
    static final String WORKFLOWS = ".github/workflows";

    /** A job the history says would have run (or not), with what the exposure stage needs. */
    record Candidate(JobFinding finding, Job job, Step uploader, boolean fork, String forkName) {}

    /** Reads through the run walk: its caches, its evidence, its following of actions and scripts. */
    interface Reader {
        /** The analysed workflow at (sha, path), or empty with {@code problem} set when it could not be read. */
        Optional<Workflow> workflow(String sha, String path, List<String> problems) throws IOException, InterruptedException;

        /** The triggers and job conditions of the workflow at (sha, path), parsed once per walk. */
        WorkflowTriggers triggers(String sha, String path) throws IOException, InterruptedException;
    }

    /** The API could not give the history: the fallback is incomplete. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    private final GitHubData data;
    private final String host;
    private final String fullName;
    private String repoUrl = "";
    private final Window window;
    private final Reader reader;
    private int requests;
    private final Map<String, Map<String, String>> listings = new TreeMap<>();
    /** Problems met reading versions (unparsable files): said as gaps by the walk. */
    final List<String> problems = new ArrayList<>();
    /** Every listing asked for, in order (their answers are evidence). */
    final List<String> asked = new ArrayList<>();
    /** Distinct configurations (commit, workflow path) read: branches and pull requests often share one. */
    private final java.util.Set<String> configurations = new java.util.HashSet<>();

    HistoryFallback(GitHubData data, String host, String fullName, Window window, Reader reader) {
        this.data = data;
        this.host = host;
        this.fullName = fullName;
        this.window = window;
        this.reader = reader;
    }

    /** How many distinct configurations (commit, workflow path) were read. */
    int versionsRead() {
        return configurations.size();
    }

    /** The listings this fallback asked for (its requests online; file reads are counted by the walk). */
    int requests() {
        return requests;
    }

    // --- whole-window expiry --------------------------------------------------------------------------------------

    /** Every branch's configurations in the window and every pull request head updated in it. */
    List<Candidate> branchesAndPulls() throws Unreadable, IOException, InterruptedException {
        JsonNode repo = get("/repos/" + fullName);
        String defaultBranch = repo.path("default_branch").asText("main");
        repoUrl = repo.path("html_url").asText("");
        List<Candidate> out = new ArrayList<>();
        for (JsonNode b : pages("/repos/" + fullName + "/branches?per_page=100", -1)) {
            String branch = b.path("name").asText();
            if (!branch.isEmpty()) {
                out.addAll(branch(branch, branch.equals(defaultBranch)));
            }
        }
        out.addAll(pulls());
        return out;
    }

    /** One configuration version: the commit and when it came into effect. */
    private record Version(String sha, Instant date) {}

    private List<Candidate> branch(String branch, boolean defaultBranch) throws Unreadable, IOException,
            InterruptedException {
        String b = enc(branch);
        String since = window.since().toString();
        String until = window.until().toString();
        List<Version> versions = new ArrayList<>();
        // The version in effect at the window's start: the last change before it.
        for (JsonNode c : pages("/repos/" + fullName + "/commits?sha=" + b + "&path=" + enc(WORKFLOWS) + "&until="
                + enc(since) + "&per_page=1", 1)) {
            versions.add(version(c));
        }
        List<Version> inside = new ArrayList<>();
        for (JsonNode c : pages("/repos/" + fullName + "/commits?sha=" + b + "&path=" + enc(WORKFLOWS) + "&since="
                + enc(since) + "&until=" + enc(until) + "&per_page=100", -1)) {
            inside.add(version(c));
        }
        inside.sort(java.util.Comparator.comparing(Version::date));
        for (Version v : inside) {
            if (versions.stream().noneMatch(x -> x.sha().equals(v.sha()))) {
                versions.add(v);
            }
        }
        // Per workflow file, the spans of one content: from the version that brought it to the next change.
        record Span(String path, Version from, Instant until) {}
        List<Span> spans = new ArrayList<>();
        Map<String, String> blob = new LinkedHashMap<>();
        Map<String, Version> since0 = new LinkedHashMap<>();
        for (Version v : versions) {
            Map<String, String> files = listing(v.sha());
            for (String path : new ArrayList<>(blob.keySet())) {
                if (!blob.get(path).equals(files.get(path))) {
                    spans.add(new Span(path, since0.get(path), v.date()));
                    blob.remove(path);
                    since0.remove(path);
                }
            }
            for (Map.Entry<String, String> f : files.entrySet()) {
                if (!blob.containsKey(f.getKey())) {
                    blob.put(f.getKey(), f.getValue());
                    since0.put(f.getKey(), v);
                }
            }
        }
        for (String path : blob.keySet()) {
            spans.add(new Span(path, since0.get(path), window.until()));
        }
        List<Candidate> out = new ArrayList<>();
        for (Span s : spans) {
            Instant start = s.from().date().isBefore(window.since()) ? window.since() : s.from().date();
            Instant end = s.until().isAfter(window.until()) ? window.until() : s.until();
            if (!start.isBefore(window.until()) || !end.isAfter(window.since()) || end.isBefore(start)) {
                continue;
            }
            configurations.add(s.from().sha() + ":" + s.path());
            Optional<Workflow> wf = reader.workflow(s.from().sha(), s.path(), problems);
            if (wf.isEmpty() || !wf.get().referencesIndicator()) {
                continue;
            }
            WorkflowTriggers t = reader.triggers(s.from().sha(), s.path());
            List<Chance> chances = t.onBranch(branch, defaultBranch);
            String where = "in effect on " + branch + " from " + start + " to " + end;
            for (Job job : wf.get().jobs()) {
                if (job.hits().isEmpty()) {
                    continue;
                }
                String key = "commit:" + branch + "@" + RepoWalk.shortSha(s.from().sha()) + ":" + s.path() + ":"
                        + job.key();
                out.add(judge(job, t, chances, "", 0, key, branch, s.from().sha(), s.path(), start, end, where,
                        repoUrl + "/blob/" + s.from().sha() + "/" + s.path(), false, null));
            }
        }
        return out;
    }

    /** Pull requests updated in the window (newest update first, so paging stops at the first older one). */
    private List<Candidate> pulls() throws Unreadable, IOException, InterruptedException {
        List<Candidate> out = new ArrayList<>();
        String next = "/repos/" + fullName + "/pulls?state=all&sort=updated&direction=desc&per_page=100";
        java.util.Set<String> seen = new java.util.HashSet<>();
        boolean older = false;
        while (next != null && !older && seen.add(next)) {
            GitHubData.Listing r = ask(next);
            if (r.status() != 200) {
                throw new Unreadable("the pull requests could not be listed: HTTP " + r.status() + " " + r.message());
            }
            for (JsonNode p : GitHubRest.list(r.body(), null, "pulls")) {
                Instant updated = time(p.path("updated_at").asText(null));
                Instant created = time(p.path("created_at").asText(null));
                if (updated != null && updated.isBefore(window.since())) {
                    older = true;
                    break;
                }
                if (created == null || !created.isBefore(window.until())) {
                    continue;
                }
                out.addAll(pull(p, created, updated));
            }
            next = r.next();
        }
        return out;
    }

    private List<Candidate> pull(JsonNode p, Instant created, Instant updated) throws Unreadable, IOException,
            InterruptedException {
        String sha = p.path("head").path("sha").asText();
        String headRef = p.path("head").path("ref").asText();
        String headRepo = p.path("head").path("repo").path("full_name").asText(fullName);
        String base = p.path("base").path("ref").asText();
        boolean fork = !headRepo.equalsIgnoreCase(fullName);
        Instant start = created.isBefore(window.since()) ? window.since() : created;
        Instant end = updated == null || updated.isAfter(window.until()) ? window.until() : updated;
        List<Candidate> out = new ArrayList<>();
        if (sha.isEmpty()) {
            return out;
        }
        for (String path : listing(sha).keySet()) {
            configurations.add(sha + ":" + path);
            Optional<Workflow> wf = reader.workflow(sha, path, problems);
            if (wf.isEmpty() || !wf.get().referencesIndicator()) {
                continue;
            }
            WorkflowTriggers t = reader.triggers(sha, path);
            List<Chance> chances = t.onPullRequest(base);
            String where = "head of pull request #" + p.path("number").asText() + " into " + base + ", open from "
                    + start + " to " + end;
            for (Job job : wf.get().jobs()) {
                if (!job.hits().isEmpty()) {
                    String key = "pull:" + p.path("number").asText() + "@" + RepoWalk.shortSha(sha) + ":" + path + ":"
                            + job.key();
                    out.add(judge(job, t, chances, "", 0, key, headRef, sha, path, start, end, where,
                            p.path("html_url").asText(""), fork, headRepo));
                }
            }
        }
        return out;
    }

    // --- archived jobs -------------------------------------------------------------------------------------------

    /**
     * A run whose jobs are archived: its own event, branch and commit decide, the configuration at its head_sha
     * read once. Empty when its workflow references no indicator.
     */
    List<Candidate> archivedRun(JsonNode run, String path, Workflow wf, boolean fork, String forkName)
            throws IOException, InterruptedException {
        String sha = run.path("head_sha").asText();
        String event = run.path("event").asText();
        Instant started = time(run.path("run_started_at").asText(run.path("created_at").asText(null)));
        if (!window.contains(started)) {
            return List.of();
        }
        Instant updated = time(run.path("updated_at").asText(null));
        Instant end = updated == null || updated.isBefore(started) ? started
                : updated.isAfter(window.until()) ? window.until() : updated;
        WorkflowTriggers t = reader.triggers(sha, path);
        List<Candidate> out = new ArrayList<>();
        for (Job job : wf.jobs()) {
            if (!job.hits().isEmpty()) {
                out.add(judge(job, t, List.of(new Chance(event, Fire.CERTAIN)), run.path("id").asText(),
                        run.path("run_attempt").asInt(1), job.key(), run.path("head_branch").asText(""), sha, path,
                        started, end, "run " + run.path("id").asText() + " (" + event + "), jobs archived",
                        run.path("html_url").asText(""), fork, forkName));
            }
        }
        return out;
    }

    // --- the verdict ---------------------------------------------------------------------------------------------

    private Candidate judge(Job job, WorkflowTriggers t, List<Chance> chances, String runId, int attempt, String jobId,
                            String branch, String sha, String path, Instant start, Instant end, String where,
                            String url, boolean fork, String forkName) {
        Step uploader = job.hits().get(0);
        String config = StepJudge.config(uploader, RepoWalk.shortSha(sha));
        String jobIf = t.jobCondition(job.fileKey());
        List<String> could = new ArrayList<>();
        boolean sure = false;
        String ruledOut = null;
        for (Chance c : chances) {
            Boolean j = WorkflowTriggers.condition(jobIf, c.event());
            Boolean s = uploader.neverRuns() ? Boolean.FALSE : WorkflowTriggers.condition(uploader.condition(), c.event());
            if (Boolean.FALSE.equals(j) || Boolean.FALSE.equals(s)) {
                ruledOut = "on " + c.event() + " the condition `if: "
                        + (Boolean.FALSE.equals(j) ? jobIf : uploader.condition()).trim() + "` is false";
                continue;
            }
            could.add(c.event());
            sure |= c.fire() == Fire.CERTAIN && Boolean.TRUE.equals(j) && Boolean.TRUE.equals(s)
                    && !uploader.hit().possible();
        }
        Verdict verdict;
        Confidence confidence;
        String evidence;
        if (could.isEmpty()) {
            verdict = Verdict.NOT_RUN;
            confidence = Confidence.PROBABLE;
            evidence = "commit history: " + where + ", "
                    + (ruledOut != null ? ruledOut : "no trigger of the workflow fires for " + branch) + "; " + config;
        } else {
            verdict = Verdict.RAN;
            confidence = sure ? Confidence.PROBABLE : Confidence.POSSIBLE;
            evidence = "commit history: " + where + ", "
                    + (sure ? String.join("/", could) + " runs the step unconditionally"
                    : String.join("/", could) + " may run it (a condition, a path filter or an event that may not"
                    + " have happened)") + "; " + config;
        }
        JobFinding f = new JobFinding(GitHubSource.PROVIDER, host, fullName, path, runId, attempt, jobId,
                job.displayName(), branch, sha, could.isEmpty() ? chances.stream().map(Chance::event)
                .reduce((a, b) -> a + "/" + b).orElse("") : String.join("/", could), start, url, verdict, confidence,
                evidence, JobFinding.COMMIT_HISTORY, end);
        return new Candidate(f, job, uploader, fork, forkName);
    }

    // --- reading -------------------------------------------------------------------------------------------------

    /** The workflow files at a commit (path -> blob sha), one directory listing per commit. */
    private Map<String, String> listing(String sha) throws Unreadable, IOException {
        Map<String, String> known = listings.get(sha);
        if (known != null) {
            return known;
        }
        GitHubData.Listing r = ask("/repos/" + fullName + "/contents/" + WORKFLOWS + "?ref=" + enc(sha));
        Map<String, String> files = new TreeMap<>();
        if (r.status() == 404) {
            listings.put(sha, files);
            return files;
        }
        if (r.status() != 200) {
            throw new Unreadable(WORKFLOWS + " at " + RepoWalk.shortSha(sha) + " could not be listed: HTTP "
                    + r.status() + " " + r.message());
        }
        JsonNode body = r.body();
        if (body != null && body.isArray()) {
            for (JsonNode e : body) {
                String name = e.path("name").asText();
                if ("file".equals(e.path("type").asText("file")) && (name.endsWith(".yml") || name.endsWith(".yaml"))) {
                    files.put(e.path("path").asText(WORKFLOWS + "/" + name), e.path("sha").asText(name));
                }
            }
        }
        listings.put(sha, files);
        return files;
    }

    private JsonNode get(String path) throws Unreadable, IOException {
        GitHubData.Listing r = ask(path);
        if (r.status() != 200) {
            throw new Unreadable(path.replaceAll("\\?.*", "").replaceFirst("^/repos/[^/]+/[^/]+/?", "")
                    + " could not be read: HTTP " + r.status() + " " + r.message());
        }
        return r.body();
    }

    /** The items of a listing, at most {@code limit} (-1: all pages). */
    private List<JsonNode> pages(String path, int limit) throws Unreadable, IOException {
        List<JsonNode> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        String next = path;
        while (next != null && seen.add(next)) {
            GitHubData.Listing r = ask(next);
            if (r.status() != 200) {
                String what = path.contains("/commits") ? "the commits that changed " + WORKFLOWS
                        : path.contains("/branches") ? "the branches" : path.replaceAll("\\?.*", "");
                throw new Unreadable(what + " could not be listed: HTTP " + r.status() + " " + r.message());
            }
            GitHubRest.list(r.body(), null, path).forEach(out::add);
            if (limit > 0 && out.size() >= limit) {
                return out.subList(0, limit);
            }
            next = r.next();
        }
        return out;
    }

    /** One listing, counted and remembered. */
    GitHubData.Listing ask(String path) throws IOException {
        requests++;
        asked.add(path);
        return data.listing(path);
    }

    private static Version version(JsonNode c) {
        JsonNode commit = c.path("commit");
        Instant date = time(commit.path("committer").path("date").asText(commit.path("author").path("date").asText(null)));
        return new Version(c.path("sha").asText(), date == null ? Instant.EPOCH : date);
    }

    static Instant time(String t) {
        if (t == null || t.isEmpty()) {
            return null;
        }
        try {
            return io.breachwalk.text.IsoTime.parse(t);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
