package io.breachwalk.report.tickets;

import io.breachwalk.exposure.Ledger;
import io.breachwalk.model.RotationItem;
import io.breachwalk.model.RotationStatus;
import io.breachwalk.text.SafeText;
import io.breachwalk.report.ReportFixture;
import io.breachwalk.report.ScanReport;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TicketsTest {

    static String csv(ScanReport report, TicketSettings settings) throws Exception {
        StringWriter w = new StringWriter();
        TicketsCsv.write(w, new Tickets(report, settings).all());
        return w.toString();
    }

    /** Due dates from the window's end: the same bytes on every run. */
    static TicketSettings windowEnd() {
        TicketSettings d = TicketSettings.defaults();
        return new TicketSettings(d.priorities(), d.sla(), DueFrom.WINDOW_END, d.assignees(), d.component(),
                d.includeRotated());
    }

    static List<CSVRecord> parse(String csv) throws Exception {
        try (CSVParser p = CSVParser.parse(new StringReader(csv),
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            assertThat(p.getHeaderNames()).containsExactly(TicketsCsv.HEADER);
            return p.getRecords();
        }
    }

    static CSVRecord row(List<CSVRecord> rows, String secretName) {
        return rows.stream().filter(r -> r.get("Summary").contains(" " + secretName + " (")).findFirst()
                .orElseThrow(() -> new AssertionError("no ticket for " + secretName));
    }

    @Test
    void oneRowPerSecretThatAsksForAction() throws Exception {
        ScanReport report = ReportFixture.estate();
        List<CSVRecord> rows = parse(csv(report, windowEnd()));

        List<String> expected = report.rotation().stream().filter(r -> r.status().asksForAction())
                .map(RotationItem::secretId).toList();
        assertThat(expected).hasSize(12);
        assertThat(rows).extracting(r -> r.get("External ID")).containsExactlyElementsOf(expected);
        assertThat(rows).allSatisfy(r -> assertThat(r.size()).isEqualTo(8));
        // EPHEMERAL (GITHUB_TOKEN) and ROTATED (CODECOV_TOKEN) rows are not filed by default.
        assertThat(rows).extracting(r -> r.get("Summary")).noneMatch(s -> s.contains("GITHUB_TOKEN"))
                .noneMatch(s -> s.contains("CODECOV_TOKEN"));
        // Ordered as rotation.csv: priority first. REVIEW and MISSING rows keep the priority of their type and
        // exposure (the Jenkins credentials and the registry token handed to the step are Highest).
        assertThat(rows).extracting(r -> r.get("Priority")).containsExactly("Highest", "Highest", "Highest",
                "Highest", "Highest", "Highest", "Highest", "High", "High", "Medium", "Medium", "Medium");

        CSVRecord aws = row(rows, "AWS_ACCESS_KEY_ID");
        assertThat(aws.get("External ID")).isEqualTo(Ledger.secretId("codecov-2021", "github-actions",
                "api.github.com", "repository", "acme/api", "AWS_ACCESS_KEY_ID"));
        assertThat(aws.get("Summary")).isEqualTo("Rotate AWS_ACCESS_KEY_ID (repository secret of acme/api, github-actions)");
        assertThat(aws.get("Labels")).isEqualTo("breachwalk codecov-2021 github-actions exposure-step aws-access-key");
        assertThat(aws.get("Component")).isEqualTo("acme/api");
        assertThat(aws.get("Due Date")).isEqualTo("2021-04-03"); // window ends 2021-04-02; P1 = 1 day
        assertThat(aws.get("Assignee")).isEmpty();
        String d = aws.get("Description");
        assertThat(d.lines()).contains("Why", "What to do (guide/rotation.md#aws-access-key in the breachwalk output folder)", "How to confirm",
                "- Exposed: 5 jobs that ran the compromised step of Codecov Bash Uploader compromise (2021) had it in "
                        + "scope, first at 2021-02-03T09:12:00Z, last at 2021-03-22T17:45:00Z.",
                "    https://github.com/acme/api/actions/runs/5160/job/9360",
                "Vendor's page: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html");
        assertThat(d).contains("\n1. Revoke: ", "\n2. Replace: ", "\n3. Redeploy: ", "\n4. Audit: CloudTrail",
                "evidence (confirmed): step 7 \"Run codecov/codecov-action@v1\" success", aws.get("External ID"));

        CSVRecord slack = row(rows, "SLACK_WEBHOOK_URL");
        assertThat(slack.get("Priority")).isEqualTo("High");
        assertThat(slack.get("Due Date")).isEqualTo("2021-04-05");
        assertThat(slack.get("Description")).contains("evidence (probable)");

        CSVRecord npm = row(rows, "NPM_TOKEN");
        assertThat(npm.get("Labels")).contains("exposure-job");
        assertThat(npm.get("Component")).isEqualTo("acme");

        CSVRecord missing = row(rows, "OLD_DEPLOY_TOKEN");
        assertThat(missing.get("Summary")).startsWith("Confirm revoked OLD_DEPLOY_TOKEN");
        assertThat(missing.get("Description")).contains("no longer stored", ReportFixture.HOSTILE_JOB);

        CSVRecord jenkins = row(rows, "aws-prod");
        assertThat(jenkins.get("Summary")).isEqualTo("Review and rotate aws-prod (jenkins-credential secret of system, jenkins)");
        assertThat(jenkins.get("Labels")).isEqualTo("breachwalk codecov-2021 jenkins exposure-step aws-access-key");
        assertThat(jenkins.get("Due Date")).isEqualTo("2021-04-03"); // P1 though Jenkins keeps no change time
        assertThat(row(rows, "url-credential:ci-bot@github.com").get("Description"))
                .contains("written into the job's configuration");
        assertThat(jenkins.get("Description")).contains("Jenkins keeps no change time",
                "https://jenkins.acme.internal/job/platform/job/deploy-service/431/");
    }

    @Test
    void rerunsGiveTheSameIdsAndBytes() throws Exception {
        String first = csv(ReportFixture.estate(false, 0), TicketSettings.defaults());
        String again = csv(ReportFixture.estate(false, 0), TicketSettings.defaults());
        String shuffled = csv(ReportFixture.estate(false, 1234), TicketSettings.defaults());
        assertThat(again).isEqualTo(first);
        assertThat(shuffled).isEqualTo(first);
        assertThat(parse(shuffled)).extracting(r -> r.get("External ID"))
                .containsExactlyElementsOf(parse(first).stream().map(r -> r.get("External ID")).toList())
                .allMatch(id -> id.matches("bw-[0-9a-f]{16}"));
    }

    @Test
    void hostileCellsSurviveTheRoundTripIntactAndNeutralised() throws Exception {
        ScanReport report = ReportFixture.estate();
        AssigneeMap assignees = AssigneeMap.parse(new StringReader(
                "scope_owner,assignee\n# payments first\n\"=payments*\",@payments-oncall\nacme/*,-web-team\n*,+security\n"),
                "map");
        for (TicketSettings settings : List.of(
                new TicketSettings(PriorityNames.JIRA, Sla.DEFAULT, null, assignees, null, true),
                new TicketSettings(PriorityNames.parse("P1=@urgent,P3==3"), Sla.DEFAULT, null, AssigneeMap.NONE,
                        "-ops, \"core\"", false))) {
            List<Ticket> tickets = new Tickets(report, settings).all();
            StringWriter w = new StringWriter();
            TicketsCsv.write(w, tickets);
            List<CSVRecord> rows = parse(w.toString());
            assertThat(rows).hasSize(tickets.size());
            for (int i = 0; i < rows.size(); i++) {
                Ticket t = tickets.get(i);
                CSVRecord r = rows.get(i);
                // Intact: exactly what was written, multi-line description included ...
                assertThat(r.get("External ID")).isEqualTo(SafeText.cell(t.externalId()));
                assertThat(r.get("Summary")).isEqualTo(SafeText.cell(t.summary()));
                assertThat(r.get("Description")).isEqualTo(SafeText.multiline(t.description())).contains("\n");
                assertThat(r.get("Priority")).isEqualTo(SafeText.cell(t.priority()));
                assertThat(r.get("Labels")).isEqualTo(SafeText.cell(t.labels()));
                assertThat(r.get("Component")).isEqualTo(SafeText.cell(t.component()));
                assertThat(r.get("Due Date")).isEqualTo(t.dueDate());
                assertThat(r.get("Assignee")).isEqualTo(SafeText.cell(t.assignee()));
                // ... and neutralised: no cell starts a formula.
                for (String cell : r.values()) {
                    assertThat(cell).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("-")
                            .doesNotStartWith("@");
                }
            }
            if (settings.component() == null) {
                CSVRecord payments = row(rows, ReportFixture.AT_CREDENTIAL);
                assertThat(payments.get("Component")).isEqualTo("'=payments, \"legacy\" old");
                assertThat(payments.get("Assignee")).isEqualTo("'@payments-oncall");
                assertThat(payments.get("Summary")).isEqualTo(
                        "Review and rotate @npm-publish (jenkins-credential secret of =payments, \"legacy\" old, jenkins)");
                assertThat(payments.get("Description")).contains(
                        "job \"=HYPERLINK(\"http://evil.example\",\"click\"), \"nightly\" build\" started",
                        "-F \"nightly, slow\" Bash-20210312-2b87ace");
                assertThat(row(rows, "SLACK_WEBHOOK_URL").get("Assignee")).isEqualTo("'-web-team");
                assertThat(row(rows, "aws-prod").get("Assignee")).isEqualTo("'+security");
                // --include-rotated: the CODECOV_TOKEN row asks to verify.
                assertThat(row(rows, "CODECOV_TOKEN").get("Summary")).startsWith("Verify rotation of CODECOV_TOKEN");
            } else {
                assertThat(rows).extracting(r -> r.get("Component")).containsOnly("'-ops, \"core\"");
                assertThat(rows).extracting(r -> r.get("Priority")).contains("'@urgent", "'=3", "High");
            }
        }
    }

    @Test
    void sinceReportKeepsOnlyNewOrChangedSecrets() {
        ScanReport before = ReportFixture.estate();
        ScanReport after = ReportFixture.weekLater();
        List<String> names = SinceReport.newOrChanged(before, Tickets.actionable(after, false)).stream()
                .map(RotationItem::secretName).toList();
        // New: STRIPE_SECRET_KEY. Changed: the three acme/web secrets, exposed by one more job.
        // AWS_ACCESS_KEY_ID was rotated in between: no longer asks for action.
        assertThat(names).containsExactlyInAnyOrder("STRIPE_SECRET_KEY", "SLACK_WEBHOOK_URL", "NPM_TOKEN",
                "DOCKERHUB_TOKEN");
        List<RotationItem> withRotated = SinceReport.newOrChanged(before, Tickets.actionable(after, true));
        assertThat(withRotated).extracting(RotationItem::secretName).contains("AWS_ACCESS_KEY_ID")
                .doesNotContain("CODECOV_TOKEN");
        assertThat(withRotated).filteredOn(r -> r.secretName().equals("AWS_ACCESS_KEY_ID"))
                .extracting(RotationItem::status).containsExactly(RotationStatus.ROTATED);
        assertThat(SinceReport.newOrChanged(after, Tickets.actionable(after, true))).isEmpty();
    }

    @Test
    void dueDatesFollowTheSlaFromTheChosenBase() throws Exception {
        ScanReport report = ReportFixture.estate();
        TicketSettings s = new TicketSettings(PriorityNames.JIRA, Sla.parse("P1=2d, p3=2w"),
                DueFrom.on(LocalDate.parse("2021-04-15")), AssigneeMap.NONE, null, false);
        List<CSVRecord> rows = parse(csv(report, s));
        assertThat(row(rows, "AWS_ACCESS_KEY_ID").get("Due Date")).isEqualTo("2021-04-17");
        assertThat(row(rows, "SLACK_WEBHOOK_URL").get("Due Date")).isEqualTo("2021-04-18");
        // A Jenkins AWS key handed to the step is P1 though its change time is unknown.
        assertThat(row(rows, "aws-prod").get("Due Date")).isEqualTo("2021-04-17");
        assertThat(row(rows, "-signing-gpg").get("Due Date")).isEqualTo("2021-04-29"); // JOB only: P3
    }

    @Test
    void settingsParse() throws Exception {
        assertThat(Sla.parse("P2=5d").days()).isEqualTo(Map.of("P1", 1, "P2", 5, "P3", 7, "P4", 30));
        // Due Date is a date: hours round up to whole days.
        assertThat(Sla.parse("P1=4h,P2=36h,P3=24h").days()).isEqualTo(Map.of("P1", 1, "P2", 2, "P3", 1, "P4", 30));
        assertThatThrownBy(() -> Sla.parse("P1=4m")).hasMessageContaining("P1=4h").hasMessageContaining("round up");
        assertThatThrownBy(() -> Sla.parse("P5=1d")).isInstanceOf(IllegalArgumentException.class);
        assertThat(PriorityNames.parse("P1=1 - Critical").name("P1")).isEqualTo("1 - Critical");
        assertThat(PriorityNames.JIRA.name("P4")).isEqualTo("Low");
        assertThatThrownBy(() -> PriorityNames.parse("urgent")).hasMessageContaining("PRIORITY=NAME");

        AssigneeMap map = AssigneeMap.parse(new StringReader("acme/payments*,alice\nACME/*,bob\n\nsystem,carol\n"), "m");
        assertThat(map.assignee("acme/payments:production")).isEqualTo("alice");
        assertThat(map.assignee("acme/web")).isEqualTo("bob");
        assertThat(map.assignee("acme")).isEmpty();
        assertThat(map.assignee("system")).isEqualTo("carol");
        assertThat(map.assignee("system/x")).isEmpty();
        // The README's wording of the columns is a header, not a rule.
        for (String header : List.of("scope_owner pattern,assignee", "Scope owner pattern , Assignee",
                "pattern,assignee", "scope_owner,assignee")) {
            AssigneeMap m = AssigneeMap.parse(new StringReader(header + "\n*,dave\n"), "m");
            assertThat(m.assignee("scope_owner pattern")).isEqualTo("dave");
            assertThat(m.assignee("acme")).isEqualTo("dave");
        }
        // Jenkins credentials are routed by the jobs that bound them too; the first matching row still wins.
        AssigneeMap jobs = AssigneeMap.parse(new StringReader("payments/*,erin\nsystem,carol\n"), "m");
        assertThat(jobs.assignee("system", List.of("payments/api"))).isEqualTo("erin");
        assertThat(jobs.assignee("system", List.of("website"))).isEqualTo("carol");
        assertThatThrownBy(() -> AssigneeMap.parse(new StringReader("acme/*\n"), "m.csv"))
                .hasMessageContaining("m.csv line 1");
    }
}
