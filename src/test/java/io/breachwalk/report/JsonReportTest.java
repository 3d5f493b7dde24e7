package io.breachwalk.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breachwalk.model.Confidence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import io.breachwalk.files.OwnerOnlyFiles;

/** report.json: the `scan` block, confidence as in jobs.csv, and reports written by earlier versions still load. */
class JsonReportTest {

    @Test
    void scanBlockAndLowercaseConfidenceRoundTrip(@TempDir Path dir) throws Exception {
        ScanReport report = ReportFixture.estate().withScan(new ScanReport.ScanInfo(Instant.parse("2026-12-03T10:15:30Z"),
                Map.of("github_orgs", List.of("acme")), Map.of("concurrency", 4), Map.of("github-actions", "octocat")));
        JsonReport.write(new OwnerOnlyFiles(dir), report);
        String text = Files.readString(dir.resolve(JsonReport.FILE));
        JsonNode json = new ObjectMapper().readTree(text);
        List<String> keys = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).startsWith("tool", "version", "scan");
        assertThat(json.at("/scan/generated_at").asText()).isEqualTo("2026-12-03T10:15:30Z");
        assertThat(json.at("/scan/identity/github-actions").asText()).isEqualTo("octocat");
        assertThat(json.at("/scan/targets/github_orgs/0").asText()).isEqualTo("acme");
        assertThat(json.at("/jobs/0/confidence").asText()).isIn("confirmed", "probable", "possible");
        assertThat(text).doesNotContain("\"CONFIRMED\"").doesNotContain("\"PROBABLE\"");

        ScanReport back = JsonReport.read(dir.resolve(JsonReport.FILE));
        assertThat(back.scan()).isEqualTo(report.scan());
        assertThat(back.jobs()).isEqualTo(report.jobs());
    }

    @Test
    void aReportFromBeforeTheScanBlockStillLoads(@TempDir Path dir) throws Exception {
        ScanReport report = ReportFixture.estate();
        JsonReport.write(new OwnerOnlyFiles(dir), report);
        // As earlier versions wrote it: no `scan` block, no `stopped`, confidence in capitals.
        ObjectNode old = (ObjectNode) new ObjectMapper().readTree(dir.resolve(JsonReport.FILE).toFile());
        assertThat(old.has("scan")).isFalse();
        old.withArray("jobs").forEach(j -> ((ObjectNode) j).put("confidence", j.path("confidence").asText().toUpperCase()));
        Path file = dir.resolve("old.json");
        Files.writeString(file, old.toPrettyString());
        assertThat(Files.readString(file)).contains("\"CONFIRMED\"");

        ScanReport back = JsonReport.read(file);
        assertThat(back.scan()).isNull();
        assertThat(back.summary().stopped()).isEmpty();
        assertThat(back.jobs()).extracting(j -> j.confidence()).contains(Confidence.CONFIRMED);
        assertThat(back.jobs()).isEqualTo(report.jobs());
        assertThat(back.rotation()).isEqualTo(report.rotation());
    }
}
