package io.breachwalk.source.jenkins;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Reads files (the Jenkinsfile, and the repository scripts it calls) at a build's revision from the job's git remote,
 * as the build saw them: config.xml only has today's definition. A local repository (file: URL) is opened in place;
 * a remote one is fetched at that one commit, shallow, into a temporary repository, once for all the paths read while
 * a {@link Tree} is in use, and deleted when the last user releases it.
 *
 * <p>What stays in memory for the scan is the content of the paths asked (each at most {@link #MAX_FILE} bytes),
 * per (remote, revision), within {@link #MAX_CACHED} bytes in all: the least recently used revisions not in use are
 * dropped first (read again, with a new fetch, if a later build needs them). Each remote fetch is reported to the
 * {@code onFetch} hook, so the scan's request count includes it.
 */
final class ScmFiles {
    static final int MAX_FILE = 1 << 20;
    static final long MAX_CACHED = 32L << 20;

    private final Runnable onFetch;
    private final boolean openLocal;
    private final long maxCached;
    private final AtomicInteger fetches = new AtomicInteger();
    private final Map<String, Tree> trees = new LinkedHashMap<>(16, 0.75f, true);  // guarded by this
    private long cached;                                                          // guarded by this

    ScmFiles() { this(() -> { }); }

    ScmFiles(Runnable onFetch) { this(onFetch, true, MAX_CACHED); }

    /** @param openLocal false to fetch a file: remote like any other (tests of the fetch path) */
    ScmFiles(Runnable onFetch, boolean openLocal, long maxCached) {
        this.onFetch = onFetch;
        this.openLocal = openLocal;
        this.maxCached = maxCached;
    }

    /** Remote fetches made so far (a local repository opened in place is none). */
    int fetches() { return fetches.get(); }

    /** The file's text, or empty when the remote, the commit or the file cannot be reached (the reason in why[0]). */
    Optional<String> read(String url, String sha, String path, String[] why) {
        try (Tree t = tree(url, sha)) {
            return t.read(path, why);
        }
    }

    /** One revision of one remote; close it when done reading (the fetched repository goes with the last user). */
    Tree tree(String url, String sha) {
        synchronized (this) {
            Tree t = trees.computeIfAbsent(url + "\n" + sha, k -> new Tree(url, sha));
            t.users++;
            return t;
        }
    }

    private synchronized boolean inUse(Tree t) { return t.users > 0; }

    private synchronized void added(Tree t, int bytes) {
        t.bytes += bytes;
        if (trees.get(t.key()) == t) cached += bytes;
    }

    /** Drops the least recently used revisions nobody reads until the kept contents fit the budget. */
    private synchronized void evict() {
        for (Iterator<Tree> it = trees.values().iterator(); it.hasNext() && cached > maxCached; ) {
            Tree t = it.next();
            if (t.users > 0) continue;
            it.remove();
            cached -= t.bytes;
        }
    }

    /** A file's text, or why it is not there; unreachable: the commit could not be had from this remote at all. */
    record Result(String text, String why, boolean unreachable) { }

    /** The files of one (remote, revision) read so far, and the repository they come from while someone reads. */
    final class Tree implements AutoCloseable {
        final String url;
        final String sha;
        int users;                                                // guarded by ScmFiles.this
        long bytes;                                               // guarded by ScmFiles.this
        private final Map<String, Result> files = new HashMap<>();   // guarded by this
        private Repository repo;
        private Path tmp;
        private RevTree root;
        private String failure;

        private Tree(String url, String sha) {
            this.url = url;
            this.sha = sha;
        }

        private String key() { return url + "\n" + sha; }

        Optional<String> read(String path, String[] why) {
            Result r = result(path);
            if (r.text() == null) why[0] = r.why();
            return Optional.ofNullable(r.text());
        }

        synchronized Result result(String path) {
            Result r = files.get(path);
            if (r != null) return r;
            r = load(path);
            files.put(path, r);
            if (r.text() != null) added(this, r.text().length());
            return r;
        }

        private Result load(String path) {
            if (failure == null && root == null) open();
            if (failure != null) return new Result(null, failure, true);
            return readFile(repo, root, path, sha);
        }

        /** Opens the local repository, or fetches the one commit: once, however many paths are read. */
        private void open() {
            try {
                if (isLocal(url)) {
                    repo = openInPlace(url);
                } else {
                    tmp = Files.createTempDirectory("bw-scm");
                    // One commit, no history: enough to read the files the build ran.
                    repo = fetch(tmp, url, new RefSpec(sha + ":refs/bw/build"), 1, 30);
                }
                ObjectId id = repo.resolve(sha);
                if (id == null) {
                    failure = "commit " + abbrev(sha) + " is not in the job's git remote";
                    dispose();
                    return;
                }
                try (RevWalk walk = new RevWalk(repo)) {
                    root = walk.parseCommit(id).getTree();
                }
            } catch (Exception e) {
                failure = "cannot read files at " + abbrev(sha) + " from the job's git remote: " + e.getClass().getSimpleName();
                dispose();
            }
        }

        private void dispose() {
            if (repo != null) repo.close();
            repo = null;
            root = null;
            deleteTree(tmp);
            tmp = null;
        }

        /** Releases this user; the last one closes the repository (and deletes a fetched one). Contents stay cached. */
        @Override
        public void close() {
            synchronized (ScmFiles.this) {
                users--;
                if (users > 0) return;
            }
            synchronized (this) {
                if (!inUse(this)) dispose();
            }
            evict();
        }
    }

    /** One version of a file on a branch: the commit that made it and when it was committed. */
    record Version(String sha, java.time.Instant time) { }

    /**
     * The versions of {@code path} on {@code branch} that were in effect during [since, until): the last change before
     * {@code since} and every change inside the window, oldest first. {@code branch} is a branch name or a full ref
     * (a pull request's head). A remote is fetched once (the branch with its history, one request); a local
     * repository is opened in place. Close it when done reading.
     */
    History history(String url, String branch, String path, java.time.Instant since, java.time.Instant until) {
        History h = new History();
        try {
            String ref;
            String branchRef = branch.startsWith("refs/") ? branch : "refs/heads/" + branch;
            if (isLocal(url)) {
                h.repo = openInPlace(url);
                ref = branchRef;
            } else {
                h.tmp = Files.createTempDirectory("bw-scm-history");
                // The branch with its history: the commits that changed the Jenkinsfile are among them.
                h.repo = fetch(h.tmp, url, new RefSpec("+" + branchRef + ":refs/bw/history"), 0, 60);
                ref = "refs/bw/history";
            }
            ObjectId head = h.repo.resolve(ref);
            if (head == null) {
                h.failure = "branch " + branch + " is not in the job's git remote";
                h.close();
                return h;
            }
            java.util.List<Version> newestFirst = new java.util.ArrayList<>();
            try (RevWalk walk = new RevWalk(h.repo)) {
                walk.markStart(walk.parseCommit(head));
                walk.setTreeFilter(org.eclipse.jgit.treewalk.filter.AndTreeFilter.create(
                        org.eclipse.jgit.treewalk.filter.PathFilter.create(path),
                        org.eclipse.jgit.treewalk.filter.TreeFilter.ANY_DIFF));
                walk.sort(org.eclipse.jgit.revwalk.RevSort.COMMIT_TIME_DESC);
                for (org.eclipse.jgit.revwalk.RevCommit c : walk) {
                    java.time.Instant t = java.time.Instant.ofEpochSecond(c.getCommitTime());
                    if (!t.isBefore(until)) continue;
                    newestFirst.add(new Version(c.getName(), t));
                    if (!t.isAfter(since)) break;   // the version in effect when the window opened
                }
            }
            java.util.Collections.reverse(newestFirst);
            h.versions = java.util.List.copyOf(newestFirst);
        } catch (Exception e) {
            h.failure = "cannot read the history of " + path + " on " + branch + " from the job's git remote: "
                    + e.getClass().getSimpleName();
            h.close();
        }
        return h;
    }

    /** The versions of one file on one branch, and the repository to read any file at those commits. */
    static final class History implements AutoCloseable {
        private java.util.List<Version> versions = java.util.List.of();
        private String failure;
        private Repository repo;
        private Path tmp;

        java.util.List<Version> versions() { return versions; }

        /** Why the history could not be read, or null. */
        String failure() { return failure; }

        /** A file's text at one of the commits, or empty with why[0] set. */
        synchronized Optional<String> read(String sha, String path, String[] why) {
            if (repo == null) {
                why[0] = failure == null ? "the history is closed" : failure;
                return Optional.empty();
            }
            RevTree root;
            try (RevWalk walk = new RevWalk(repo)) {
                root = walk.parseCommit(ObjectId.fromString(sha)).getTree();
            } catch (IOException | IllegalArgumentException e) {
                why[0] = cannotRead(path, sha, e);
                return Optional.empty();
            }
            Result r = readFile(repo, root, path, sha);
            if (r.text() == null) why[0] = r.why();
            return Optional.ofNullable(r.text());
        }

        @Override
        public synchronized void close() {
            if (repo != null) repo.close();
            repo = null;
            deleteTree(tmp);
            tmp = null;
        }
    }

    private boolean isLocal(String url) {
        return openLocal && (url.startsWith("file:") || url.startsWith("/"));
    }

    /** A local repository (file: URL or path, work tree or bare), opened in place. */
    private static Repository openInPlace(String url) throws IOException {
        File dir = url.startsWith("file:") ? new File(URI.create(url.replace("file:///", "file:/")).getPath()) : new File(url);
        File gitDir = new File(dir, ".git").isDirectory() ? new File(dir, ".git") : dir;
        return new FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build();
    }

    /**
     * Fetches {@code spec} from a remote into a new bare repository in {@code tmp} (one request, counted), shallow to
     * {@code depth} commits (0: all history); the caller closes the repository and deletes {@code tmp}.
     */
    private Repository fetch(Path tmp, String url, RefSpec spec, int depth, int timeoutSeconds) throws Exception {
        fetches.incrementAndGet();
        onFetch.run();
        try (Git git = Git.init().setBare(true).setDirectory(tmp.toFile()).call()) {
            noAutoGc(git);
            org.eclipse.jgit.api.FetchCommand f = git.fetch().setRemote(url).setRefSpecs(spec).setTimeout(timeoutSeconds);
            if (depth > 0) f.setDepth(depth);
            f.call();
            Repository repo = git.getRepository();
            repo.incrementOpen();
            return repo;
        }
    }

    /** Deletes a temporary repository; one left behind holds only public commits, so a failure is let be. */
    private static void deleteTree(Path tmp) {
        if (tmp == null) return;
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // nothing else to do
        }
    }

    /** One file of a commit's tree: its text, or why not (absent, not a file, too large, unreadable). */
    private static Result readFile(Repository repo, RevTree root, String path, String sha) {
        try (ObjectReader reader = repo.newObjectReader(); TreeWalk tw = TreeWalk.forPath(reader, path, root)) {
            if (tw == null || tw.getFileMode(0).getObjectType() != org.eclipse.jgit.lib.Constants.OBJ_BLOB) {
                return new Result(null, path + " does not exist at " + abbrev(sha), false);
            }
            ObjectLoader blob = reader.open(tw.getObjectId(0));
            if (blob.getSize() > MAX_FILE) {
                return new Result(null, path + " at " + abbrev(sha) + " is larger than " + (MAX_FILE >> 20)
                        + " MiB: not read", false);
            }
            return new Result(new String(blob.getCachedBytes(MAX_FILE), StandardCharsets.UTF_8), null, false);
        } catch (IOException | IllegalArgumentException e) {
            return new Result(null, cannotRead(path, sha, e), false);
        }
    }

    private static String cannotRead(String path, String sha, Exception e) {
        return "cannot read " + path + " at " + abbrev(sha) + " from the job's git remote: " + e.getClass().getSimpleName();
    }

    /**
     * A fetch into a repository may start a detached auto-gc that writes into it while it is being deleted: a
     * throwaway repository needs none.
     */
    private static void noAutoGc(Git git) throws IOException {
        org.eclipse.jgit.lib.StoredConfig c = git.getRepository().getConfig();
        c.setInt("gc", null, "auto", 0);
        c.setBoolean("gc", null, "autoDetach", false);
        c.save();
    }

    static String abbrev(String sha) { return sha == null ? "?" : sha.length() > 7 ? sha.substring(0, 7) : sha; }
}
