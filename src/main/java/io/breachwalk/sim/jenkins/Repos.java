package io.breachwalk.sim.jenkins;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.stream.Stream;

/**
 * Git repositories the simulated Jenkins builds from, created with JGit in a temporary directory so that a walker can
 * read a Jenkinsfile at a build's revision the real way. Commit times and authors are fixed, so the SHAs are stable.
 */
final class Repos implements AutoCloseable {
    private final Path dir;
    private final Map<String, String> urls = new HashMap<>();
    private final Map<String, Map<String, String>> shas = new HashMap<>();

    Repos(List<JenkinsEstate.Repo> repos) throws IOException {
        this.dir = repos == null || repos.isEmpty() ? null : Files.createTempDirectory("bw-jenkins-sim-repos");
        if (repos == null) return;
        for (JenkinsEstate.Repo r : repos) create(r);
    }

    private void create(JenkinsEstate.Repo r) throws IOException {
        Path work = dir.resolve(r.name());
        String branch = r.branch() == null ? "main" : r.branch();
        Map<String, String> ids = new HashMap<>();
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch(branch).call()) {
            // A commit without a time is made one day after the previous one (the first on 2020-06-01).
            long next = Instant.parse("2020-06-01T00:00:00Z").toEpochMilli();
            for (JenkinsEstate.Commit c : r.commits() == null ? List.<JenkinsEstate.Commit>of() : r.commits()) {
                if (c.files() != null) {
                    for (Map.Entry<String, String> f : c.files().entrySet()) {
                        Path p = work.resolve(f.getKey());
                        if (f.getValue() == null || f.getValue().isEmpty()) {
                            git.rm().addFilepattern(f.getKey()).call();
                            continue;
                        }
                        Files.createDirectories(p.getParent());
                        Files.writeString(p, f.getValue());
                    }
                }
                git.add().addFilepattern(".").call();
                long when = c.time() != null ? c.time().toEpochMilli() : next;
                next = when + 86_400_000L;
                PersonIdent who = new PersonIdent("Sim Dev", "dev@example.com", new java.util.Date(when),
                        TimeZone.getTimeZone("UTC"));
                RevCommit rc = git.commit().setMessage(c.message() == null ? "commit " + c.id() : c.message())
                        .setAuthor(who).setCommitter(who).setAllowEmpty(true).setSign(false).call();
                ids.put(c.id(), rc.getName());
            }
            if (r.refs() != null) {
                for (Map.Entry<String, String> ref : r.refs().entrySet()) {
                    org.eclipse.jgit.lib.RefUpdate u = git.getRepository().updateRef(ref.getKey());
                    u.setNewObjectId(org.eclipse.jgit.lib.ObjectId.fromString(ids.get(ref.getValue())));
                    u.setForceUpdate(true);
                    u.update();
                }
            }
        } catch (org.eclipse.jgit.api.errors.GitAPIException e) {
            throw new IOException("cannot create sim repo " + r.name() + ": " + e.getMessage(), e);
        }
        urls.put(r.name(), "file://" + work.toAbsolutePath());
        shas.put(r.name(), ids);
    }

    String url(String repo) {
        String u = urls.get(repo);
        if (u == null) throw new IllegalArgumentException("no repo named " + repo + " in the estate");
        return u;
    }

    /** A commit label of the repo to its SHA; anything else (a literal SHA) unchanged. */
    String sha(String repo, String revision) {
        if (revision == null) return null;
        Map<String, String> ids = repo == null ? null : shas.get(repo);
        return ids != null && ids.containsKey(revision) ? ids.get(revision) : revision;
    }

    @Override
    public void close() throws IOException {
        if (dir == null) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
