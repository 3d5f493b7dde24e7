package io.breachwalk.source.git;

import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.config.CiFile;
import io.breachwalk.detect.config.ConfigInspector;
import io.breachwalk.detect.config.JobReport;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * Walks a local clone: every commit on every branch (local and remote-tracking) whose commit time is in the window,
 * and reads the CI configurations in effect at that commit, with scripts and templates looked up in the same tree.
 */
public final class GitConfigHistory {
    /** What one commit's configurations say. */
    public record CommitResult(String commit, Instant time, List<JobReport> jobs, List<String> problems) { }

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

    public List<CommitResult> walk(File dir, Instant since, Instant until) throws IOException {
        FileRepositoryBuilder b = new FileRepositoryBuilder().setMustExist(true);
        if (new File(dir, ".git").exists()) b.setWorkTree(dir).readEnvironment(); else b.setGitDir(dir);
        List<CommitResult> out = new ArrayList<>();
        try (Repository repo = b.build(); RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader()) {
            List<Ref> refs = new ArrayList<>(repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS));
            refs.addAll(repo.getRefDatabase().getRefsByPrefix(Constants.R_REMOTES));
            if (refs.isEmpty() && repo.resolve(Constants.HEAD) != null) refs.add(repo.exactRef(Constants.HEAD));
            for (Ref ref : refs) {
                ObjectId id = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
                if (id == null) continue;
                try {
                    walk.markStart(walk.parseCommit(id));
                } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
                    // a ref to a tree or blob is not a branch
                }
            }
            walk.sort(RevSort.COMMIT_TIME_DESC);
            for (RevCommit c : walk) {
                Instant t = Instant.ofEpochSecond(c.getCommitTime());
                if (t.isBefore(since) || !t.isBefore(until)) continue;
                out.add(readCommit(repo, reader, c, t));
            }
        }
        return out;
    }

    private CommitResult readCommit(Repository repo, ObjectReader reader, RevCommit c, Instant t) throws IOException {
        RevTree tree = c.getTree();
        FileLookup lookup = path -> readBlob(repo, reader, tree, path);
        List<JobReport> jobs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (TreeWalk tw = new TreeWalk(repo, reader)) {
            tw.addTree(tree);
            tw.setRecursive(true);
            while (tw.next()) {
                String path = tw.getPathString();
                if (!inspector.isConventional(path)) continue;
                ObjectLoader loader = reader.open(tw.getObjectId(0));
                if (loader.getSize() > maxFileBytes) {
                    problems.add(path + "@" + c.abbreviate(7).name() + ": too large to be a CI file (" + loader.getSize() + " bytes)");
                    continue;
                }
                String text = new String(loader.getBytes(), StandardCharsets.UTF_8);
                ConfigInspector.Outcome o = inspector.inspect(new CiFile(path, path, text), lookup, forcedProvider, true);
                o.problem().ifPresent(p -> problems.add(path + "@" + c.abbreviate(7).name() + ": " + p));
                jobs.addAll(o.jobs());
            }
        }
        return new CommitResult(c.name(), t, jobs, problems);
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
