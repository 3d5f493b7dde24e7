package io.breachwalk.source.github.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import io.breachwalk.source.DaemonThreads;
import io.breachwalk.source.github.graphql.GitHubGraphQl.Answer;
import io.breachwalk.source.github.graphql.GitHubGraphQl.GraphQlError;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The walk's per-item REST reads, batched through {@link GitHubGraphQl}: files at commits (aliases of
 * {@code Repository.object(expression: "SHA:path")}), jobs and steps of many runs ({@code nodes(ids:)} over the runs'
 * {@code check_suite_node_id}, {@code checkRuns(filterBy: {checkType: ALL})}), and a path's commit history. Every
 * item comes back known or unknown; unknown (an {@code errors} entry about it, a null where null does not mean
 * "absent", a batch that failed, GraphQL unavailable) is never "absent" or "no jobs": the caller reads that item
 * through REST. Batches halve on 502/504/timeouts and grow back after answers ({@link BatchSize}).
 */
public final class GitHubGraphQlReads {
    /** GitHub refuses more than 100 ids in one {@code nodes} field (ARGUMENT_LIMIT). */
    public static final int MAX_NODE_IDS = 100;
    /** No alias cap is documented; 100 to 250 files per query are seen in the wild. */
    public static final int MAX_FILE_ALIASES = 250;

    private static final Pattern JOB_URL = Pattern.compile("/actions/runs/(\\d+)/job/(\\d+)/?$");

    private final GitHubGraphQl client;
    private final BatchSize fileBatch;
    private final BatchSize suiteBatch;
    private final int checkRunsFirst;
    private final int stepsFirst;
    private final int parallel;

    /**
     * Files 100 aliases a query; 100 suites a query with 5 check runs and 50 steps each (then cursors): 6 points per
     * 100 runs of one or a few jobs, where 10 check runs would cost 11. Matrices of more jobs page their suite.
     */
    public GitHubGraphQlReads(GitHubGraphQl client) {
        this(client, 1);
    }

    /** As {@link #GitHubGraphQlReads(GitHubGraphQl)}, with up to {@code parallel} queries in flight. */
    public GitHubGraphQlReads(GitHubGraphQl client, int parallel) {
        this(client, 100, 100, 5, 50, parallel);
    }

    /**
     * @param fileBatch      files per query to start with (at most {@link #MAX_FILE_ALIASES})
     * @param suiteBatch     check suites per query to start with (at most {@link #MAX_NODE_IDS})
     * @param checkRunsFirst check runs read with each suite; more are paged. Points scale with it.
     * @param stepsFirst     steps read with each check run; more are paged
     */
    public GitHubGraphQlReads(GitHubGraphQl client, int fileBatch, int suiteBatch, int checkRunsFirst, int stepsFirst) {
        this(client, fileBatch, suiteBatch, checkRunsFirst, stepsFirst, 1);
    }

    /** @param parallel queries in flight at once within one call (the scan's {@code --concurrency}) */
    public GitHubGraphQlReads(GitHubGraphQl client, int fileBatch, int suiteBatch, int checkRunsFirst, int stepsFirst,
                              int parallel) {
        if (parallel < 1) throw new IllegalArgumentException("parallel must be at least 1");
        this.parallel = parallel;
        this.client = client;
        this.fileBatch = new BatchSize(fileBatch, MAX_FILE_ALIASES);
        this.suiteBatch = new BatchSize(suiteBatch, MAX_NODE_IDS);
        this.checkRunsFirst = checkRunsFirst;
        this.stepsFirst = stepsFirst;
    }

    public GitHubGraphQl client() {
        return client;
    }

    // ---------------------------------------------------------------- files

    /**
     * Each distinct file at its commit, in the order asked. Replaces REST
     * {@code GET /repos/{owner}/{repo}/contents/{path}?ref={sha}} per item (and the 404 probes for files that are not
     * there: ABSENT).
     */
    public Map<FileAt, FileRead> filesAt(String owner, String repo, List<FileAt> files) {
        List<RepoFile> asked = new ArrayList<>();
        for (FileAt f : files) {
            asked.add(new RepoFile(owner, repo, f));
        }
        Map<FileAt, FileRead> out = new LinkedHashMap<>();
        filesAt(asked).forEach((k, v) -> out.put(k.file(), v));
        return out;
    }

    /**
     * As {@link #filesAt(String, String, List)} across repositories: one query holds files of several repositories
     * (a {@code repository} alias each), so an estate of small repositories needs no query per repository.
     */
    public Map<RepoFile, FileRead> filesAt(List<RepoFile> files) {
        return inBatches(files, fileBatch, this::fileChunk);
    }

