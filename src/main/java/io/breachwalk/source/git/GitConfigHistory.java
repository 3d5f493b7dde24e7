package io.breachwalk.source.git;

import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.config.CiFile;
import io.breachwalk.detect.config.ConfigInspector;
import io.breachwalk.detect.config.JobReport;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Walks a local clone: on every branch (local and remote-tracking), every commit whose commit time is in the window,
 * and the last commit before the window (the configuration in effect when the window opened, which every build in the
 * window ran until the next commit). Reads the CI configurations of each, with scripts and templates looked up in
 * the same tree.
 */
public final class GitConfigHistory {
    /**
     * What one commit's configurations say.
     * @param branches    the branches it is on (remote-tracking ones without their remote's name), sorted
     * @param windowStart true for the last commit before the window on some branch
     */
    public record CommitResult(String commit, Instant time, List<String> branches, boolean windowStart,
                               List<JobReport> jobs, List<String> problems) { }

    /**
     * The walk of one clone.
     * @param shallow  the clone lacks history (`git clone --depth`): commits before its cut are not there
     * @param inWindow how many of {@code commits} are inside the window (the others are window-start commits)
     */
    public record History(boolean shallow, List<CommitResult> commits, int inWindow) { }

    /** A commit's blobs above this size are not configuration and are not read. */
    private final long maxFileBytes;
    private final ConfigInspector inspector;
    private final String forcedProvider;

    public GitConfigHistory(ConfigInspector inspector, String forcedProvider, long maxFileBytes) {
        this.inspector = inspector;
        this.forcedProvider = forcedProvider;
        this.maxFileBytes = maxFileBytes;
    }

    /** True when the folder is the top of a git work tree or a bare repository. */
    public static boolean isRepository(File dir) {
        return new File(dir, ".git").exists() || (new File(dir, "HEAD").isFile() && new File(dir, "objects").isDirectory());
    }

