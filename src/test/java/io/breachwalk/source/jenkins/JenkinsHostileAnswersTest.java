package io.breachwalk.source.jenkins;

import io.breachwalk.cli.Main;
import io.breachwalk.sim.jenkins.JenkinsSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6, hostile input on the Jenkins side: a config.xml with a DOCTYPE and an external entity is refused (never
 * resolved) and reported as UNPARSABLE_CONFIG; a console log of invalid UTF-8 and megabytes of one line is streamed
 * within bounds and still judged.
 */
class JenkinsHostileAnswersTest {

    @Test
    void doctypeInConfigXmlAndInvalidUtf8LogAreBoundedAndReported(@TempDir Path dir) throws Exception {
        String yaml = """
                users: [{name: auditor, token: 11hostiletoken000000000000000000cc}]
                jobs:
                  - name: xxe
                    type: freestyle
                    config: |
                      <?xml version="1.0"?>
                      <!DOCTYPE project [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                      <project><builders><hudson.tasks.Shell><command>curl -s https://codecov.io/bash | bash &x;</command></hudson.tasks.Shell></builders></project>
                    builds:
                      - {number: 1, timestamp: 2021-03-01T10:00:00Z, logGone: true}
                  - name: big-log
                    type: freestyle
                    shell: "curl -s https://codecov.io/bash | bash"
                    builds:
                      - number: 2
                        timestamp: 2021-03-02T10:00:00Z
                        logPadLines: 200000
                        log: "\\xFF\\xFE bad bytes\\n+ curl -s https://codecov.io/bash\\nBash-20210218-3ff6f7b"
                """;
        try (JenkinsSimulator sim = JenkinsSimulator.startYaml(yaml)) {
            Path out = dir.resolve("out");
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            int exit = Main.run(new String[]{"scan", "--jenkins-url", sim.baseUrl(), "--out", out.toString(), "--quiet"},
                    Map.of("JENKINS_USER", "auditor", "JENKINS_TOKEN", "11hostiletoken000000000000000000cc"),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(e, true, StandardCharsets.UTF_8));
            assertThat(exit).as(e.toString(StandardCharsets.UTF_8)).isIn(1, 3);
            String coverage = Files.readString(out.resolve("coverage.csv"));
            assertThat(coverage).contains("jenkins,127.0.0.1,xxe,,UNPARSABLE_CONFIG,");
            assertThat(coverage).doesNotContain("root:x:0");
            String jobs = Files.readString(out.resolve("jobs.csv"));
            assertThat(jobs).contains(",big-log,2,1,2,").contains("RAN,confirmed");
        }
    }
}
