package io.breachwalk.report;

import io.breachwalk.exposure.SecretTypes;
import io.breachwalk.model.Confidence;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.ExposureLevel;
import io.breachwalk.model.Gap;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.SecretState;
import io.breachwalk.model.Verdict;
import io.breachwalk.playbook.Playbook;
import io.breachwalk.playbook.PlaybookLoader;
import io.breachwalk.source.Findings;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import io.breachwalk.text.Redactor;
import io.breachwalk.files.OwnerOnlyFiles;

class CsvReportsTest {

    static JobFinding job(String run, String name, String evidence) {
        return new JobFinding("github-actions", "api.github.com", "acme/app", ".github/workflows/ci.yml", run, 1, run,
                name, "main", "abc123", "push", Instant.parse("2021-02-0" + run + "T10:00:00.123Z"),
                "https://github.com/acme/app/actions/runs/" + run, Verdict.RAN, Confidence.CONFIRMED, evidence);
    }

    static Findings findings(boolean reversed) {
        Findings f = new Findings();
        List<JobFinding> jobs = List.of(job("9", "test", "ok"), job("3", "=HYPERLINK(\"http://x\")", "a, \"quoted\"\nline"),
                job("1", "\u001b[31mred\u001b[0m", "ghp_" + "a".repeat(36) + " in log"));
        List<JobFinding> order = new java.util.ArrayList<>(jobs);
        if (reversed) {
            java.util.Collections.reverse(order);
        }
        for (JobFinding j : order) {
            f.job(j);
            f.exposure(new Exposure(j, "AWS_ACCESS_KEY_ID", "repository", "acme/app", ExposureLevel.STEP,
                    "job env AWS_ACCESS_KEY_ID", SecretState.PRESENT, Instant.parse("2020-01-01T00:00:00Z")));
        }
        f.gap(new Gap("github-actions", "api.github.com", "acme/app", "7", Gap.LOGS_EXPIRED, "410 Gone", false));
        return f;
    }

    @Test
    void rowsAreSortedSafeAndByteIdenticalAcrossRuns(@TempDir Path dir) throws Exception {
        Playbook playbook = PlaybookLoader.loadBundled("codecov-2021");
        Redactor redactor = Redactor.forEnvironment(Map.of("GITHUB_TOKEN", "sekrit-token-value"), List.of("GITHUB_TOKEN"),
                SecretTypes.bundled().valuePatterns());
        ScanReport a = ReportFixture.report(playbook, findings(false).snapshot(), redactor);
        ScanReport b = ReportFixture.report(playbook, findings(true).snapshot(), redactor);
        Path outA = dir.resolve("a");
        Path outB = dir.resolve("b");
        CsvReports.write(new OwnerOnlyFiles(outA), a);
        JsonReport.write(new OwnerOnlyFiles(outA), a);
        CsvReports.write(new OwnerOnlyFiles(outB), b);
        JsonReport.write(new OwnerOnlyFiles(outB), b);
        for (String f : List.of("jobs.csv", "exposures.csv", "rotation.csv", "coverage.csv", "report.json")) {
            assertThat(Files.readAllBytes(outA.resolve(f))).as(f).isEqualTo(Files.readAllBytes(outB.resolve(f)));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outA.resolve(f)))).isEqualTo("rw-------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outA))).isEqualTo("rwx------");

        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(outA.resolve("jobs.csv")))).getRecords();
        assertThat(rows).extracting(r -> r.get("run_id")).containsExactly("1", "3", "9");
        assertThat(rows.get(0).get("job_name")).isEqualTo("red");
        assertThat(rows.get(0).get("evidence")).isEqualTo("[REDACTED] in log");
        assertThat(rows.get(1).get("job_name")).isEqualTo("'=HYPERLINK(\"http://x\")");
        assertThat(rows.get(1).get("evidence")).isEqualTo("a, \"quoted\" line");
        assertThat(rows.get(0).get("started_at")).isEqualTo("2021-02-01T10:00:00Z");

        List<CSVRecord> rotation = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(outA.resolve("rotation.csv")))).getRecords();
        assertThat(rotation).hasSize(1);
        assertThat(rotation.get(0).get("jobs_exposed")).isEqualTo("3");
        assertThat(rotation.get(0).get("status")).isEqualTo("ROTATE");
        assertThat(rotation.get(0).get("priority")).isEqualTo("P1");
        assertThat(Files.readString(outA.resolve("report.json"))).contains("\"exit_status\" : 1")
                .doesNotContain("sekrit-token-value");
    }
}