    private void fileChunk(List<RepoFile> chunk, Map<RepoFile, FileRead> out) {
        try {
            out.putAll(fileQuery(chunk));
            fileBatch.answered();
        } catch (GitHubGraphQl.Overloaded e) {
            if (chunk.size() == 1) {
                out.put(chunk.get(0), FileRead.unknown(chunk.get(0).file(), e.getMessage()));
                return;
            }
            fileBatch.tooLarge(chunk.size());
            int half = chunk.size() / 2;
            fileChunk(chunk.subList(0, half), out);
            fileChunk(chunk.subList(half, chunk.size()), out);
        } catch (IOException | RuntimeException e) {
            for (RepoFile f : chunk) {
                out.put(f, FileRead.unknown(f.file(), String.valueOf(e.getMessage())));
            }
        }
    }

    private Map<RepoFile, FileRead> fileQuery(List<RepoFile> chunk) throws IOException {
        // Group by repository, keeping the order asked: r<i> aliases a repository, f<k> a file in it.
        Map<String, List<Integer>> byRepo = new LinkedHashMap<>();
        for (int k = 0; k < chunk.size(); k++) {
            RepoFile f = chunk.get(k);
            byRepo.computeIfAbsent(f.owner() + "/" + f.repo(), x -> new ArrayList<>()).add(k);
        }
        StringBuilder vars = new StringBuilder();
        StringBuilder body = new StringBuilder();
        Map<String, Object> variables = new HashMap<>();
        Map<Integer, String> repoAlias = new HashMap<>();
        int r = 0;
        for (List<Integer> members : byRepo.values()) {
            RepoFile first = chunk.get(members.get(0));
            String alias = "r" + r;
            vars.append(r == 0 ? "" : ", ").append("$o").append(r).append(": String!, $n").append(r).append(": String!");
            variables.put("o" + r, first.owner());
            variables.put("n" + r, first.repo());
            body.append(' ').append(alias).append(": repository(owner: $o").append(r).append(", name: $n").append(r)
                    .append(") {");
            for (int k : members) {
                repoAlias.put(k, alias);
                vars.append(", $e").append(k).append(": String!");
                variables.put("e" + k, chunk.get(k).file().expression());
                body.append(" f").append(k).append(": object(expression: $e").append(k)
                        .append(") { __typename ... on Blob { oid byteSize isBinary isTruncated text } }");
            }
            body.append(" }");
            r++;
        }
        String query = "query(" + vars + ") { " + GitHubGraphQl.RATE_LIMIT + body + " }";
        // Aliases of object() contain no connection: one point whatever their number.
        Answer a = client.query(query, variables, 1, chunk.size() > 1);
        Map<RepoFile, FileRead> out = new LinkedHashMap<>();
        for (int k = 0; k < chunk.size(); k++) {
            RepoFile f = chunk.get(k);
            String repoKey = repoAlias.get(k);
            String alias = "f" + k;
            String error = errorAbout(a.errors(), List.of(repoKey, alias));
            if (error != null) {
                out.put(f, FileRead.unknown(f.file(), error));
                continue;
            }
            JsonNode repository = a.data().path(repoKey);
            if (!repository.isObject() || !repository.has(alias)) {
                out.put(f, FileRead.unknown(f.file(), "the answer has no repository or no " + alias));
                continue;
            }
            out.put(f, file(f.file(), repository.get(alias)));
        }
        return out;
    }

    private static FileRead file(FileAt f, JsonNode o) {
        if (o.isNull()) {
            return new FileRead(f, FileRead.Kind.ABSENT, null, null, -1, "");
        }
        if (!"Blob".equals(o.path("__typename").asText())) {
            return FileRead.unknown(f, "not a file (" + o.path("__typename").asText() + ")");
        }
        String oid = o.path("oid").asText(null);
        long size = o.path("byteSize").asLong(-1);
        if (o.path("isTruncated").asBoolean(true)) {
            return FileRead.unknown(f, "text truncated by GraphQL (" + size + " bytes)");
        }
        if (o.path("isBinary").isBoolean() && o.path("isBinary").asBoolean()) {
            return new FileRead(f, FileRead.Kind.BINARY, null, oid, size, "");
        }
        if (!o.path("text").isTextual() || !o.path("isBinary").isBoolean()) {
            return FileRead.unknown(f, "GraphQL could not tell the file's encoding");
        }
        return new FileRead(f, FileRead.Kind.TEXT, o.path("text").asText(), oid, size, "");
    }

