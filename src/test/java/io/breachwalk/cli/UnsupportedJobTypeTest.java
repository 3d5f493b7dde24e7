package io.breachwalk.cli;

import io.breachwalk.sim.jenkins.JenkinsSimulator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Jenkins job of a type breachwalk does not read is never silence: coverage.csv names it as a blocking
 * UNSUPPORTED_JOB gap and the scan exits 3 (incomplete), even when every job it could read is clean.
 */
class UnsupportedJobTypeTest {

    @Test
    void aJobTypeThatIsNotReadLeavesTheScanIncomplete(@TempDir Path dir) throws Exception {
        try (JenkinsSimulator sim = JenkinsSimulator.startYaml("""
                jobs:
                  - name: docs
                    type: freestyle
                    shell: make docs
                    builds:
                      - {number: 1, timestamp: 2021-02-02T00:00:00Z}
                  - name: exotic
                    type: other
                    class: com.example.ExoticProject
                """)) {
            Path out = dir.resolve("out");
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            int exit = Main.run(new String[]{"scan", "--jenkins-url", sim.baseUrl(), "--out", out.toString(), "--quiet"},
                    Map.of(), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                    new PrintStream(stderr, true, StandardCharsets.UTF_8));
            String said = stdout.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8);

            assertThat(exit).as(said).isEqualTo(3);
            assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("INCOMPLETE");
            List<CSVRecord> gaps = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new StringReader(Files.readString(out.resolve("coverage.csv")))).getRecords();
            assertThat(gaps).filteredOn(g -> g.get("gap").equals("UNSUPPORTED_JOB")).singleElement().satisfies(g -> {
                assertThat(g.get("provider")).isEqualTo("jenkins");
                assertThat(g.get("project")).isEqualTo("exotic");
                assertThat(g.get("blocking")).isEqualTo("true");
                assertThat(g.get("detail")).contains("ExoticProject");
            });
            // Nothing the scan could read asks for action: the 3 comes from the unread job alone.
            assertThat(Files.readString(out.resolve("rotation.csv")).lines()).hasSize(1);
        }
    }
}
