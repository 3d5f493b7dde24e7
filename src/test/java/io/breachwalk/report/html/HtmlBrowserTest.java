package io.breachwalk.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import io.breachwalk.report.ReportFixture;
import io.breachwalk.report.ScanReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * report.html in a real browser (Debian's chromium, headless): it loads from a file with no console error and no
 * request beyond the file itself, the chart has one bar series per provider, hostile CI values stay text, and the
 * headline numbers are the summary's. Fails, never skips, when chromium is missing.
 */
class HtmlBrowserTest {

    static HeadlessChromium browser;

    @BeforeAll
    static void start() throws Exception {
        browser = new HeadlessChromium();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void reportLoadsCleanlyAndHostileValuesStayText(@TempDir Path dir) throws Exception {
        ScanReport report = ReportFixture.estate();
        Path page = dir.resolve("report.html");
        Files.writeString(page, HtmlReport.render(report));
        String url = page.toUri().toString();

        HeadlessChromium.Load load = browser.load(url);

        assertThat(load.consoleErrors()).as("console errors").isEmpty();
        assertThat(load.dialogs()).as("alert() and other dialogs").isEmpty();
        assertThat(load.requests()).as("requests: only the file itself").isNotEmpty()
                .allSatisfy(r -> assertThat(r).isEqualTo(url));
        assertThat(browser.eval("document.scripts.length").asInt()).isZero();

        // One bar series per provider that ran the step, with as many jobs as the report says.
        JsonNode series = browser.eval("JSON.stringify([...document.querySelectorAll('svg.timeline g.series')]"
                + ".map(g => ({provider: g.dataset.provider, bars: g.querySelectorAll('rect').length,"
                + " jobs: [...g.querySelectorAll('rect > title')].reduce((n, t) => n + parseInt(t.textContent"
                + ".replace(/.*: (\\d+) jobs?$/, '$1')), 0)})))");
        JsonNode parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(series.asText());
        Map<String, Integer> jobsByProvider = new TreeMap<>();
        List<String> providers = new ArrayList<>();
        for (JsonNode s : parsed) {
            providers.add(s.path("provider").asText());
            assertThat(s.path("bars").asInt()).isPositive();
            jobsByProvider.put(s.path("provider").asText(), s.path("jobs").asInt());
        }
        assertThat(providers).containsExactly(ReportFixture.GH, ReportFixture.JK);
        assertThat(jobsByProvider).containsEntry(ReportFixture.GH, 8).containsEntry(ReportFixture.JK, 5);
        assertThat(browser.eval("document.querySelectorAll('svg.timeline g.series rect').length").asInt())
                .as("bars are drawn").isGreaterThan(2);
        assertThat(browser.eval("document.querySelector('svg.timeline').getBoundingClientRect().height").asDouble())
                .as("the chart is visible").isGreaterThan(100);

        // The hostile job name is text in the page, not an element.
        assertThat(browser.eval("document.querySelectorAll('img, [onerror]').length").asInt()).isZero();
        assertThat(browser.eval("[...document.querySelectorAll('td.job-name')].some(td => td.textContent === "
                + "'<img src=x onerror=alert(1)>')").asBoolean()).isTrue();
        // textContent, not innerText: the job lists sit in collapsed <details>, which innerText leaves out.
        assertThat(browser.eval("document.body.textContent.includes('=HYPERLINK(\"http://evil.example\"')")
                .asBoolean()).isTrue();
        // Links leave the page only by http(s); the others stay in it (#jobs-N) or point at files beside it
        // (jobs.csv, the rotation steps in guide/).
        assertThat(browser.eval("[...document.querySelectorAll('a')].every(a => /^https?:$/.test(a.protocol)"
                + " || /^#jobs-\\d+$/.test(a.getAttribute('href')) || a.getAttribute('href') === 'jobs.csv'"
                + " || /^guide\\/[\\w.-]+\\.md(#[\\w-]+)?$/.test(a.getAttribute('href')))")
                .asBoolean()).as("only http(s), in-page, jobs.csv and guide/ links").isTrue();
        assertThat(browser.eval("[...document.querySelectorAll('a[href^=\"#\"]')].every(a => "
                + "document.getElementById(a.getAttribute('href').substring(1)) !== null)").asBoolean())
                .as("every in-page link has its target").isTrue();

        // Headline numbers: the ones ScanReport.Summary holds (and SummaryText prints; see HtmlReportTest).
        ScanReport.Summary s = report.summary();
        assertThat(metric("jobs-ran")).isEqualTo(HtmlReport.n(s.jobsRan()));
        assertThat(metric("projects-affected")).isEqualTo(HtmlReport.n(s.projectsAffected()));
        assertThat(metric("secrets")).isEqualTo(HtmlReport.n(s.secrets()));
        assertThat(metric("p1")).isEqualTo(HtmlReport.n(s.secretsByPriority().get("P1")));
        assertThat(metric("blocking-gaps")).isEqualTo(HtmlReport.n(s.blockingGaps()));

        // A screenshot for people (and the README): the top of the page.
        byte[] png = browser.screenshot(1200, 1700);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        Path target = Path.of("target", "report-screenshot.png");
        Files.createDirectories(target.getParent());
        Files.write(target, png);
        String docs = System.getProperty("breachwalk.screenshot");
        if (docs != null && !docs.isBlank()) {
            Files.write(Path.of(docs), png);
        }
    }

    private static String metric(String key) throws Exception {
        return browser.eval("document.querySelector('[data-metric=\"" + key + "\"] .value').textContent").asText();
    }

    /** The checks above would catch a leaking page: a page that requests, logs and throws is seen doing so. */
    @Test
    void harnessSeesRequestsAndErrors(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("leaky.html");
        Files.writeString(page, "<!DOCTYPE html><html><head><title>leaky</title>"
                + "<link rel=\"stylesheet\" href=\"http://127.0.0.1:9/style.css\"></head><body>"
                + "<img src=\"x\"><script>console.error('boom'); undefinedFunction();</script></body></html>");
        HeadlessChromium.Load load = browser.load(page.toUri().toString());
        assertThat(load.requests()).anyMatch(r -> r.startsWith("http://127.0.0.1:9/"));
        assertThat(load.requests()).anyMatch(r -> r.endsWith("/x"));
        assertThat(load.consoleErrors()).anyMatch(e -> e.contains("boom"));
        assertThat(load.consoleErrors()).anyMatch(e -> e.contains("undefinedFunction"));
    }
}
