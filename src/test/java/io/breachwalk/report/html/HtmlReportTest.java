package io.breachwalk.report.html;

import io.breachwalk.model.Confidence;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.Verdict;
import io.breachwalk.files.OwnerOnlyFiles;
import io.breachwalk.report.ReportFixture;
import io.breachwalk.report.ScanReport;
import io.breachwalk.report.SummaryText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** report.html as text: self-contained, escaped, deterministic, same headline numbers as the stdout summary. */
class HtmlReportTest {

    static String metric(String html, String key) {
        Matcher m = Pattern.compile("data-metric=\"" + key + "\"><span class=\"value\">([^<]*)</span>").matcher(html);
        assertThat(m.find()).as("metric " + key).isTrue();
        return m.group(1);
    }

    @Test
    void headlineNumbersAreTheSummaryTextNumbers() {
        ScanReport report = ReportFixture.estate();
        String html = HtmlReport.render(report);
        String text = SummaryText.render(report, Path.of("out"), List.of("report.html"));

        // Parse the numbers back out of the terminal summary and compare them with the page's.
        Matcher jobs = Pattern.compile("jobs +([\\d,.]+) ran the compromised step in ([\\d,.]+) projects; ([\\d,.]+) "
                + "did not run it; ([\\d,.]+) unknown").matcher(text);
        assertThat(jobs.find()).isTrue();
        assertThat(metric(html, "jobs-ran")).isEqualTo(jobs.group(1)).isEqualTo("13");
        assertThat(metric(html, "projects-affected")).isEqualTo(jobs.group(2)).isEqualTo("5");
        assertThat(metric(html, "jobs-not-run")).isEqualTo(jobs.group(3));
        assertThat(metric(html, "jobs-unknown")).isEqualTo(jobs.group(4));
        Matcher secrets = Pattern.compile("secrets +([\\d,.]+) exposed: P1 (\\d+), P2 (\\d+), P3 (\\d+), P4 (\\d+) \\((.*)\\)")
                .matcher(text);
        assertThat(secrets.find()).isTrue();
        assertThat(metric(html, "secrets")).isEqualTo(secrets.group(1)).isEqualTo("14");
        assertThat(metric(html, "p1")).isEqualTo(secrets.group(2));
        assertThat(metric(html, "p2")).isEqualTo(secrets.group(3));
        assertThat(metric(html, "p3")).isEqualTo(secrets.group(4));
        assertThat(metric(html, "p4")).isEqualTo(secrets.group(5));
        for (String status : secrets.group(6).split(", ")) {
            String[] kv = status.split(" ");
            assertThat(html).contains("<span data-status=\"" + kv[0] + "\">" + kv[0] + " " + kv[1] + "</span>");
        }
        Matcher gaps = Pattern.compile("gaps +([\\d,.]+) could not be checked \\(([\\d,.]+) blocking\\)").matcher(text);
        assertThat(gaps.find()).isTrue();
        assertThat(metric(html, "gaps")).isEqualTo(gaps.group(1));
        assertThat(metric(html, "blocking-gaps")).isEqualTo(gaps.group(2));
        Matcher examined = Pattern.compile("examined +(\\S+) +([\\d,.]+) projects, ([\\d,.]+) runs, ([\\d,.]+) jobs, "
                + "([\\d,.]+) API requests").matcher(text);
        int providers = 0;
        while (examined.find()) {
            providers++;
            assertThat(html).contains("<tr data-provider=\"" + examined.group(1) + "\"><td>" + examined.group(1)
                    + "</td><td class=\"num\">" + examined.group(2) + "</td><td class=\"num\">" + examined.group(3)
                    + "</td><td class=\"num\">" + examined.group(4) + "</td><td class=\"num\">" + examined.group(5)
                    + "</td></tr>");
        }
        assertThat(providers).isEqualTo(2);
        assertThat(html).contains("Incomplete: blocking coverage gaps");
    }

    @Test
    void selfContainedAndEscaped() {
        String html = HtmlReport.render(ReportFixture.estate());
        assertThat(html).startsWith("<!DOCTYPE html>").contains("Content-Security-Policy\" content=\"default-src 'none';");
        // Nothing is loaded: no script, no external stylesheet, image, font or frame.
        assertThat(html).doesNotContainPattern("(?i)<script|<iframe|<object|<embed|@import|url\\(|@font-face");
        assertThat(html).doesNotContainPattern("(?i)<[^>]*\\s(src|srcset|onerror|onload)\\s*=");
        assertThat(html).doesNotContainPattern("(?i)<link(?![^>]*href=\"data:,\")");
        // The hostile job name is escaped; the only `<img` text in the page is that escaped one.
        assertThat(html).contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<img");
        assertThat(html).contains("=HYPERLINK(&quot;http://evil.example&quot;,&quot;click&quot;), &quot;nightly&quot; build");
        assertThat(html).contains("Upload &lt;b&gt;coverage&lt;/b&gt;");
    }

