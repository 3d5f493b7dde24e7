package io.breachwalk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `breachwalk inspect` in-process: bad inputs give one clear line each and never stop the other paths. */
class InspectCliTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err, List<Map<String, String>> rows) { }

    private int calls;

    /** Each call writes to a folder of its own: a finished inspect.csv is not replaced without --force. */
    Run inspect(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path outDir = tmp.resolve(calls++ == 0 ? "out" : "out" + calls);
        String[] full = new String[args.length + 3];
        full[0] = "inspect";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--out";
        full[args.length + 2] = outDir.toString();
        int exit = Main.run(full, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Path csv = outDir.resolve("inspect.csv");
        List<Map<String, String>> rows = Files.exists(csv) ? SimpleCsv.read(csv) : List.of();
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), rows);
    }

    Path write(String rel, String text) throws Exception {
        Path p = tmp.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    static final String TRAVIS = """
            language: go
            script: make test
            after_success:
              - bash <(curl -s https://codecov.io/bash)
            """;

    @Test
    void badPathsGiveOneLineEachAndTheGoodFileIsStillInspected() throws Exception {
        Path good = write("good/.travis.yml", TRAVIS);
        Path malformed = write("malformed/.circleci/config.yml", "version: 2.1\njobs: [unclosed\n  build: {\n");
        Path binary = tmp.resolve("binary.yml");
        Files.write(binary, new byte[] {0x7f, 'E', 'L', 'F', 0, 0, 1, 2, 0, 3});
        Path big = tmp.resolve("big/.gitlab-ci.yml");
        Files.createDirectories(big.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(big)) {
            String line = "# padding padding padding padding padding padding padding padding padding padding\n";
            for (long n = 0; n < 50L * 1024 * 1024; n += line.length()) w.write(line);
        }
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            String prev = "*" + (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [").append(String.join(",", java.util.Collections.nCopies(9, prev))).append("]\n");
        }
        bomb.append("job:\n  script:\n    - echo hi\n");
        Path aliasBomb = write("bomb/.gitlab-ci.yml", bomb.toString());
        Path missing = tmp.resolve("does/not/exist.yml");

        Run r = inspect(malformed.toString(), binary.toString(), big.toString(), aliasBomb.toString(), missing.toString(), good.toString());

        assertThat(r.exit()).isEqualTo(3);
        List<String> errLines = Arrays.stream(r.err().split("\n")).filter(l -> !l.isBlank()).toList();
        assertThat(errLines).hasSize(5);
        assertThat(errLines).allMatch(l -> l.startsWith("breachwalk: inspect: ") && !l.contains("Exception") && l.length() < 300);
        assertThat(r.err()).contains(malformed + ": malformed YAML at line")
                .contains(binary + ": binary file")
                .contains(big + ": too large")
                .contains(aliasBomb + ": rejected YAML")
                .contains(missing + ": no such file or directory");
        assertThat(r.rows()).hasSize(1);
        Map<String, String> row = r.rows().get(0);
        assertThat(row.get("file")).isEqualTo(good.toString());
        assertThat(row.get("provider")).isEqualTo("travis-ci");
        assertThat(row.get("uses_indicator")).isEqualTo("true");
        assertThat(row.get("how")).isEqualTo("curl-bash");
        assertThat(row.get("secrets_in_step")).isEqualTo("project-level: all");
        assertThat(row.get("evidence")).contains(".travis.yml:4 bash <(curl -s https://codecov.io/bash)");
    }

    @Test
    void folderIsReadByConventionalPathAndByContentAndTheCsvIsOwnerOnlyAndSorted() throws Exception {
        write("repo/.github/workflows/ci.yml", """
                on: push
                jobs:
                  test:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: actions/checkout@v2
                      - uses: codecov/codecov-action@v1
                        with:
                          token: ${{ secrets.CODECOV_TOKEN }}
                      - run: ./deploy.sh
                        env:
                          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}
                  lint:
                    runs-on: ubuntu-latest
                    steps:
                      - run: "=cmd|' /C calc'!A0"
                """);
        write("repo/exports/old-travis-config.yml", TRAVIS);
        write("repo/docs/mkdocs.yml", "site_name: docs\nnav:\n  - index.md\n");
        Run r = inspect(tmp.resolve("repo").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEmpty();
        assertThat(r.rows()).extracting(m -> m.get("file").replace(tmp.resolve("repo").toString(), "") + "|" + m.get("job")
                        + "|" + m.get("uses_indicator") + "|" + m.get("secrets_in_step") + "|" + m.get("secrets_in_job"))
                .containsExactly(
                        "/.github/workflows/ci.yml|lint|false||",
                        "/.github/workflows/ci.yml|test|true|CODECOV_TOKEN|NPM_TOKEN",
                        "/exports/old-travis-config.yml|default|true|project-level: all|");
        assertThat(Files.getPosixFilePermissions(tmp.resolve("out/inspect.csv")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(tmp.resolve("out/inspect.csv")))
                .startsWith("file,commit,provider,job,uses_indicator,how,confidence,secrets_in_step,secrets_in_job,evidence,"
                        + "first_commit,last_commit,first_date,last_date,branches\n");
        assertThat(r.out()).contains("FILE").contains("codecov-action@v1");
    }

    @Test
    void providerCanBeForcedAndUnknownProviderIsAUsageError() throws Exception {
        Path f = write("x/pipeline.txt", "steps:\n  - label: test\n    command: curl -s https://codecov.io/bash | bash\n");
        Run r = inspect("--provider", "buildkite", f.toString());
        assertThat(r.rows()).singleElement().satisfies(m -> {
            assertThat(m.get("provider")).isEqualTo("buildkite");
            assertThat(m.get("job")).isEqualTo("test");
            assertThat(m.get("uses_indicator")).isEqualTo("true");
        });
        Run bad = inspect("--provider", "nonsense", f.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("breachwalk: inspect: unknown --provider `nonsense`; use one of: github-actions, "
                + "jenkins, gitlab-ci, bitrise, bitbucket-pipelines, circleci, azure-pipelines, appveyor, travis-ci, buildkite, shell");
    }

    @Test
    void aFolderNamesEverySkippedFileAndAnUnreadableWorkflowIsAProblem() throws Exception {
        Path big = tmp.resolve("repo/.github/workflows/huge.yml");
        Files.createDirectories(big.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(big)) {
            String line = "# padding padding padding padding padding padding padding padding padding padding\n";
            for (long n = 0; n < 6L * 1024 * 1024; n += line.length()) w.write(line);
        }
        Files.write(tmp.resolve("repo/.github/workflows/broken.yml"), new byte[] {0x7f, 'E', 'L', 'F', 0, 0, 1, 2});
        write("repo/scripts/x.sh", "#!/bin/sh\nmake test\n");
        write("repo/docs/mkdocs.yml", "site_name: docs\nnav:\n  - index.md\n");
        write("repo/src/Main.java", "class Main {}\n");

        Run r = inspect(tmp.resolve("repo").toString());

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err().lines().toList()).containsExactlyInAnyOrder(
                "breachwalk: inspect: " + tmp.resolve("repo/.github/workflows/broken.yml") + ": binary file, not CI configuration",
                "breachwalk: inspect: " + big + ": too large to be a CI file (" + Files.size(big) + " bytes; limit 5242880)");
        String repo = tmp.resolve("repo").toString();
        assertThat(r.out()).contains("skipped 4 file(s): ")
                .contains(repo + "/.github/workflows/broken.yml (binary file, not CI configuration)")
                .contains(repo + "/.github/workflows/huge.yml (too large to be a CI file")
                .contains(repo + "/docs/mkdocs.yml (not CI configuration of a known provider)")
                .contains(repo + "/scripts/x.sh (shell script, inspected only when a configuration calls it)")
                .doesNotContain("Main.java")
                .contains("0 file(s), 0 configuration(s)").contains("4 skipped, 2 problem(s)");
    }

    @Test
    void aWorkflowCallingAScriptThatIsNotThereIsUnknownNeverNo() throws Exception {
        Path wf = write("repo/.github/workflows/main.yml", """
                on: push
                jobs:
                  build:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: actions/checkout@v2
                      - run: bash scripts/upload-coverage.sh
                        env:
                          CODECOV_TOKEN: ${{ secrets.CODECOV_TOKEN }}
                  lint:
                    runs-on: ubuntu-latest
                    steps:
                      - run: ./gradlew check
                """);
        Run r = inspect(wf.toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.rows()).extracting(m -> m.get("job") + "|" + m.get("uses_indicator") + "|" + m.get("how") + "|" + m.get("secrets_in_step"))
                .containsExactly("build|unknown|script:scripts/upload-coverage.sh|CODECOV_TOKEN", "lint|false||");
        assertThat(r.rows().get(0).get("evidence")).isEqualTo(wf + ":7 calls scripts/upload-coverage.sh, not found here: cannot tell");
        assertThat(r.out()).contains("unknown").contains("1 unknown");

        // With the script in the tree it is followed, and the verdict is a hit.
        write("repo/scripts/upload-coverage.sh", "#!/bin/bash\ncurl -s https://codecov.io/bash | bash\n");
        Run followed = inspect(wf.toString());
        assertThat(followed.exit()).isEqualTo(1);
        assertThat(followed.rows().get(0).get("uses_indicator")).isEqualTo("true");
        assertThat(followed.rows().get(0).get("how")).isEqualTo("script:scripts/upload-coverage.sh");
    }

    @Test
    void aShellScriptCanBeInspectedDirectly() throws Exception {
        Path sh = write("x/upload-coverage.sh", "#!/bin/bash\nset -e\nbash <(curl -s https://codecov.io/bash) -t \"$CODECOV_TOKEN\"\n");
        Run r = inspect(sh.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEmpty();
        assertThat(r.rows()).singleElement().satisfies(m -> {
            assertThat(m.get("provider")).isEqualTo("shell");
            assertThat(m.get("job")).isEqualTo("script");
            assertThat(m.get("uses_indicator")).isEqualTo("true");
            assertThat(m.get("how")).isEqualTo("curl-bash");
            assertThat(m.get("secrets_in_step")).isEqualTo("CODECOV_TOKEN");
            assertThat(m.get("evidence")).startsWith(sh + ":3 ");
        });
        // Any name, when forced.
        Path other = write("x/after-success", "echo done\n");
        Run forced = inspect("--provider", "shell", other.toString());
        assertThat(forced.exit()).isZero();
        assertThat(forced.rows()).singleElement().satisfies(m -> assertThat(m.get("uses_indicator")).isEqualTo("false"));
    }
}
