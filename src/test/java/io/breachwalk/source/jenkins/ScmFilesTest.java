package io.breachwalk.source.jenkins;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The cost of reading files at a revision from a remote: one shallow fetch per (remote, revision), not per file. */
class ScmFilesTest {

    @Test
    void severalPathsOfARevisionComeFromOneFetchAndStayCachedAfterwards(@TempDir Path dir) throws Exception {
        Path work = dir.resolve("repo");
        String c1;
        String c2;
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            StoredConfig cfg = git.getRepository().getConfig();
            cfg.setBoolean("uploadpack", null, "allowAnySHA1InWant", true);
            cfg.save();
            Files.createDirectories(work.resolve("scripts"));
            Files.writeString(work.resolve("Jenkinsfile"), "node { sh './scripts/coverage.sh' }\n");
            Files.writeString(work.resolve("scripts/coverage.sh"), "curl -s https://codecov.io/bash | bash\n");
            git.add().addFilepattern(".").call();
            c1 = git.commit().setMessage("c1").setSign(false).call().getName();
            Files.writeString(work.resolve("scripts/coverage.sh"), "./codecov\n");
            git.add().addFilepattern(".").call();
            c2 = git.commit().setMessage("c2").setSign(false).call().getName();
        }
        String url = work.toUri().toString();
        AtomicInteger requests = new AtomicInteger();
        ScmFiles scm = new ScmFiles(requests::incrementAndGet, false, ScmFiles.MAX_CACHED);
        String[] why = {null};

        try (ScmFiles.Tree t = scm.tree(url, c1)) {
            assertThat(t.read("Jenkinsfile", why)).hasValueSatisfying(s -> assertThat(s).contains("coverage.sh"));
            assertThat(t.read("scripts/coverage.sh", why)).hasValueSatisfying(s -> assertThat(s).contains("codecov.io/bash"));
            assertThat(t.read("Makefile", why)).isEmpty();
            assertThat(why[0]).contains("Makefile does not exist at " + c1.substring(0, 7));
        }
        assertThat(scm.fetches()).isEqualTo(1);
        assertThat(requests).hasValue(1);

        // Another build at the same revision asks the same paths: answered from memory, no fetch.
        try (ScmFiles.Tree t = scm.tree(url, c1)) {
            assertThat(t.read("scripts/coverage.sh", why)).isPresent();
            assertThat(t.read("Makefile", why)).isEmpty();
        }
        assertThat(scm.fetches()).isEqualTo(1);

        // Another revision is another fetch; a path not asked before, once the tree is released, is one more.
        assertThat(scm.read(url, c2, "scripts/coverage.sh", why)).hasValue("./codecov\n");
        assertThat(scm.fetches()).isEqualTo(2);
        assertThat(scm.read(url, c1, "README.md", why)).isEmpty();
        assertThat(scm.fetches()).isEqualTo(3);
        assertThat(requests).hasValue(3);

        // A commit the remote does not have: one failed fetch, remembered for every path of it.
        String missing = "0123456789012345678901234567890123456789";
        assertThat(scm.read(url, missing, "Jenkinsfile", why)).isEmpty();
        assertThat(why[0]).contains("0123456");
        try (ScmFiles.Tree t = scm.tree(url, missing)) {
            assertThat(t.result("scripts/coverage.sh").unreachable()).isTrue();
        }
        assertThat(scm.fetches()).isEqualTo(4);
    }

    @Test
    void historyOfAPathInAWindowIsOneFetch(@TempDir Path dir) throws Exception {
        Path work = dir.resolve("repo");
        String[] shas = new String[4];
        String[] when = {"2020-10-01T00:00:00Z", "2021-02-01T00:00:00Z", "2021-02-10T00:00:00Z", "2021-05-01T00:00:00Z"};
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            for (int i = 0; i < 4; i++) {
                // The third commit touches another file: not a version of the Jenkinsfile.
                Files.writeString(work.resolve(i == 2 ? "README.md" : "Jenkinsfile"), "v" + i + "\n");
                git.add().addFilepattern(".").call();
                org.eclipse.jgit.lib.PersonIdent who = new org.eclipse.jgit.lib.PersonIdent("dev", "dev@example.com",
                        java.util.Date.from(java.time.Instant.parse(when[i])), java.util.TimeZone.getTimeZone("UTC"));
                shas[i] = git.commit().setMessage("c" + i).setAuthor(who).setCommitter(who).setSign(false).call().getName();
            }
        }
        AtomicInteger requests = new AtomicInteger();
        ScmFiles scm = new ScmFiles(requests::incrementAndGet, false, ScmFiles.MAX_CACHED);
        try (ScmFiles.History h = scm.history(work.toUri().toString(), "main", "Jenkinsfile",
                java.time.Instant.parse("2021-01-31T00:00:00Z"), java.time.Instant.parse("2021-04-02T00:00:00Z"))) {
            assertThat(h.failure()).isNull();
            assertThat(h.versions()).extracting(ScmFiles.Version::sha).containsExactly(shas[0], shas[1]);
            String[] why = {null};
            assertThat(h.read(shas[0], "Jenkinsfile", why)).hasValue("v0\n");
            assertThat(h.read(shas[1], "Jenkinsfile", why)).hasValue("v1\n");
        }
        assertThat(requests).hasValue(1);
        try (ScmFiles.History h = scm.history(work.toUri().toString(), "release", "Jenkinsfile",
                java.time.Instant.parse("2021-01-31T00:00:00Z"), java.time.Instant.parse("2021-04-02T00:00:00Z"))) {
            assertThat(h.failure()).isNotNull();
        }
        assertThat(requests).hasValue(2);
    }

    @Test
    void contentsBeyondTheBudgetAreDroppedAndFetchedAgain(@TempDir Path dir) throws Exception {
        Path work = dir.resolve("repo");
        String c1;
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            StoredConfig cfg = git.getRepository().getConfig();
            cfg.setBoolean("uploadpack", null, "allowAnySHA1InWant", true);
            cfg.save();
            Files.writeString(work.resolve("Jenkinsfile"), "node { sh 'make coverage' }\n");
            git.add().addFilepattern(".").call();
            c1 = git.commit().setMessage("c1").setSign(false).call().getName();
        }
        ScmFiles scm = new ScmFiles(() -> { }, false, 8);
        String[] why = {null};
        assertThat(scm.read(work.toUri().toString(), c1, "Jenkinsfile", why)).isPresent();
        assertThat(scm.read(work.toUri().toString(), c1, "Jenkinsfile", why)).isPresent();
        assertThat(scm.fetches()).isEqualTo(2);
    }
}
