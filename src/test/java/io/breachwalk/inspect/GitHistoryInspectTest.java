package io.breachwalk.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import io.breachwalk.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository built with JGit: commits before, inside and after the window on two branches, Codecov added and
 * removed. inspect must report exactly the in-window commits whose configuration ran the uploader.
 */
class GitHistoryInspectTest {
    @TempDir
    Path tmp;

    static final String TRAVIS_WITH = "language: go\nscript: make test\nafter_success:\n  - bash <(curl -s https://codecov.io/bash)\n";
    static final String TRAVIS_WITHOUT = "language: go\nscript: make test\n# after_success:\n#   - bash <(curl -s https://codecov.io/bash)\n";
    static final String WORKFLOW_V1 = """
            on: push
            jobs:
              test:
                runs-on: ubuntu-latest
                steps:
                  - uses: codecov/codecov-action@v1
                    with:
                      token: ${{ secrets.CODECOV_TOKEN }}
            """;
    static final String CIRCLE_PIP = """
            version: 2.1
            jobs:
              build:
                docker: [{image: 'cimg/python:3.8'}]
                steps:
                  - run: pip install codecov && codecov
            """;

    private Git git;

    private RevCommit commit(String when, String msg, Map<String, String> files) throws Exception {
        for (var e : files.entrySet()) {
            Path p = tmp.resolve("repo").resolve(e.getKey());
            Files.createDirectories(p.getParent());
            if (e.getValue() == null) {
                Files.delete(p);
                git.rm().addFilepattern(e.getKey()).call();
            } else {
                Files.writeString(p, e.getValue());
                git.add().addFilepattern(e.getKey()).call();
            }
        }
        PersonIdent who = new PersonIdent("Dev", "dev@example.com", Date.from(Instant.parse(when)), TimeZone.getTimeZone("UTC"));
        return git.commit().setMessage(msg).setAuthor(who).setCommitter(who).setSign(false).call();
    }

    @Test
    void reportsExactlyTheInWindowCommitsThatRanTheUploaderOnEveryBranch() throws Exception {
        git = Git.init().setDirectory(tmp.resolve("repo").toFile()).setInitialBranch("main").call();
        RevCommit before = commit("2021-01-10T12:00:00Z", "add travis with codecov", Map.of(".travis.yml", TRAVIS_WITH, "README.md", "x"));
        RevCommit inside1 = commit("2021-02-05T12:00:00Z", "docs", Map.of("README.md", "y"));
        git.branchCreate().setName("feature").call();
        RevCommit removed = commit("2021-02-20T12:00:00Z", "drop codecov", Map.of(".travis.yml", TRAVIS_WITHOUT));
        RevCommit pipOnly = commit("2021-03-10T12:00:00Z", "python codecov on circle", Map.of(".circleci/config.yml", CIRCLE_PIP));
        RevCommit after = commit("2021-04-10T12:00:00Z", "codecov back", Map.of(".travis.yml", TRAVIS_WITH));
        git.checkout().setName("feature").call();
        RevCommit feature = commit("2021-03-01T12:00:00Z", "workflow with codecov-action v1", Map.of(".github/workflows/ci.yml", WORKFLOW_V1));
        RevCommit featureAfter = commit("2021-05-01T12:00:00Z", "later", Map.of("README.md", "z"));
        git.close();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[] {"inspect", tmp.resolve("repo").toString(), "--out", tmp.resolve("out").toString()},
                Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(exit).isEqualTo(1);
        List<Map<String, String>> rows = SimpleCsv.read(tmp.resolve("out/inspect.csv"));
        assertThat(rows).allMatch(r -> r.get("uses_indicator").equals("true"));
        assertThat(rows.stream().map(r -> r.get("commit")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(inside1.name(), feature.name())
                .doesNotContain(before.name(), removed.name(), pipOnly.name(), after.name(), featureAfter.name());
        assertThat(rows).extracting(r -> r.get("commit").equals(feature.name()) ? "feature|" + r.get("file") + "|" + r.get("how")
                        : "main|" + r.get("file") + "|" + r.get("how"))
                .containsExactlyInAnyOrder("main|.travis.yml|curl-bash", "feature|.github/workflows/ci.yml|codecov-action@v1",
                        "feature|.travis.yml|curl-bash");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("4 commit(s) in the window");

        // A narrower window given on the command line replaces the playbook's.
        Main.run(new String[] {"inspect", tmp.resolve("repo").toString(), "--since", "2021-02-10", "--until", "2021-04-01",
                "--out", tmp.resolve("out2").toString()}, Map.of(), new PrintStream(out), new PrintStream(err));
        assertThat(SimpleCsv.read(tmp.resolve("out2/inspect.csv"))).extracting(r -> r.get("commit")).containsOnly(feature.name());
    }
}