    @Test
    void unsafeLinksStayText() {
        assertThat(Html.link("javascript:alert(1)", "x")).isEqualTo("x");
        assertThat(Html.link("https://ci.example/job/1\" onmouseover=\"alert(1)", "1")).isEqualTo("1");
        assertThat(Html.link("https://ci.example/job/a&b", "<1>"))
                .isEqualTo("<a href=\"https://ci.example/job/a&amp;b\" rel=\"noopener noreferrer\">&lt;1&gt;</a>");
        assertThat(Html.text("a\u001b[31mred\u0007\n'x'")).isEqualTo("ared  &#39;x&#39;");
    }

    @Test
    void chartHasOneSeriesPerProviderAndCountsEveryJob() {
        ScanReport report = ReportFixture.estate();
        Timeline.Data d = Timeline.data(report.jobs(), report.window().since(), report.window().until());
        assertThat(d.counts().keySet()).containsExactly("github-actions", "jenkins");
        assertThat(d.bucketDays()).isEqualTo(1);
        assertThat(d.buckets()).isEqualTo(62);
        int total = 0;
        for (int i = 0; i < d.buckets(); i++) {
            total += d.total(i);
        }
        assertThat(total).isEqualTo(report.summary().jobsRan());
        String svg = Timeline.svg(d);
        assertThat(Pattern.compile("<g class=\"series\"").matcher(svg).results().count()).isEqualTo(2);
        assertThat(svg).contains("<title>2021-03-09 jenkins: 2 jobs</title>");
    }

    @Test
    void longWindowsGetWiderBars() {
        ScanReport report = ReportFixture.estate();
        Timeline.Data d = Timeline.data(report.jobs(), java.time.Instant.parse("2020-01-01T00:00:00Z"),
                java.time.Instant.parse("2022-01-01T00:00:00Z"));
        assertThat(d.bucketDays()).isEqualTo(8);
        assertThat(d.buckets()).isLessThanOrEqualTo(92);
    }

    @Test
    void sameReportSameBytesOwnerOnly(@TempDir Path dir) throws Exception {
        HtmlReport.write(new OwnerOnlyFiles(dir.resolve("a")), ReportFixture.estate(false, 0));
        HtmlReport.write(new OwnerOnlyFiles(dir.resolve("b")), ReportFixture.estate(false, 42));
        assertThat(Files.readAllBytes(dir.resolve("a/report.html")))
                .isEqualTo(Files.readAllBytes(dir.resolve("b/report.html")));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/report.html"))))
                .isEqualTo("rw-------");
    }

    @Test
    void jobsThatRanAreListedPerProjectAsTextWithTheRestInJobsCsv() {
        ScanReport full = ReportFixture.estate();
        // 40 more jobs of one project, one of them with a hostile name: 30 are shown, jobs.csv has the rest.
        List<JobFinding> jobs = new java.util.ArrayList<>(full.jobs());
        for (int i = 0; i < 40; i++) {
            jobs.add(new JobFinding("github-actions", "api.github.com", "acme/many", ".github/workflows/ci.yml",
                    String.valueOf(9000 + i), 1, String.valueOf(19000 + i), i == 0 ? "</summary><b>x</b>" : "test " + i,
                    "main", "abc", "push", java.time.Instant.parse("2021-02-01T00:00:00Z").plusSeconds(i * 3600L),
                    "https://github.com/acme/many/actions/runs/" + (9000 + i), Verdict.RAN, Confidence.CONFIRMED, "x"));
        }
        ScanReport many = new ScanReport(full.tool(), full.version(), full.playbook(), full.window(), full.summary(),
                jobs, full.exposures(), full.rotation(), full.coverage());
        String html = HtmlReport.render(many);
        String section = html.substring(html.indexOf("<section id=\"jobs\">"));
        section = section.substring(0, section.indexOf("</section>"));
        assertThat(Pattern.compile("<details id=\"jobs-\\d+\"").matcher(section).results().count()).isEqualTo(7);
        String manyBlock = section.substring(section.indexOf("<strong>acme/many</strong>"));
        manyBlock = manyBlock.substring(0, manyBlock.indexOf("</details>"));
        assertThat(manyBlock).contains("40 jobs ran the step");
        assertThat(Pattern.compile("<tr><td><time>").matcher(manyBlock).results().count()).isEqualTo(30);
        assertThat(manyBlock).contains("10 more jobs of this project in <a href=\"jobs.csv\">jobs.csv</a>.");
        // Names stay text: the hostile names of the fixture and this one are escaped inside the lists.
        assertThat(manyBlock).contains("&lt;/summary&gt;&lt;b&gt;x&lt;/b&gt;").doesNotContain("<b>x</b>");
        assertThat(section).contains("<td class=\"job-name\">&lt;img src=x onerror=alert(1)&gt;</td>");
        assertThat(section).contains("=HYPERLINK(&quot;http://evil.example&quot;");
        assertThat(html).doesNotContainPattern("(?i)<script|<img");
        // Every in-page link has its target.
        Matcher anchors = Pattern.compile("href=\"#(jobs-\\d+)\"").matcher(html);
        int links = 0;
        while (anchors.find()) {
            links++;
            assertThat(html).contains("<details id=\"" + anchors.group(1) + "\"");
        }
        assertThat(links).isPositive();
    }

