package io.breachwalk.source.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.breachwalk.detect.FileLookup;
import io.breachwalk.playbook.Window;
import io.breachwalk.source.DaemonThreads;
import io.breachwalk.source.ScanContext;
import io.breachwalk.source.github.graphql.FileRead;
import io.breachwalk.source.github.graphql.GitHubGraphQlReads;
import io.breachwalk.source.github.graphql.RepoFile;
import io.breachwalk.source.github.graphql.SuiteJobs;
import io.breachwalk.source.github.workflow.WorkflowAnalyzer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The staged walk's read-ahead for `--api auto|graphql` (issue 12): the runs of every repository listed at once
 * (REST, bounded by `--concurrency`), then every distinct workflow file at its commit and the files the analyzer asks
 * for (GraphQL, many repositories per query, a few rounds), then the jobs and steps of the runs the walk will read
 * jobs for (GraphQL by check suite, a window of repositories at a time so they are not all held at once). The walk of
 * each repository then takes its {@link Repo}: {@link LiveGitHubData} serves what is known from it and reads the rest
 * through REST as before, so every item GraphQL could not answer is still read.
 */
final class GitHubPrefetch {
    /** Rounds of file reads: the workflows, then what they call, what that calls, and so on. */
    private static final int FILE_ROUNDS = 4;
    /** Jobs are read for at least this many runs at a time (across repositories), so queries stay full. */
    private static final int JOBS_AHEAD = 500;

    /** What was read ahead for one repository: its runs, files by {@link GitHubData#fileName}, jobs by run id. */
    static final class Repo {
        final String fullName;
        RunListing.Listed listing;
        final Map<String, FileRead> files = new ConcurrentHashMap<>();
        final Map<String, SuiteJobs> jobs = new ConcurrentHashMap<>();
        /** The check suites whose jobs the walk will read (run_attempt 1), by suite node id -> run id. */
        final Map<String, String> suites = new LinkedHashMap<>();
        /** The read of the batch of jobs this repository is in; null until it is scheduled. */
        Future<?> jobsRead;

        Repo(String fullName) {
            this.fullName = fullName;
        }
    }

    /**
     * Repositories read ahead together (runs listed, files read): one chunk is prepared while the walk takes the one
     * before, so at most about two chunks' run listings are held, whatever the size of the estate.
     */
    static final int CHUNK_REPOS = 100;

    private final GitHubGraphQlReads reads;
    private final GitHubRest rest;
    private final ScanContext ctx;
    /** The repositories' names in the order the walk takes them, cut into chunks. */
    private final List<List<String>> chunks = new ArrayList<>();
    private final Map<String, Integer> chunkOf = new HashMap<>();
    /** Each chunk's preparation, once scheduled. Guarded by {@code this}. */
    private final Map<Integer, Future<?>> prepared = new HashMap<>();
    private ExecutorService preparer;
    /** In the order the walk takes them, so jobs can be read for the next few repositories together. */
    private final Map<String, Repo> repos = new LinkedHashMap<>();

    private GitHubPrefetch(GitHubGraphQlReads reads, GitHubRest rest, ScanContext ctx, List<String> names) {
        this.reads = reads;
        this.rest = rest;
        this.ctx = ctx;
        for (int i = 0; i < names.size(); i += CHUNK_REPOS) {
            List<String> chunk = names.subList(i, Math.min(names.size(), i + CHUNK_REPOS));
            chunk.forEach(n -> chunkOf.putIfAbsent(key(n), chunks.size()));
            chunks.add(chunk);
        }
    }

    /**
     * Lists the runs of the first repositories and reads their files ahead (the next chunk in the background); the
     * rest follow as {@link #take} reaches them, and jobs are read a batch ahead of the walk.
     */
    static GitHubPrefetch read(List<String> names, GitHubRest rest, GitHubGraphQlReads reads, ScanContext ctx) {
        GitHubPrefetch p = new GitHubPrefetch(reads, rest, ctx, List.copyOf(names));
        if (!p.chunks.isEmpty()) {
            p.prepare(0);
            synchronized (p) {
                p.prepared.put(0, java.util.concurrent.CompletableFuture.completedFuture(null));
                p.schedule(1);
            }
        }
        return p;
    }