    public History walk(File dir, Instant since, Instant until) throws IOException {
        FileRepositoryBuilder b = new FileRepositoryBuilder().setMustExist(true);
        if (new File(dir, ".git").exists()) b.setWorkTree(dir).readEnvironment(); else b.setGitDir(dir);
        try (Repository repo = b.build(); ObjectReader reader = repo.newObjectReader()) {
            boolean shallow = isShallow(repo);
            Map<String, ObjectId> branches = branches(repo);
            // Commit id -> its branches; window-start commits kept apart (a commit may be both on different branches).
            Map<RevCommit, Set<String>> onBranches = new LinkedHashMap<>();
            Set<RevCommit> starts = new HashSet<>();
            Set<RevCommit> inside = new HashSet<>();
            try (RevWalk walk = new RevWalk(reader)) {
                for (Map.Entry<String, ObjectId> e : branches.entrySet()) {
                    RevCommit tip;
                    try {
                        tip = walk.parseCommit(e.getValue());
                    } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException ex) {
                        continue; // a ref to a tree or blob is not a branch
                    }
                    walk.reset();
                    walk.sort(RevSort.COMMIT_TIME_DESC);
                    walk.markStart(tip);
                    for (RevCommit c : walk) {
                        Instant t = Instant.ofEpochSecond(c.getCommitTime());
                        if (!t.isBefore(until)) continue;
                        onBranches.computeIfAbsent(c, k -> new TreeSet<>()).add(e.getKey());
                        if (t.isBefore(since)) {
                            starts.add(c);
                            break; // the newest commit before the window: what was in effect when it opened
                        }
                        inside.add(c);
                    }
                }
            }
            List<Map.Entry<RevCommit, Set<String>>> ordered = new ArrayList<>(onBranches.entrySet());
            ordered.sort((x, y) -> Integer.compare(y.getKey().getCommitTime(), x.getKey().getCommitTime()));
            List<CommitResult> out = new ArrayList<>();
            Set<ObjectId> reportedBlobs = new HashSet<>();
            for (Map.Entry<RevCommit, Set<String>> e : ordered) {
                RevCommit c = e.getKey();
                out.add(readCommit(repo, reader, c, List.copyOf(e.getValue()), starts.contains(c) && !inside.contains(c), reportedBlobs));
            }
            return new History(shallow, out, inside.size());
        }
    }

    /** `git clone --depth N` (and `actions/checkout`) leaves a `shallow` file naming the commits whose parents are missing. */
    private static boolean isShallow(Repository repo) {
        File f = new File(repo.getDirectory(), "shallow");
        return f.isFile() && f.length() > 0;
    }

    /** Branch name -> tip: local branches, then remote-tracking ones under their short name (origin/main is main). */
    private static Map<String, ObjectId> branches(Repository repo) throws IOException {
        Map<String, ObjectId> out = new LinkedHashMap<>();
        List<Ref> refs = new ArrayList<>(repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS));
        refs.addAll(repo.getRefDatabase().getRefsByPrefix(Constants.R_REMOTES));
        for (Ref ref : refs) {
            if (ref.isSymbolic()) continue; // origin/HEAD names another branch
            ObjectId id = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
            if (id == null) continue;
            String name = ref.getName().startsWith(Constants.R_HEADS) ? ref.getName().substring(Constants.R_HEADS.length())
                    : ref.getName().substring(Constants.R_REMOTES.length()).replaceFirst("^[^/]+/", "");
            String key = name;
            // The same name on two remotes, or a remote branch ahead of the local one: keep both tips apart.
            for (int i = 2; out.containsKey(key) && !out.get(key).equals(id); i++) key = name + " (" + i + ")";
            out.putIfAbsent(key, id);
        }
        if (out.isEmpty()) {
            ObjectId head = repo.resolve(Constants.HEAD);
            if (head != null) out.put("HEAD", head);
        }
        return out;
    }

    private CommitResult readCommit(Repository repo, ObjectReader reader, RevCommit c, List<String> branches,
                                    boolean windowStart, Set<ObjectId> reportedBlobs) throws IOException {
        RevTree tree = c.getTree();
        FileLookup lookup = path -> readBlob(repo, reader, tree, path);
        List<JobReport> jobs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String at = "@" + c.abbreviate(7).name();
        try (TreeWalk tw = new TreeWalk(repo, reader)) {
            tw.addTree(tree);
            tw.setRecursive(true);
            while (tw.next()) {
                String path = tw.getPathString();
                if (!inspector.isConventional(path)) continue;
                ObjectId blob = tw.getObjectId(0);
                ObjectLoader loader = reader.open(blob);
                // A CI file that cannot be read is a problem once per content, not once per commit that carries it.
                if (loader.getSize() > maxFileBytes) {
                    if (reportedBlobs.add(blob)) {
                        problems.add(path + at + ": too large to be a CI file (" + loader.getSize() + " bytes; limit " + maxFileBytes + ")");
                    }
                    continue;
                }
                Optional<String> text = text(loader.getBytes());
                if (text.isEmpty()) {
                    if (reportedBlobs.add(blob)) problems.add(path + at + ": binary or not UTF-8 text, not CI configuration");
                    continue;
                }
                ConfigInspector.Outcome o = inspector.inspect(new CiFile(path, path, text.get()), lookup, forcedProvider, true);
                if (o.problem().isPresent() && reportedBlobs.add(blob)) problems.add(path + at + ": " + o.problem().get());
                jobs.addAll(o.jobs());
            }
        }
        return new CommitResult(c.name(), Instant.ofEpochSecond(c.getCommitTime()), branches, windowStart, jobs, problems);
    }

    private static Optional<String> text(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, 8192); i++) if (bytes[i] == 0) return Optional.empty();
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private Optional<String> readBlob(Repository repo, ObjectReader reader, RevTree tree, String path) {
        try (TreeWalk tw = TreeWalk.forPath(repo, reader, path, tree)) {
            if (tw == null) return Optional.empty();
            ObjectLoader loader = reader.open(tw.getObjectId(0));
            if (loader.getSize() > maxFileBytes) return Optional.empty();
            return Optional.of(new String(loader.getBytes(), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
