package io.breachwalk.source.github;

import io.breachwalk.sim.github.GitHubSimulator;
import io.breachwalk.source.github.GitHubScanSupport.Scan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.breachwalk.source.github.GitHubScanSupport.is;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Issue 6, hostile input served by the GitHub simulator: a YAML alias bomb and deep nesting in workflow files
 * (UNPARSABLE_CONFIG, the walk goes on) and a job log over the read cap (cut, reported as LOG_TRUNCATED).
 */
class HostileWorkflowTest {
    @TempDir
    Path tmp;

    @AfterEach
    void restoreCap() {
        GitHubRest.maxLogBytes = GitHubRest.MAX_LOG_BYTES;
    }

    @Test
    void aliasBombDeepNestingAndAnOversizedLogAreBoundedAndReported() throws Exception {
        StringBuilder bomb = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            bomb.append("a").append(i).append(": &a").append(i).append(" [");
            for (int k = 0; k < 9; k++) bomb.append(k == 0 ? "" : ", ").append("*a").append(i - 1);
            bomb.append("]\n");
        }
        bomb.append("jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: codecov/codecov-action@v1\n");
        String deep = "jobs:\n  test: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
        // A log whose uploader banner comes after the cut: the cut is reported, the step record still judges.
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 4000; i++) log.append("2021-02-05T12:00:05.0000000Z filler line ").append(i).append('\n');
        log.append("2021-02-05T12:00:06.0000000Z ==> GitHub Actions detected.\n");
        GitHubRest.maxLogBytes = 64 * 1024;

        String estate = """
                web_url: https://github.example
                tokens:
                  - {name: admin, value: sim-admin-token-hostile, login: sec-team}
                orgs:
                  - login: hostile
                    repos:
                %s%s%s""".formatted(repo("bomb", bomb.toString(), null), repo("deep", deep, null),
                repo("biglog", "jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: codecov/codecov-action@v1\n",
                        log.toString()));
        Path file = tmp.resolve("estate.yaml");
        Files.writeString(file, estate);
        try (GitHubSimulator sim = GitHubSimulator.start(file)) {
            Scan scan = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> GitHubScanSupport.scan(sim,
                    sim.token("admin"), tmp.resolve("out"), "--github-org", "hostile"));
            assertThat(scan.exit()).as(scan.err()).isEqualTo(3);
            Map<String, String> bombGap = scan.one("coverage", is("project", "hostile/bomb", "gap", "UNPARSABLE_CONFIG"));
            assertThat(bombGap.get("blocking")).isEqualTo("true");
            Map<String, String> deepGap = scan.one("coverage", is("project", "hostile/deep", "gap", "UNPARSABLE_CONFIG"));
            assertThat(deepGap.get("blocking")).isEqualTo("true");
            // The walk went on to the next repository and judged it.
            Map<String, String> job = scan.one("jobs", is("project", "hostile/biglog"));
            assertThat(job.get("verdict")).isEqualTo("RAN");
            assertThat(job.get("evidence")).doesNotContain("GitHub Actions detected");
            Map<String, String> cut = scan.one("coverage", is("project", "hostile/biglog", "gap", "LOG_TRUNCATED"));
            assertThat(cut.get("detail")).contains("read up to there only");
            assertThat(cut.get("blocking")).isEqualTo("false");
        }
    }

    private static String repo(String name, String workflow, String log) {
        String indentWf = workflow.indent(16);
        String logPart = log == null ? "" : " ".repeat(16) + "log: |\n" + log.indent(18);
        return """
                      - name: %s
                        commits:
                          - id: c1
                            date: 2021-01-10T00:00:00Z
                            files:
                              .github/workflows/ci.yml: |
                %s
                        runs:
                          - id: 7
                            workflow: .github/workflows/ci.yml
                            commit: c1
                            created_at: 2021-02-05T12:00:00Z
                            jobs:
                              - name: test
                                steps: [Run codecov/codecov-action@v1]
                %s""".formatted(name, indentWf.stripTrailing(), logPart);
    }
}
