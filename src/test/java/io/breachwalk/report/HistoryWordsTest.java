package io.breachwalk.report;

import io.breachwalk.model.Confidence;
import io.breachwalk.model.Gap;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.Verdict;
import io.breachwalk.report.html.HtmlReport;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Expired run history is said up front, in the summary and at the top of report.html, never silently. */
class HistoryWordsTest {

    private static ScanReport withExpiry(ScanReport r, List<JobFinding> extraJobs, List<Gap> extraGaps) {
        List<JobFinding> jobs = new ArrayList<>(r.jobs());
        jobs.addAll(extraJobs);
        List<Gap> gaps = new ArrayList<>(r.coverage());
        gaps.addAll(extraGaps);
        return new ScanReport(r.tool(), r.version(), r.playbook(), r.window(), r.summary(), jobs, r.exposures(),
                r.rotation(), gaps, r.evidence());
    }

    private static JobFinding fromCommits(String project) {
        return new JobFinding(ReportFixture.GH, ReportFixture.GH_HOST, project, ".github/workflows/ci.yml", "", 1, "",
                "test", "main", "3f2a1c0", "push", Instant.parse("2021-01-31T00:00:00Z"), "", Verdict.RAN,
                Confidence.PROBABLE, "<b>ci.yml</b>@3f2a1c0:12 uses: codecov/codecov-action@v1",
                JobFinding.COMMIT_HISTORY, Instant.parse("2021-04-02T07:00:00Z"));
    }

    @Test
    void noExpiryNoWords() {
        ScanReport plain = ReportFixture.estate();
        assertThat(HistoryWords.of(plain)).isEmpty();
        assertThat(SummaryText.render(plain, Path.of("out"), List.of())).doesNotContain("HISTORY");
        assertThat(HtmlReport.render(plain)).doesNotContain("id=\"history\"");
    }

    @Test
    void expiredProjectsAreCountedAndThoseWithoutHistoryNamedBlocking() {
        ScanReport r = withExpiry(ReportFixture.estate(),
                List.of(fromCommits("acme/old-api"), fromCommits("acme/<i>old-web</i>")),
                List.of(new Gap(ReportFixture.GH, ReportFixture.GH_HOST, "acme/old-api", "", Gap.RUNS_EXPIRED,
                                "no runs of the window are left", false),
                        new Gap(ReportFixture.GH, ReportFixture.GH_HOST, "acme/<i>old-web</i>", "", Gap.JOBS_ARCHIVED,
                                "jobs archived", false),
                        new Gap(ReportFixture.GH, ReportFixture.GH_HOST, "acme/gone", "", Gap.RUNS_EXPIRED,
                                "no runs left and the commits could not be read", true)));
        HistoryWords.Expired h = HistoryWords.of(r).orElseThrow();
        assertThat(h.projects()).isEqualTo(3);
        assertThat(h.sentence()).isEqualTo("the run history of 3 projects no longer reaches the window "
                + "(JOBS_ARCHIVED 1, RUNS_EXPIRED 2): the findings of 2 projects rest on the commit history (basis "
                + "commit-history in jobs.csv and rotation.csv); 1 project could not be judged from it either (blocking, "
                + "coverage.csv)");

        String summary = SummaryText.render(r, Path.of("out"), List.of());
        // Said before the numbers, on a line of its own.
        List<String> lines = summary.lines().toList();
        int history = lines.indexOf(lines.stream().filter(l -> l.startsWith("  HISTORY    ")).findFirst().orElseThrow());
        assertThat(lines.get(history)).startsWith("  HISTORY    the run history of 3 projects");
        assertThat(history).isLessThan(lines.indexOf(lines.stream().filter(l -> l.startsWith("  examined"))
                .findFirst().orElseThrow()));

        String html = HtmlReport.render(r);
        assertThat(html).contains("<div class=\"warning\" id=\"history\">")
                .contains("<strong>The run history of 3 projects no longer reaches the window")
                .contains("Judged from the commit history (2)").contains("Not judged from it (blocking) (1)")
                .contains("<li>github-actions acme/gone</li>")
                .contains("acme/&lt;i&gt;old-web&lt;/i&gt;").doesNotContain("<i>old-web</i>");
        assertThat(html.indexOf("id=\"history\"")).isLessThan(html.indexOf("id=\"headline\""));
    }
}
