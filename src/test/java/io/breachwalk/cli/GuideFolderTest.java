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

/**
 * The output folder explains itself: `guide/` holds the data dictionary, the rotation steps and the runbook, and
 * every guide rotation.csv and report.html point to is a file (and section) the user actually has.
 */
class GuideFolderTest {

    @Test
    void theDemoFolderHoldsTheGuidesItsRotationRowsPointTo(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo-out");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int exit = Main.run(new String[]{"demo", "--out", out.toString()}, Map.of(),
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(3);
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("report.html, guide/");

        assertThat(Files.readString(out.resolve("guide/outputs.md"))).isEqualTo(Files.readString(Path.of("docs/outputs.md")));
        assertThat(Files.readString(out.resolve("guide/rotation.md"))).isEqualTo(Files.readString(Path.of("playbooks/rotation.md")));
        assertThat(Files.readString(out.resolve("guide/codecov-2021.md"))).isEqualTo(Files.readString(Path.of("playbooks/codecov-2021.md")));

        List<CSVRecord> rotation = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(out.resolve("rotation.csv")))).getRecords();
        assertThat(rotation).isNotEmpty();
        String html = Files.readString(out.resolve("report.html"));
        for (CSVRecord r : rotation) {
            String guide = r.get("guide");
            if (guide.startsWith("https://")) {
                continue; // a vendor's page
            }
            assertThat(guide).as(r.get("secret_name")).startsWith("guide/").contains("#");
            String file = guide.substring(0, guide.indexOf('#'));
            String anchor = guide.substring(guide.indexOf('#') + 1);
            Path target = out.resolve(file);
            assertThat(target).as(guide).isRegularFile();
            assertThat(Files.readAllLines(target)).as(guide).contains("## " + anchor);
            assertThat(html).contains("<a href=\"" + guide + "\" title=\"" + guide + "\">steps</a>");
        }
        assertThat(rotation).extracting(r -> r.get("guide")).contains("guide/rotation.md#aws-access-key");
        // Every scope the demo writes has its entry in the dictionary.
        assertThat(rotation).extracting(r -> r.get("secret_scope")).allMatch(ExplainCommandTest.SCOPES::contains);
    }
}
