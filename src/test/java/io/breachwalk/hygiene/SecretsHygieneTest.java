package io.breachwalk.hygiene;

import io.breachwalk.cli.Main;
import io.breachwalk.sim.github.GitHubSimulator;
import io.breachwalk.sim.jenkins.JenkinsSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6, secrets hygiene: both sample estates scanned with known fake tokens, plus a Jenkins job whose name tries
 * to climb out of the output folder and to inject into CSV, HTML and the terminal, and whose log prints both tokens
 * next to the uploader line. Then every file under --out (the journal and evidence included) and the captured stdout
 * and stderr are searched for the tokens (and their Basic-auth form): nothing. Output folders and files are
 * owner-only, nothing is written outside --out, and no control character or ANSI escape reaches a report or the
 * terminal.
 */
class SecretsHygieneTest {

    static final String GITHUB_TOKEN = "ghp_hygieneFakeToken0123456789abcdefABCD";
    static final String JENKINS_TOKEN = "11hygienefaketoken99999999999999bb";

    @Test
    void noTokenAnywhereAndNoEscapeFromTheOutputFolder(@TempDir Path dir) throws Exception {
        Path ghEstate = dir.resolve("github.yaml");
        Files.writeString(ghEstate, Files.readString(Path.of("samples/github/estate.yaml"))
                .replace("bw-demo-token-not-a-secret", GITHUB_TOKEN));
        String hostile = """
                  - name: "../../../escape\\e[2J\\e]0;pwned\\a=HYPERLINK(\\"x\\")\\r\\u202Eevil"
                    type: freestyle
                    description: "a name from a hostile Jenkins"
                    shell: |
                      curl -s https://codecov.io/bash | bash
                    bindings:
                      - {type: string, credentialsId: "=cmd|' /C calc'!A0", variable: "X\\e[31m"}
                    builds:
                      - number: 3
                        timestamp: 2021-03-01T10:00:00Z
                        log: |
                          + curl -s https://codecov.io/bash -H "Authorization: token %s" -u auditor:%s
                          Bash-20210218-3ff6f7b \\e[31m%s\\e[0m
                          ==> Jenkins CI detected.
                """.formatted(GITHUB_TOKEN, JENKINS_TOKEN, JENKINS_TOKEN);
        String jenkinsYaml = Files.readString(Path.of("samples/jenkins/estate.yaml"))
                .replace(JenkinsSimulator.SAMPLE_TOKEN, JENKINS_TOKEN) + hostile;
        Path out = dir.resolve("work").resolve("out");
        Files.createDirectories(out.getParent());
        try (GitHubSimulator gh = GitHubSimulator.start(ghEstate);
             JenkinsSimulator jenkins = JenkinsSimulator.startYaml(jenkinsYaml)) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            int exit = Main.run(new String[]{"scan", "--github-url", gh.baseUrl(), "--github-org", "acme",
                            "--jenkins-url", jenkins.baseUrl(), "--out", out.toString()},
                    Map.of("GITHUB_TOKEN", GITHUB_TOKEN, "JENKINS_USER", "auditor", "JENKINS_TOKEN", JENKINS_TOKEN,
                            "BREACHWALK_DEBUG", "1"),
                    new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
            String stdout = o.toString(StandardCharsets.UTF_8);
            String stderr = e.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(stderr).isIn(1, 3);

            List<String> forbidden = List.of(GITHUB_TOKEN, JENKINS_TOKEN,
                    java.util.Base64.getEncoder().encodeToString(("auditor:" + JENKINS_TOKEN).getBytes(StandardCharsets.UTF_8)));
            for (String secret : forbidden) {
                assertThat(stdout).doesNotContain(secret);
                assertThat(stderr).doesNotContain(secret);
            }
            assertThat(stdout + stderr).doesNotContain("\u001b]").doesNotContain("\u001b[2J");

            // Nothing outside --out: its parent holds only the output folder.
            try (Stream<Path> siblings = Files.list(out.getParent())) {
                assertThat(siblings.map(p -> p.getFileName().toString()).toList()).containsExactly("out");
            }
            assertThat(dir.resolve("escape")).doesNotExist();

            List<Path> all;
            try (Stream<Path> walk = Files.walk(out)) {
                all = walk.toList();
            }
            assertThat(all).anyMatch(p -> p.getFileName().toString().equals("jobs.csv"));
            for (Path p : all) {
                String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                if (Files.isDirectory(p)) {
                    assertThat(perms).as(p.toString()).isEqualTo("rwx------");
                    continue;
                }
                assertThat(perms).as(p.toString()).isEqualTo("rw-------");
                String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
                for (String secret : forbidden) assertThat(text).as(p.toString()).doesNotContain(secret);
                String name = p.getFileName().toString();
                if (name.endsWith(".csv") || name.endsWith(".html")) {
                    assertThat(text).as(p + " has no ESC/BEL/CR-in-cell").doesNotContain("\u001b").doesNotContain("\u0007")
                            .doesNotContain("\u202E");
                }
            }
            // The hostile job is reported (it ran the uploader), its name made inert.
            String jobs = Files.readString(out.resolve("jobs.csv"));
            assertThat(jobs).contains("../../../escape");
            // Its config.xml carries an ESC (illegal in XML 1.0): the bindings cannot be read, which is a reported gap.
            assertThat(Files.readString(out.resolve("coverage.csv"))).contains("../../../escape");
            assertThat(Files.readString(out.resolve("report.html"))).doesNotContain("<script>alert");
        }
    }
}