    // ---------------------------------------------------------------- jobs

    /**
     * The jobs and steps of every attempt of each run, keyed by the check suite node id asked for (REST run
     * {@code check_suite_node_id}), in the order asked. Replaces REST
     * {@code GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs?filter=all} (every page) per run; runs with
     * {@code run_attempt > 1} still need REST {@code .../attempts/{n}/jobs} to label which attempt a job belongs to.
     */
    public Map<String, SuiteJobs> jobsOfSuites(List<String> checkSuiteNodeIds) {
        return inBatches(checkSuiteNodeIds, suiteBatch, this::suiteChunk);
    }

    private void suiteChunk(List<String> chunk, Map<String, SuiteJobs> out) {
        try {
            out.putAll(suiteQuery(chunk));
            suiteBatch.answered();
        } catch (GitHubGraphQl.Overloaded e) {
            if (chunk.size() == 1) {
                out.put(chunk.get(0), SuiteJobs.unknown(chunk.get(0), e.getMessage()));
                return;
            }
            suiteBatch.tooLarge(chunk.size());
            int half = chunk.size() / 2;
            suiteChunk(chunk.subList(0, half), out);
            suiteChunk(chunk.subList(half, chunk.size()), out);
        } catch (IOException | RuntimeException e) {
            for (String id : chunk) {
                out.put(id, SuiteJobs.unknown(id, String.valueOf(e.getMessage())));
            }
        }
    }

    private String checkRunFields() {
        return "id databaseId name status conclusion startedAt completedAt detailsUrl steps(first: " + stepsFirst
                + ") { totalCount pageInfo { hasNextPage endCursor } nodes { " + STEP_FIELDS + " } }";
    }

    private static final String STEP_FIELDS = "number name status conclusion startedAt completedAt";

    /** GitHub's point formula: connections to fill (one per parent) over 100, at least 1. */
    private int suiteCost(int suites) {
        return Math.max(1, Math.round((suites + suites * (float) checkRunsFirst) / 100f));
    }

    private Map<String, SuiteJobs> suiteQuery(List<String> chunk) throws IOException {
        String query = "query($ids: [ID!]!) { " + GitHubGraphQl.RATE_LIMIT + " nodes(ids: $ids) { __typename "
                + "... on CheckSuite { id workflowRun { databaseId } checkRuns(first: " + checkRunsFirst
                + ", filterBy: {checkType: ALL}) { totalCount pageInfo { hasNextPage endCursor } nodes { "
                + checkRunFields() + " } } } } }";
        Answer a = client.query(query, Map.of("ids", chunk), suiteCost(chunk.size()), chunk.size() > 1);
        JsonNode nodes = a.data().path("nodes");
        Map<String, SuiteJobs> out = new LinkedHashMap<>();
        for (int k = 0; k < chunk.size(); k++) {
            String id = chunk.get(k);
            String error = errorAbout(a.errors(), List.of("nodes", k));
            if (error != null) {
                out.put(id, SuiteJobs.unknown(id, error));
                continue;
            }
            JsonNode suite = nodes.path(k);
            out.put(id, suite(id, suite));
        }
        return out;
    }

    private SuiteJobs suite(String id, JsonNode suite) {
        if (!suite.isObject() || !"CheckSuite".equals(suite.path("__typename").asText())) {
            return SuiteJobs.unknown(id, "no check suite for this id in the answer");
        }
        JsonNode run = suite.path("workflowRun");
        if (!run.isObject() || !run.path("databaseId").canConvertToLong()) {
            return SuiteJobs.unknown(id, "the check suite has no workflow run");
        }
        long runId = run.path("databaseId").asLong();
        JsonNode connection = suite.path("checkRuns");
        if (!connection.isObject()) {
            return SuiteJobs.unknown(id, "the check suite's check runs are missing");
        }
        try {
            List<JsonNode> checkRuns = new ArrayList<>();
            connection.path("nodes").forEach(checkRuns::add);
            int total = connection.path("totalCount").asInt(-1);
            JsonNode page = connection.path("pageInfo");
            while (page.path("hasNextPage").asBoolean(false)) {
                JsonNode more = checkRunPage(id, page.path("endCursor").asText());
                more.path("nodes").forEach(checkRuns::add);
                page = more.path("pageInfo");
            }
            if (total != checkRuns.size()) {
                return SuiteJobs.unknown(id, "read " + checkRuns.size() + " check runs of " + total);
            }
            List<CheckRunJob> jobs = new ArrayList<>();
            for (JsonNode cr : checkRuns) {
                if (!cr.isObject()) {
                    return SuiteJobs.unknown(id, "a check run of the suite is null");
                }
                Matcher m = JOB_URL.matcher(cr.path("detailsUrl").asText(""));
                long jobId = cr.path("databaseId").asLong(-1);
                if (!m.find() || Long.parseLong(m.group(1)) != runId || Long.parseLong(m.group(2)) != jobId) {
                    continue; // not a job of this run (a Checks API run that landed in the suite)
                }
                jobs.add(job(cr, runId));
            }
            return new SuiteJobs(id, true, runId, List.copyOf(jobs), "");
        } catch (IOException | RuntimeException e) {
            return SuiteJobs.unknown(id, String.valueOf(e.getMessage()));
        }
    }