    /** Lists a chunk's runs and reads its files, then hands its repositories to the walk, in order. */
    private void prepare(int chunk) {
        Map<String, Repo> got = list(chunks.get(chunk));
        if (reads != null && reads.client().available()) {
            files(got.values());
        }
        synchronized (this) {
            repos.putAll(got);
        }
    }

    /** Queues the preparation of {@code chunk} (if there is one and it is not queued yet); its future. */
    private synchronized Future<?> schedule(int chunk) {
        if (chunk >= chunks.size()) {
            return null;
        }
        Future<?> f = prepared.get(chunk);
        if (f == null) {
            if (preparer == null) {
                preparer = Executors.newSingleThreadExecutor(DaemonThreads.named("github-read-ahead"));
            }
            f = preparer.submit(() -> prepare(chunk));
            prepared.put(chunk, f);
        }
        return f;
    }

    /**
     * The read-ahead of one repository (null when nothing was read for it), once its jobs are read. Jobs are read by
     * one reader thread in batches of about {@link #JOBS_AHEAD} runs across repositories, a batch ahead of the walk,
     * so the walk of one repository overlaps the reading of the next ones' jobs. Each repository is handed out once
     * and then forgotten.
     */
    Repo take(String fullName) {
        Integer chunk = chunkOf.get(key(fullName));
        if (chunk == null) {
            return null;
        }
        Future<?> ready = schedule(chunk);
        schedule(chunk + 1);
        try {
            ready.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            // not read ahead: the walk reads this repository itself
        }
        Repo r;
        Future<?> batch;
        synchronized (this) {
            r = repos.get(key(fullName));
            if (r == null) {
                return null;
            }
            batch = scheduleFrom(r);
            repos.remove(key(fullName));
            if (batch == newest) {
                // The walk reached the newest batch: queue the next one, so at most two batches are held at once.
                repos.values().stream().filter(x -> x.jobsRead == null).findFirst().ifPresent(this::scheduleFrom);
            }
        }
        try {
            batch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // Jobs not read ahead are read through REST by the walk.
        }
        return r;
    }

    /** Ends the jobs reader (the walk is over or abandoned). */
    synchronized void close() {
        if (jobsReader != null) {
            jobsReader.shutdownNow();
        }
        if (preparer != null) {
            preparer.shutdownNow();
        }
    }

    private static String key(String fullName) {
        return fullName.toLowerCase(Locale.ROOT);
    }

    // --- runs ------------------------------------------------------------------------------------------------------

