package io.breachwalk.cli;

import io.breachwalk.model.RotationItem;
import io.breachwalk.report.JsonReport;
import io.breachwalk.files.OwnerOnlyFiles;
import io.breachwalk.report.ReportFixture;
import io.breachwalk.report.ScanReport;
import io.breachwalk.report.tickets.TicketsCsv;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** `breachwalk tickets REPORT.json ...` in-process, from report.json files as a scan writes them. */
class TicketsCommandTest {

    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Path saved(Path dir, ScanReport report) throws Exception {
        OwnerOnlyFiles files = new OwnerOnlyFiles(dir);
        JsonReport.write(files, report);
        return dir.resolve(JsonReport.FILE);
    }

    static List<CSVRecord> rows(Path csv) throws Exception {
        try (CSVParser p = CSVParser.parse(csv, StandardCharsets.UTF_8,
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            assertThat(p.getHeaderNames()).containsExactly("External ID", "Summary", "Description", "Priority",
                    "Labels", "Component", "Due Date", "Assignee");
            return p.getRecords();
        }
    }

    @Test
    void regeneratesTheScansTicketsFromReportJson(@TempDir Path tmp) throws Exception {
        ScanReport report = ReportFixture.estate();
        Path json = saved(tmp.resolve("scan"), report);

        LocalDate today = LocalDate.now();
        Result r = run("tickets", json.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        // Due dates count from today by default: tickets are not overdue when they are imported.
        assertThat(r.out()).contains("12 tickets in " + tmp.resolve("scan/tickets.csv"))
                .containsAnyOf("due dates count from " + today, "due dates count from " + LocalDate.now());
        Path csv = tmp.resolve("scan/tickets.csv");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(csv))).isEqualTo("rw-------");

        // The same tickets as the scan writes (report.json loses nothing the tickets need); both count from today,
        // so the Due Date column is left out of the comparison.
        OwnerOnlyFiles direct = new OwnerOnlyFiles(tmp.resolve("direct"));
        TicketsCsv.write(direct, report);
        assertThat(withoutDueDates(rows(csv))).isEqualTo(withoutDueDates(rows(tmp.resolve("direct/tickets.csv"))));

        List<CSVRecord> rows = rows(csv);
        assertThat(rows).extracting(x -> x.get("External ID")).containsExactlyElementsOf(report.rotation().stream()
                .filter(x -> x.status().asksForAction()).map(RotationItem::secretId).toList());

        // Pinned to the window's end, a re-run gives identical External IDs and identical bytes.
        assertThat(run("tickets", json.toString(), "--due-from", "window-end").out())
                .contains("due dates count from 2021-04-02");
        byte[] first = Files.readAllBytes(csv);
        assertThat(run("tickets", json.toString(), "--due-from", "window-end").exit()).isZero();
        assertThat(Files.readAllBytes(csv)).isEqualTo(first);
        assertThat(find(rows(csv), "AWS_ACCESS_KEY_ID").get("Due Date")).isEqualTo("2021-04-03");
    }

    static List<List<String>> withoutDueDates(List<CSVRecord> rows) {
        return rows.stream().map(x -> {
            List<String> cells = new java.util.ArrayList<>(x.toList());
            cells.remove(6); // Due Date
            return cells;
        }).toList();
    }

    @Test
    void optionsShapeTheColumns(@TempDir Path tmp) throws Exception {
        Path json = saved(tmp.resolve("scan"), ReportFixture.estate());
        Path map = tmp.resolve("owners.csv");
        Files.writeString(map, "scope_owner,assignee\nacme/web*,web-lead\nacme*,platform-lead\nsystem,jenkins-admin\n");

        Result r = run("tickets", json.toString(), "--out", tmp.resolve("t").toString(), "--sla", "P1=2d,P3=2w",
                "--due-from", "2021-04-15", "--priority-names", "P1=1 - Critical,P2=2 - High,P3=3 - Moderate",
                "--assignee-map", map.toString(), "--include-rotated");
        assertThat(r.exit()).as(r.err()).isZero();
        List<CSVRecord> rows = rows(tmp.resolve("t/tickets.csv"));
        assertThat(rows).hasSize(13);
        CSVRecord aws = find(rows, "AWS_ACCESS_KEY_ID");
        assertThat(aws.get("Priority")).isEqualTo("1 - Critical");
        assertThat(aws.get("Due Date")).isEqualTo("2021-04-17");
        assertThat(aws.get("Assignee")).isEqualTo("platform-lead");
        CSVRecord slack = find(rows, "SLACK_WEBHOOK_URL");
        assertThat(slack.get("Priority")).isEqualTo("2 - High");
        assertThat(slack.get("Due Date")).isEqualTo("2021-04-18");
        assertThat(slack.get("Assignee")).isEqualTo("web-lead");
        // A Jenkins credential is REVIEW (Jenkins keeps no change time); an AWS key handed to the step is still P1.
        CSVRecord jenkins = find(rows, "aws-prod");
        assertThat(jenkins.get("Priority")).isEqualTo("1 - Critical");
        assertThat(jenkins.get("Due Date")).isEqualTo("2021-04-17");
        assertThat(jenkins.get("Assignee")).isEqualTo("jenkins-admin");
        CSVRecord codecov = find(rows, "CODECOV_TOKEN");
        assertThat(codecov.get("Priority")).isEqualTo("Low");
        assertThat(codecov.get("Due Date")).isEqualTo("2021-05-15");
        assertThat(Files.exists(tmp.resolve("scan/tickets.csv"))).isFalse();

        Result fixed = run("tickets", json.toString(), "--out", tmp.resolve("c").toString(), "--component", "Security");
        assertThat(fixed.exit()).isZero();
        assertThat(rows(tmp.resolve("c/tickets.csv"))).extracting(x -> x.get("Component")).containsOnly("Security");
    }

