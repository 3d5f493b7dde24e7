package io.breachwalk.cli;

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

/** What a new user sees first: `breachwalk demo` on the bundled estate, GitHub and Jenkins side by side. */
class DemoTest {

    @Test
    void theDemoScansBothProvidersAndWritesEveryReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo-out");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = Main.run(new String[]{"demo", "--out", out.toString()}, Map.of(),
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));

        String summary = stdout.toString(StandardCharsets.UTF_8);
        // The sample estate holds deliberate blocking gaps (a workflow file missing at its commit, discarded builds).
        assertThat(exit).isEqualTo(3);
        // DESIGN 5.1: nothing on stdout but the final summary (progress and notices go to stderr).
        assertThat(summary).startsWith("breachwalk codecov-2021: ").endsWith("\n");
        assertThat(summary.lines()).allMatch(l -> l.startsWith("breachwalk codecov-2021") || l.startsWith("  "));
        assertThat(summary).contains("examined   github-actions").contains("examined   jenkins")
                .contains("INCOMPLETE");
        for (String f : List.of("jobs.csv", "exposures.csv", "rotation.csv", "coverage.csv", "report.json",
                "tickets.csv", "report.html")) {
            assertThat(out.resolve(f)).isRegularFile();
        }
        List<CSVRecord> jobs = rows(out.resolve("jobs.csv"));
        assertThat(jobs).extracting(r -> r.get("provider")).contains("github-actions", "jenkins");
        assertThat(jobs).filteredOn(r -> r.get("verdict").equals("RAN")).hasSizeGreaterThan(5);
        assertThat(jobs).filteredOn(r -> r.get("verdict").equals("NOT_RUN")).isNotEmpty();
        List<CSVRecord> rotation = rows(out.resolve("rotation.csv"));
        assertThat(rotation).extracting(r -> r.get("status")).contains("ROTATE", "ROTATED", "EPHEMERAL", "REVIEW", "MISSING");
        assertThat(rotation).extracting(r -> r.get("priority")).contains("P1");
        long ran = jobs.stream().filter(r -> r.get("verdict").equals("RAN")).count();
        assertThat(summary).contains("jobs       " + ran + " ran the compromised step");
        assertThat(summary).contains("secrets    " + rotation.size() + " exposed");

        // Issue 10: the sample's repository whose runs expired is judged from its commit history, and said so first.
        assertThat(summary.lines().toList().get(2)).startsWith("  HISTORY    the run history of ")
                .contains("RUNS_EXPIRED 1");
        assertThat(jobs).filteredOn(r -> r.get("project").equals("acme/legacy"))
                .isNotEmpty().allMatch(r -> r.get("basis").equals("commit-history"));
        assertThat(rotation).filteredOn(r -> r.get("scope_owner").equals("acme/legacy")
                        && r.get("secret_name").equals("AWS_ACCESS_KEY_ID"))
                .singleElement().satisfies(r -> {
                    assertThat(r.get("basis")).isEqualTo("commit-history");
                    assertThat(r.get("status")).isEqualTo("ROTATE");
                });
        assertThat(rotation).extracting(r -> r.get("secret_name")).doesNotContain("LINT_TOKEN");
        assertThat(Files.readString(out.resolve("report.html"))).contains("<div class=\"warning\" id=\"history\">");
        assertThat(Files.readString(out.resolve("tickets.csv")))
                .contains("coverage\"\" of .github/workflows/ci.yml at ") // quotes doubled inside a CSV cell
                .contains("(run records expired; from the commit history)");
    }

    private static List<CSVRecord> rows(Path csv) throws Exception {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(csv))).getRecords();
    }
}