    private JsonNode checkRunPage(String suiteId, String after) throws IOException {
        String query = "query($id: ID!, $after: String) { " + GitHubGraphQl.RATE_LIMIT + " node(id: $id) { "
                + "... on CheckSuite { checkRuns(first: 100, after: $after, filterBy: {checkType: ALL}) { totalCount "
                + "pageInfo { hasNextPage endCursor } nodes { " + checkRunFields() + " } } } } }";
        Answer a = client.query(query, Map.of("id", suiteId, "after", after), 2, false);
        if (!a.errors().isEmpty()) {
            throw new IOException("a page of check runs: " + a.errors().get(0).message());
        }
        JsonNode c = a.data().path("node").path("checkRuns");
        if (!c.isObject()) throw new IOException("a page of check runs is missing");
        return c;
    }

    private CheckRunJob job(JsonNode cr, long runId) throws IOException {
        JsonNode connection = cr.path("steps");
        if (!connection.isObject()) {
            throw new IOException("the steps of check run " + cr.path("databaseId").asText() + " are missing");
        }
        List<JsonNode> steps = new ArrayList<>();
        connection.path("nodes").forEach(steps::add);
        int total = connection.path("totalCount").asInt(-1);
        JsonNode page = connection.path("pageInfo");
        while (page.path("hasNextPage").asBoolean(false)) {
            String query = "query($id: ID!, $after: String) { " + GitHubGraphQl.RATE_LIMIT + " node(id: $id) { "
                    + "... on CheckRun { steps(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } "
                    + "nodes { " + STEP_FIELDS + " } } } } }";
            Answer a = client.query(query, Map.of("id", cr.path("id").asText(), "after",
                    page.path("endCursor").asText()), 1, false);
            JsonNode more = a.data().path("node").path("steps");
            if (!a.errors().isEmpty() || !more.isObject()) {
                throw new IOException("a page of steps could not be read");
            }
            more.path("nodes").forEach(steps::add);
            page = more.path("pageInfo");
        }
        if (total != steps.size()) {
            throw new IOException("read " + steps.size() + " steps of " + total);
        }
        List<CheckRunStep> out = new ArrayList<>();
        for (JsonNode s : steps) {
            if (!s.isObject()) throw new IOException("a step is null");
            out.add(new CheckRunStep(s.path("number").asInt(), s.path("name").asText(), lower(s.path("status")),
                    lower(s.path("conclusion")), text(s.path("startedAt")), text(s.path("completedAt"))));
        }
        return new CheckRunJob(cr.path("databaseId").asLong(), cr.path("id").asText(), runId, cr.path("name").asText(),
                lower(cr.path("status")), lower(cr.path("conclusion")), text(cr.path("startedAt")),
                text(cr.path("completedAt")), cr.path("detailsUrl").asText(), List.copyOf(out));
    }

    // ---------------------------------------------------------------- history