    @Test
    void sinceReportEmitsOnlyNewOrChangedSecrets(@TempDir Path tmp) throws Exception {
        Path before = saved(tmp.resolve("week1"), ReportFixture.estate());
        Path after = saved(tmp.resolve("week2"), ReportFixture.weekLater());
        // `tickets DIR` reads DIR/report.json.
        assertThat(run("tickets", tmp.resolve("week2").toString()).exit()).isZero();
        String fullOfWeek2 = Files.readString(tmp.resolve("week2/tickets.csv"));

        Result r = run("tickets", after.toString(), "--since-report", before.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        // The delta goes next to the full tickets.csv, never over it, under a name that says since what.
        assertThat(r.out()).contains("4 tickets in " + tmp.resolve("week2/tickets-since-week1.csv"))
                .contains("(new or changed since " + before + "; 12 in all)");
        assertThat(Files.readString(tmp.resolve("week2/tickets.csv"))).isEqualTo(fullOfWeek2);
        assertThat(rows(tmp.resolve("week2/tickets.csv"))).hasSize(12);
        List<CSVRecord> rows = rows(tmp.resolve("week2/tickets-since-week1.csv"));
        assertThat(rows).extracting(x -> x.get("Summary")).containsExactly(
                // REVIEW keeps the priority of its type and exposure: a registry token at STEP is P1.
                "Review and rotate DOCKERHUB_TOKEN (environment secret of acme/web:production, github-actions)",
                "Rotate SLACK_WEBHOOK_URL (repository secret of acme/web, github-actions)",
                "Rotate NPM_TOKEN (organization secret of acme, github-actions)",
                "Rotate STRIPE_SECRET_KEY (repository secret of acme/api, github-actions)");
        // The same External IDs as the full file of week 2: a re-import updates those tickets.
        Result full = run("tickets", after.toString(), "--out", tmp.resolve("full").toString());
        assertThat(full.exit()).isZero();
        List<String> fullIds = rows(tmp.resolve("full/tickets.csv")).stream().map(x -> x.get("External ID")).toList();
        assertThat(rows).extracting(x -> x.get("External ID")).isSubsetOf(fullIds);
        // And nothing is new against itself.
        Result same = run("tickets", after.toString(), "--since-report", after.toString(), "--out",
                tmp.resolve("same").toString());
        assertThat(same.exit()).isZero();
        assertThat(rows(tmp.resolve("same/tickets-since-week2.csv"))).isEmpty();
        assertThat(tmp.resolve("same/tickets.csv")).doesNotExist();
    }

    @Test
    void usageErrorsExitTwoWithOneLine(@TempDir Path tmp) throws Exception {
        Path json = saved(tmp.resolve("scan"), ReportFixture.estate());
        Path notReport = tmp.resolve("other.json");
        Files.writeString(notReport, "{\"hello\": 1}");
        Path garbage = tmp.resolve("garbage.json");
        Files.writeString(garbage, "not json at all");

        assertUsage(run("tickets", json.toString(), "--sla", "P1=4m"), "--sla: `P1=4m` is not PRIORITY=DURATION");
        Result due = run("tickets", json.toString(), "--due-from", "next week");
        assertUsage(due, "--due-from: `next week` is not `today`, `window-end` or a date YYYY-MM-DD");
        assertThat(due.err().lines()).hasSize(1);
        assertUsage(run("tickets", json.toString(), "--priority-names", "urgent"), "--priority-names:");
        assertUsage(run("tickets", json.toString(), "--assignee-map", tmp.resolve("nope.csv").toString()),
                "--assignee-map: " + tmp.resolve("nope.csv") + " does not exist");
        assertUsage(run("tickets", tmp.resolve("missing.json").toString()), "missing.json does not exist");
        assertUsage(run("tickets", notReport.toString()), "is not a breachwalk report.json");
        assertUsage(run("tickets", garbage.toString()), "is not a readable breachwalk report.json");
        assertUsage(run("tickets", json.toString(), "--since-report", garbage.toString()), "--since-report:");
        assertUsage(run("tickets"), "Missing required parameter");
    }

    @Test
    void helpExplainsTheJiraImport() {
        Result r = run("tickets", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--since-report", "--assignee-map", "--sla", "External System Import");
        assertThat(run("--help").out()).contains("tickets");
    }

    private static void assertUsage(Result r, String message) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(r.err()).doesNotContain("Exception\n\tat");
    }

    private static CSVRecord find(List<CSVRecord> rows, String secretName) {
        return rows.stream().filter(x -> x.get("Summary").contains(" " + secretName + " (")).findFirst()
                .orElseThrow(() -> new AssertionError("no ticket for " + secretName));
    }
}
