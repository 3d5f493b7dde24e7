package io.breachwalk.cli;

import static org.assertj.core.api.Assertions.assertThat;

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

    record Run(int exit, String out, String err, List<Map<String, String>> rows) { }

    private Run inspect(String... args) throws Exception {
        return inspect(Map.of(), args);
    }

    private Run inspect(Map<String, String> env, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path outDir = tmp.resolve("out-" + System.nanoTime());
        String[] full = new String[args.length + 3];
        full[0] = "inspect";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--out";
        full[args.length + 2] = outDir.toString();
        int exit = Main.run(full, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        Path csv = outDir.resolve("inspect.csv");
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                Files.exists(csv) ? SimpleCsv.read(csv) : List.of());
    }

    private static String key(Map<String, String> r) {
        return r.get("file") + "|" + r.get("job") + "|" + r.get("uses_indicator") + "|" + r.get("how");
    }

    @Test
    void reportsEachDistinctConfigurationWithItsFirstAndLastCommitAndBranches() throws Exception {
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

        Run r = inspect(tmp.resolve("repo").toString());

        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isEqualTo(1);
        Map<String, Map<String, String>> byKey = r.rows().stream().collect(Collectors.toMap(GitHistoryInspectTest::key, m -> m));
        assertThat(byKey.keySet()).containsExactlyInAnyOrder(".travis.yml|default|true|curl-bash",
                ".github/workflows/ci.yml|test|true|codecov-action@v1", ".travis.yml|default|false|",
                ".circleci/config.yml|build|false|python-codecov");
        // The Travis file with the uploader: in effect when the window opened (the commit before it), kept on both
        // branches until the feature branch's last in-window commit.
        Map<String, String> travis = byKey.get(".travis.yml|default|true|curl-bash");
        assertThat(travis.get("commit")).isEqualTo(before.name());
        assertThat(travis.get("first_commit")).isEqualTo(before.name());
        assertThat(travis.get("last_commit")).isEqualTo(feature.name());
        assertThat(travis.get("first_date")).isEqualTo("2021-01-10T12:00:00Z");
        assertThat(travis.get("last_date")).isEqualTo("2021-03-01T12:00:00Z");
        assertThat(travis.get("branches")).isEqualTo("feature;main");
        Map<String, String> workflow = byKey.get(".github/workflows/ci.yml|test|true|codecov-action@v1");
        assertThat(workflow.get("commit")).isEqualTo(feature.name());
        assertThat(workflow.get("branches")).isEqualTo("feature");
        assertThat(byKey.get(".travis.yml|default|false|").get("commit")).isEqualTo(removed.name());
        assertThat(byKey.get(".travis.yml|default|false|").get("last_commit")).isEqualTo(pipOnly.name());
        assertThat(r.rows()).extracting(m -> m.get("last_commit")).doesNotContain(after.name(), featureAfter.name());
        assertThat(r.out()).contains("4 commit(s) in the window (+1 in effect at its start)")
                .contains(before.name().substring(0, 7) + ".." + feature.name().substring(0, 7))
                .doesNotContain(before.name().substring(33))
                .contains("2 clean configuration(s) not listed");

        // A narrower window given on the command line replaces the playbook's; the commit before it is read too.
        Run narrow = inspect(tmp.resolve("repo").toString(), "--since", "2021-02-10", "--until", "2021-04-01");
        assertThat(narrow.rows()).filteredOn(m -> m.get("uses_indicator").equals("true"))
                .extracting(m -> m.get("file") + "|" + m.get("commit"))
                .containsExactlyInAnyOrder(".travis.yml|" + inside1.name(), ".github/workflows/ci.yml|" + feature.name());
    }

    @Test
    void aConfigurationCommittedBeforeTheWindowWithNoCommitInsideIsReportedWithAWarning() throws Exception {
        git = Git.init().setDirectory(tmp.resolve("repo").toFile()).setInitialBranch("main").call();
        RevCommit added = commit("2021-01-15T09:00:00Z", "travis with codecov", Map.of(".travis.yml", TRAVIS_WITH));
        commit("2021-06-01T09:00:00Z", "later change", Map.of(".travis.yml", TRAVIS_WITHOUT));
        git.close();

        Run r = inspect(tmp.resolve("repo").toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.rows()).singleElement().satisfies(m -> {
            assertThat(m.get("uses_indicator")).isEqualTo("true");
            assertThat(m.get("how")).isEqualTo("curl-bash");
            assertThat(m.get("commit")).isEqualTo(added.name());
            assertThat(m.get("branches")).isEqualTo("main");
        });
        assertThat(r.err().strip()).startsWith("breachwalk: inspect: " + tmp.resolve("repo") + ": warning: 0 commits in the window")
                .contains("configuration in effect at its start").doesNotContain("\n");
        assertThat(r.out()).contains("0 commit(s) in the window (+1 in effect at its start)").contains("1 using the indicator");
    }

    @Test
    void twentyCommitsOfTheSameWorkflowAreOneRow() throws Exception {
        git = Git.init().setDirectory(tmp.resolve("repo").toFile()).setInitialBranch("main").call();
        RevCommit first = null;
        RevCommit last = null;
        for (int i = 0; i < 20; i++) {
            last = commit(String.format("2021-02-%02dT10:00:00Z", i + 2), "change " + i,
                    Map.of(".github/workflows/ci.yml", WORKFLOW_V1, "src/file.txt", "v" + i));
            if (first == null) first = last;
        }
        git.close();

        Run r = inspect(tmp.resolve("repo").toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.rows()).singleElement().satisfies(m -> {
            assertThat(m.get("commit")).isEqualTo(m.get("first_commit"));
            assertThat(m.get("last_date")).isEqualTo("2021-02-21T10:00:00Z");
            assertThat(m.get("first_date")).isEqualTo("2021-02-02T10:00:00Z");
        });
        assertThat(r.rows().get(0).get("commit")).isEqualTo(first.name());
        assertThat(r.rows().get(0).get("last_commit")).isEqualTo(last.name());
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3); // header, the row, the summary
        assertThat(lines.subList(0, 2)).allMatch(l -> l.length() <= 100);
        assertThat(lines.get(1)).startsWith("yes").contains(first.name().substring(0, 7) + ".." + last.name().substring(0, 7));

        // --quiet: the summary line only; a narrow terminal (COLUMNS) still gets a table that fits it.
        Run quiet = inspect(tmp.resolve("repo").toString(), "--quiet");
        assertThat(quiet.out().lines().toList()).singleElement().satisfies(l -> assertThat(l).startsWith("inspect: "));
        Run narrow = inspect(Map.of("COLUMNS", "80"), tmp.resolve("repo").toString());
        assertThat(narrow.out().lines().toList()).allMatch(l -> l.length() <= 80 || l.startsWith("inspect: "));
    }

    @Test
    void aShallowCloneIsAProblemWithTheHintToFetchTheFullHistory() throws Exception {
        git = Git.init().setDirectory(tmp.resolve("repo").toFile()).setInitialBranch("main").call();
        commit("2021-01-15T09:00:00Z", "travis with codecov", Map.of(".travis.yml", TRAVIS_WITH));
        commit("2021-05-01T09:00:00Z", "docs", Map.of("README.md", "x"));
        git.close();
        Git.cloneRepository().setURI(tmp.resolve("repo").toUri().toString()).setDirectory(tmp.resolve("shallow").toFile())
                .setDepth(1).call().close();
        assertThat(tmp.resolve("shallow/.git/shallow")).exists();

        Run r = inspect(tmp.resolve("shallow").toString());

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("breachwalk: inspect: " + tmp.resolve("shallow")
                + " is a shallow clone: fetch the full history (git fetch --unshallow)");
        assertThat(r.out()).contains("1 problem(s)");
    }
}