    /**
     * The commits reachable from {@code ref} (a sha, branch or {@code HEAD}) that touched {@code path}, newest first,
     * committed between {@code since} and {@code until} (either may be null). Replaces REST
     * {@code GET /repos/{owner}/{repo}/commits?sha={ref}&path={path}&since=&until=} (every page), as the expired-history
     * fallback reads it.
     */
    public CommitHistory history(String owner, String repo, String ref, String path, Instant since, Instant until) {
        String query = "query($owner: String!, $name: String!, $ref: String!, $path: String, $since: GitTimestamp, "
                + "$until: GitTimestamp, $after: String) { " + GitHubGraphQl.RATE_LIMIT
                + " repository(owner: $owner, name: $name) { object(expression: $ref) { __typename ... on Commit { "
                + "history(first: 100, after: $after, path: $path, since: $since, until: $until) { totalCount "
                + "pageInfo { hasNextPage endCursor } nodes { oid committedDate } } } } } }";
        List<CommitHistory.Entry> out = new ArrayList<>();
        String after = null;
        int total = -1;
        try {
            do {
                Map<String, Object> v = new HashMap<>();
                v.put("owner", owner);
                v.put("name", repo);
                v.put("ref", ref);
                v.put("path", path);
                v.put("since", since == null ? null : since.toString());
                v.put("until", until == null ? null : until.toString());
                v.put("after", after);
                Answer a = client.query(query, v, 1, false);
                if (!a.errors().isEmpty()) {
                    return CommitHistory.unknown(a.errors().get(0).message());
                }
                JsonNode object = a.data().path("repository").path("object");
                if (!"Commit".equals(object.path("__typename").asText())) {
                    return CommitHistory.unknown(ref + " is not a commit in the answer");
                }
                JsonNode h = object.path("history");
                total = h.path("totalCount").asInt(-1);
                for (JsonNode c : h.path("nodes")) {
                    if (!c.isObject()) return CommitHistory.unknown("a commit of the history is null");
                    out.add(new CommitHistory.Entry(c.path("oid").asText(), c.path("committedDate").asText()));
                }
                after = h.path("pageInfo").path("hasNextPage").asBoolean(false)
                        ? h.path("pageInfo").path("endCursor").asText() : null;
            } while (after != null);
        } catch (IOException | RuntimeException e) {
            return CommitHistory.unknown(String.valueOf(e.getMessage()));
        }
        if (total >= 0 && total != out.size()) {
            return CommitHistory.unknown("read " + out.size() + " commits of " + total);
        }
        return new CommitHistory(true, List.copyOf(out), "");
    }

    // ---------------------------------------------------------------- shared

    /** Reads one batch of items into the map given (every item of the batch answered, known or unknown). */
    private interface Batch<K, V> {
        void read(List<K> items, Map<K, V> into);
    }

    /**
     * The distinct items, each answered, in the order asked: batches of the current {@link BatchSize} taken in turn
     * by up to {@code parallel} queries in flight, so the server's answering time overlaps instead of adding up (a
     * halved batch size applies to the batches taken after it).
     */
    private <K, V> Map<K, V> inBatches(List<K> items, BatchSize size, Batch<K, V> batch) {
        List<K> distinct = new ArrayList<>(new LinkedHashSet<>(items));
        Map<K, V> got = new ConcurrentHashMap<>();
        int[] cursor = {0};
        Runnable worker = () -> {
            while (true) {
                List<K> chunk;
                synchronized (cursor) {
                    if (cursor[0] >= distinct.size()) {
                        return;
                    }
                    int n = Math.min(size.get(), distinct.size() - cursor[0]);
                    chunk = distinct.subList(cursor[0], cursor[0] + n);
                    cursor[0] += n;
                }
                Map<K, V> answered = new HashMap<>();
                batch.read(chunk, answered);
                got.putAll(answered);
            }
        };
        int helpers = Math.min(parallel, (distinct.size() + size.get() - 1) / Math.max(1, size.get())) - 1;
        ExecutorService pool = helpers <= 0 ? null
                : Executors.newFixedThreadPool(helpers, DaemonThreads.named("github-graphql"));
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < helpers; i++) {
                running.add(pool.submit(worker));
            }
            worker.run();
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // A batch's own failures are answers (unknown items); anything else leaves its items out: unknown.
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        Map<K, V> out = new LinkedHashMap<>();
        for (K k : distinct) {
            V v = got.get(k);
            if (v != null) {
                out.put(k, v);
            }
        }
        return out;
    }

    /**
     * The message of an error that concerns the item at {@code itemPath}: one on the item or below it, on one of its
     * parents, or one without a path (it may concern anything). Null when the item is clean.
     */
    static String errorAbout(List<GraphQlError> errors, List<Object> itemPath) {
        for (GraphQlError e : errors) {
            List<Object> p = e.path();
            int common = Math.min(p.size(), itemPath.size());
            boolean related = true;
            for (int i = 0; i < common; i++) {
                if (!String.valueOf(p.get(i)).equals(String.valueOf(itemPath.get(i)))) {
                    related = false;
                    break;
                }
            }
            if (related) {
                return (e.type() == null ? "" : e.type() + ": ") + e.message();
            }
        }
        return null;
    }

    private static String lower(JsonNode n) {
        return n.isTextual() ? n.asText().toLowerCase(Locale.ROOT) : null;
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }
}