    @Test
    void projectsMostAffectedByPriorityThenJobsAndCountsThatLinkSayWhere() {
        String html = HtmlReport.render(ReportFixture.estate());
        String projects = html.substring(html.indexOf("<section id=\"projects\">"), html.indexOf("<section id=\"rotation\">"));
        Matcher row = Pattern.compile("<tr><td>([^<]*)</td><td>[^<]*</td><td class=\"num\"><a href=\"#jobs-\\d+\">(\\d+)</a>"
                + "</td><td class=\"num\">\\d+</td><td><span class=\"badge prio-p(\\d)\">").matcher(projects);
        List<int[]> order = new java.util.ArrayList<>();
        while (row.find()) {
            order.add(new int[]{Integer.parseInt(row.group(3)), Integer.parseInt(row.group(2))});
        }
        assertThat(order).hasSize(5);
        for (int i = 1; i < order.size(); i++) {
            int[] a = order.get(i - 1);
            int[] b = order.get(i);
            assertThat(a[0] < b[0] || a[0] == b[0] && a[1] >= b[1]).as("P%d/%d jobs before P%d/%d jobs", a[0], a[1],
                    b[0], b[1]).isTrue();
        }
        // The rotation table's Jobs cell: a count, and a link that says it is one example.
        String rotation = html.substring(html.indexOf("<section id=\"rotation\">"), html.indexOf("<section id=\"gaps\">"));
        assertThat(rotation).containsPattern("<td class=\"num\">\\d+ <span class=\"example\">\\(<a href=\"https://[^\"]+\" "
                + "rel=\"noopener noreferrer\">example</a>\\)</span></td>");
        assertThat(rotation).doesNotContainPattern("<td class=\"num\"><a ");
    }

    @Test
    void headerSaysWhatTheWindowMeansAndWhenWhatAndAsWhomItScanned() {
        ScanReport report = ReportFixture.estate().withScan(new ScanReport.ScanInfo(
                java.time.Instant.parse("2026-12-03T10:15:30Z"),
                java.util.Map.of("github_url", "https://api.github.com", "github_orgs", List.of("acme", "acme-labs")),
                java.util.Map.of("concurrency", 4), java.util.Map.of("github-actions", "octo<cat>", "jenkins", "auditor")));
        String html = HtmlReport.render(report);
        String header = html.substring(html.indexOf("<header>"), html.indexOf("</header>"));
        assertThat(header).contains("<time>2021-04-02T07:00:00Z</time>: from the start of 31 January 2021, UTC, to the "
                + "end of 1 April 2021, Pacific time");
        assertThat(header).contains("<div class=\"scan\" id=\"scan\">")
                .contains("Scanned on <time>2026-12-03T10:15:30Z</time> as <code>octo&lt;cat&gt;</code> on "
                        + "github-actions, <code>auditor</code> on jenkins.")
                .contains("GitHub organizations <code>acme, acme-labs</code>").contains("concurrency 4");
        assertThat(WindowWords.explain(java.time.Instant.parse("2021-03-01T05:00:00Z"),
                java.time.Instant.parse("2021-03-02T13:17:00Z"))).isEqualTo("from the start of 1 March 2021, Eastern time");
        assertThat(WindowWords.explain(java.time.Instant.parse("2021-03-01T05:01:00Z"),
                java.time.Instant.parse("2021-03-02T13:17:00Z"))).isEmpty();
    }

    @Test
    void oneOfAnythingIsSingular() {
        ScanReport full = ReportFixture.estate();
        JobFinding one = full.jobs().stream().filter(j -> j.verdict() == Verdict.RAN).findFirst().orElseThrow();
        ScanReport small = new ScanReport(full.tool(), full.version(), full.playbook(), full.window(),
                new ScanReport.Summary(java.util.Map.of("github-actions", new ScanReport.Examined(1, 1, 1, 1)), 1, 0, 0,
                        1, 0, java.util.Map.of(), java.util.Map.of(), 0, 0, 1, 0), List.of(one), List.of(), List.of(),
                List.of());
        String text = SummaryText.render(small, Path.of("out"), List.of("report.html"));
        assertThat(text).contains("1 project, 1 run, 1 job, 1 API request").contains("in 1 project;")
                .doesNotContainPattern("\\b1 (projects|runs|jobs|API requests)\\b");
        String html = HtmlReport.render(small);
        assertThat(html).contains("job ran the compromised step</span>").contains("project affected</span>")
                .contains("1 job ran the step");
    }

    @Test
    void emptyReportSaysSo() {
        ScanReport full = ReportFixture.estate();
        ScanReport empty = new ScanReport(full.tool(), full.version(), full.playbook(), full.window(),
                new ScanReport.Summary(java.util.Map.of(), 0, 0, 0, 0, 0, java.util.Map.of(), java.util.Map.of(), 0,
                        0, 0, 0), List.of(), List.of(), List.of(), List.of());
        String html = HtmlReport.render(empty);
        assertThat(html).contains("No job ran the compromised step in the window.")
                .contains("Complete: nothing to rotate or review.").contains("nothing (no provider given)")
                .doesNotContain("class=\"series\"");
    }
}
