package io.breachwalk.source.jenkins;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Reads a file (the Jenkinsfile) at a build's revision from the job's git remote, as the build saw it: config.xml
 * only has today's definition. A local repository (file: URL) is opened in place; a remote one is fetched at that one
 * commit, shallow, into a temporary repository that is deleted afterwards. Results are cached per (url, sha, path).
 */
final class ScmFiles {

    private final Map<String, Optional<String>> cache = new ConcurrentHashMap<>();

    /** The file's text, or empty when the remote, the commit or the file cannot be reached (the reason in why[0]). */
    Optional<String> read(String url, String sha, String path, String[] why) {
        String key = url + "\n" + sha + "\n" + path;
        return cache.computeIfAbsent(key, k -> load(url, sha, path, why));
    }

    private Optional<String> load(String url, String sha, String path, String[] why) {
        try {
            if (url.startsWith("file:") || url.startsWith("/")) {
                File dir = url.startsWith("file:") ? new File(URI.create(url.replace("file:///", "file:/")).getPath()) : new File(url);
                File gitDir = new File(dir, ".git").isDirectory() ? new File(dir, ".git") : dir;
                try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build()) {
                    return fileAt(repo, sha, path, why);
                }
            }
            Path tmp = Files.createTempDirectory("bw-jenkinsfile");
            try (Git git = Git.init().setBare(true).setDirectory(tmp.toFile()).call()) {
                // One commit, no history: enough to read the Jenkinsfile the build ran.
                git.fetch().setRemote(url).setRefSpecs(new RefSpec(sha + ":refs/bw/build")).setDepth(1)
                        .setTimeout(30).call();
                return fileAt(git.getRepository(), sha, path, why);
            } finally {
                try (Stream<Path> s = Files.walk(tmp)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
                }
            }
        } catch (Exception e) {
            why[0] = "cannot read " + path + " at " + abbrev(sha) + " from the job's git remote: "
                    + e.getClass().getSimpleName();
            return Optional.empty();
        }
    }

    private static Optional<String> fileAt(Repository repo, String sha, String path, String[] why) throws IOException {
        ObjectId id = repo.resolve(sha);
        if (id == null) {
            why[0] = "commit " + abbrev(sha) + " is not in the job's git remote";
            return Optional.empty();
        }
        try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader()) {
            RevCommit commit = walk.parseCommit(id);
            try (TreeWalk tw = TreeWalk.forPath(reader, path, commit.getTree())) {
                if (tw == null) {
                    why[0] = path + " does not exist at " + abbrev(sha);
                    return Optional.empty();
                }
                return Optional.of(new String(reader.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    static String abbrev(String sha) { return sha == null ? "?" : sha.length() > 7 ? sha.substring(0, 7) : sha; }
}