    private Map<String, Repo> list(List<String> names) {
        Instant from = ctx.window().since().minus(RepoWalk.RERUN_REACH);
        Instant to = ctx.window().until().minusSeconds(1);
        List<RunListing.Listed> got = inParallel(names, "github-listing",
                name -> RunListing.list(rest, name, from, to, true));
        Map<String, Repo> listed = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            if (got.get(i) == null) {
                continue; // not read ahead: the walk lists it again and says what went wrong
            }
            Repo r = new Repo(names.get(i));
            r.listing = got.get(i);
            listed.put(key(r.fullName), r);
        }
        return listed;
    }

    /**
     * {@code task} on every item, {@code --concurrency} at a time on threads of that name; the results in the items'
     * order, null where the task failed (or the wait was interrupted).
     */
    private <T, R> List<R> inParallel(List<T> items, String threadName, java.util.function.Function<T, R> task) {
        List<R> out = new ArrayList<>(java.util.Collections.nCopies(items.size(), null));
        int threads = Math.max(1, Math.min(ctx.concurrency(), items.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, DaemonThreads.named(threadName));
        try {
            List<Future<R>> running = new ArrayList<>();
            for (T item : items) {
                running.add(pool.submit(() -> task.apply(item)));
            }
            for (int i = 0; i < running.size(); i++) {
                try {
                    out.set(i, running.get(i).get());
                } catch (ExecutionException e) {
                    // left null: the caller says what that means
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    // --- files -----------------------------------------------------------------------------------------------------

    /** One workflow at one commit of a repository, and whether the walk will read the jobs of its runs. */
    private static final class Version {
        final Repo repo;
        final String sha;
        final String path;
        /** null while undecided (a file it needs is not read yet). */
        Boolean needsJobs;

        Version(Repo repo, String sha, String path) {
            this.repo = repo;
            this.sha = sha;
            this.path = path;
        }
    }

    private void files(java.util.Collection<Repo> chunk) {
        Map<String, Version> versions = new LinkedHashMap<>();
        for (Repo r : chunk) {
            if (r.listing.failure() != null) {
                continue;
            }
            for (JsonNode run : r.listing.runs().values()) {
                String path = RepoWalk.withoutRef(run.path("path").asText(""));
                String sha = run.path("head_sha").asText("");
                if (path.isEmpty() || sha.isEmpty() || !RepoWalk.candidate(run, ctx.window())) {
                    continue;
                }
                versions.computeIfAbsent(key(r.fullName) + "\n" + sha + ":" + path, k -> new Version(r, sha, path));
            }
        }
        Map<RepoFile, Set<Repo>> wanted = new LinkedHashMap<>();
        for (Version v : versions.values()) {
            want(wanted, v.repo, v.repo.fullName, v.sha, v.path);
        }
        for (int round = 0; round < FILE_ROUNDS && !wanted.isEmpty() && reads.client().available(); round++) {
            Map<RepoFile, FileRead> got = reads.filesAt(new ArrayList<>(wanted.keySet()));
            for (Map.Entry<RepoFile, Set<Repo>> w : wanted.entrySet()) {
                FileRead f = got.get(w.getKey());
                if (f == null) {
                    continue;
                }
                RepoFile rf = w.getKey();
                String name = GitHubData.fileName(rf.owner() + "/" + rf.repo(), rf.file().path(), rf.file().sha());
                for (Repo r : w.getValue()) {
                    r.files.put(name, f);
                }
            }
            wanted = analyseAll(versions.values(), round == FILE_ROUNDS - 1);
        }
        for (Version v : versions.values()) {
            if (v.needsJobs == null) {
                v.needsJobs = true; // undecided: read its jobs ahead, the walk may need them
            }
        }
        for (Repo r : chunk) {
            if (r.listing.failure() != null) {
                continue;
            }
            for (JsonNode run : r.listing.runs().values()) {
                String path = RepoWalk.withoutRef(run.path("path").asText(""));
                Version v = versions.get(key(r.fullName) + "\n" + run.path("head_sha").asText("") + ":" + path);
                String suite = run.path("check_suite_node_id").asText("");
                if (v != null && v.needsJobs && run.path("run_attempt").asInt(1) == 1 && !suite.isEmpty()) {
                    r.suites.put(suite, run.path("id").asText());
                }
            }
        }
    }

    /**
     * {@link #analyse}s every undecided version, spread over {@code --concurrency} threads (thousands of versions;
     * the analysis is the files stage's CPU), and returns the files they want next, in the versions' order.
     */
    private Map<RepoFile, Set<Repo>> analyseAll(java.util.Collection<Version> versions, boolean last) {
        List<Version> undecided = versions.stream().filter(v -> v.needsJobs == null).toList();
        // analyse catches what the analysis throws; a version left undecided has its jobs read ahead
        List<Map<RepoFile, Set<Repo>>> wants = inParallel(undecided, "github-analysis", v -> {
            Map<RepoFile, Set<Repo>> w = new LinkedHashMap<>();
            analyse(v, w, ctx, last);
            return w;
        });
        Map<RepoFile, Set<Repo>> wanted = new LinkedHashMap<>();
        for (Map<RepoFile, Set<Repo>> w : wants) {
            if (w != null) {
                w.forEach((f, who) -> wanted.computeIfAbsent(f, x -> new LinkedHashSet<>()).addAll(who));
            }
        }
        return wanted;
    }

    private static void want(Map<RepoFile, Set<Repo>> wanted, Repo asking, String repoName, String sha, String path) {
        int slash = repoName.indexOf('/');
        if (slash <= 0 || slash != repoName.lastIndexOf('/') || path == null || path.isEmpty()) {
            return; // not a name GraphQL can be asked for: the walk reads it through REST
        }
        RepoFile f = new RepoFile(repoName.substring(0, slash), repoName.substring(slash + 1), sha, path);
        wanted.computeIfAbsent(f, k -> new LinkedHashSet<>()).add(asking);
    }

    /**
     * Decides whether the walk will read the jobs of a version's runs by the walk's own rule (the workflow is absent,
     * or it references an indicator), analysing it as the walk will; a file the analyzer asks for that is not read
     * yet is wanted for the next round and leaves the version undecided.
     */
    private void analyse(Version v, Map<RepoFile, Set<Repo>> wanted, ScanContext ctx, boolean last) {
        String full = v.repo.fullName;
        FileRead main = v.repo.files.get(GitHubData.fileName(full, v.path, v.sha));
        if (main == null) {
            return; // not answered: undecided
        }
        if (main.kind() == FileRead.Kind.ABSENT) {
            v.needsJobs = true; // the walk judges such runs by their step records
            return;
        }
        if (main.kind() != FileRead.Kind.TEXT) {
            v.needsJobs = true; // the walk reads it through REST: decide as if it may need the jobs
            return;
        }
        List<RepoFile> missing = new ArrayList<>();
        boolean[] uncertain = {false};
        Map<RepoFile, Set<Repo>> asked = new LinkedHashMap<>();
        FileLookup lookup = new FileLookup() {
            @Override
            public Optional<String> read(String p) {
                return referred(full, p, v.sha);
            }

            @Override
            public Optional<String> readRemote(String other, String ref, String p) {
                return referred(other, p, ref);
            }

            private Optional<String> referred(String repoName, String p, String ref) {
                FileRead f = v.repo.files.get(GitHubData.fileName(repoName, p, ref));
                if (f == null) {
                    want(asked, v.repo, repoName, ref, p);
                    uncertain[0] = true;
                    return Optional.empty();
                }
                if (f.kind() == FileRead.Kind.TEXT) {
                    return Optional.of(f.text());
                }
                if (f.kind() != FileRead.Kind.ABSENT) {
                    uncertain[0] = true; // binary or unknown: the walk reads it through REST
                }
                return Optional.empty();
            }
        };
        try {
            boolean hits = WorkflowAnalyzer.analyze(v.path, main.text(), lookup, ctx.matcher()).referencesIndicator();
            if (hits) {
                v.needsJobs = true; // more files cannot take an indicator away
            } else if (!uncertain[0]) {
                v.needsJobs = false;
            } else if (asked.isEmpty() || last) {
                v.needsJobs = true;
            }
        } catch (WorkflowAnalyzer.UnparsableWorkflowException e) {
            v.needsJobs = asked.isEmpty() ? Boolean.FALSE : null;
        } catch (RuntimeException e) {
            v.needsJobs = true;
        }
        if (v.needsJobs == null) {
            asked.forEach((f, who) -> wanted.computeIfAbsent(f, k -> new LinkedHashSet<>()).addAll(who));
        }
    }

    // --- jobs ------------------------------------------------------------------------------------------------------

    private ExecutorService jobsReader;
    /** The batch scheduled last. */
    private Future<?> newest;

    /**
     * The batch {@code first} is in: when it has none, a new one of {@code first} and the repositories after it
     * that are in none yet, until about JOBS_AHEAD runs, queued for the reader thread.
     */
    private Future<?> scheduleFrom(Repo first) {
        if (first.jobsRead != null) {
            return first.jobsRead;
        }
        List<Repo> batch = new ArrayList<>();
        int runs = 0;
        boolean started = false;
        for (Repo r : repos.values()) {
            started |= r == first;
            if (!started || r.jobsRead != null) {
                continue;
            }
            batch.add(r);
            runs += r.suites.size();
            if (runs >= JOBS_AHEAD) {
                break;
            }
        }
        if (jobsReader == null) {
            jobsReader = Executors.newSingleThreadExecutor(DaemonThreads.named("github-jobs-ahead"));
        }
        Future<?> read = jobsReader.submit(() -> readJobs(batch));
        batch.forEach(r -> r.jobsRead = read);
        newest = read;
        return read;
    }

    /** Reads the jobs of a batch's runs (GraphQL by check suite); what is not answered is left to REST. */
    private void readJobs(List<Repo> batch) {
        List<String> suites = new ArrayList<>();
        batch.forEach(r -> suites.addAll(r.suites.keySet()));
        Map<String, SuiteJobs> got = suites.isEmpty() || reads == null || !reads.client().available()
                ? Map.of() : reads.jobsOfSuites(suites);
        for (Repo r : batch) {
            for (Map.Entry<String, String> s : r.suites.entrySet()) {
                SuiteJobs j = got.get(s.getKey());
                if (j != null && j.known() && String.valueOf(j.runId()).equals(s.getValue())) {
                    r.jobs.put(s.getValue(), j);
                }
            }
            r.suites.clear();
        }
    }
}
