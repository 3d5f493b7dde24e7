package io.breachwalk.cli;

import io.breachwalk.cli.Cli.Result;
import io.breachwalk.sim.github.GitHubSimulator;
import io.breachwalk.sim.DemoEstate;
import io.breachwalk.sim.jenkins.JenkinsSimulator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tickets and the rotation/exposure columns they rest on, from real scans of the simulators: the sample GitHub
 * organization scanned with a token that may not list secrets and with one that may, and the sample Jenkins.
 */
class TicketsFromScansTest {

    @TempDir
    static Path tmp;
    static Path reader;
    static Path full;
    static Path jenkins;
    static String jenkinsUrl;


    @BeforeAll
    static void scan() throws Exception {
        try (GitHubSimulator sim = GitHubSimulator.startSample()) {
            reader = tmp.resolve("reader");
            full = tmp.resolve("full");
            // Exit status is not what this class is about: the sample has blocking gaps by design.
            run(Map.of("GITHUB_TOKEN", sim.token("ci-reader")), "scan", "--github-url", sim.baseUrl(),
                    "--github-org", "acme", "--out", reader.toString(), "--quiet");
            run(Map.of("GITHUB_TOKEN", sim.token("demo")), "scan", "--github-url", sim.baseUrl(),
                    "--github-org", "acme", "--out", full.toString(), "--quiet");
        }
        try (DemoEstate<JenkinsSimulator> sample = JenkinsSimulator.startDemo()) {
            jenkins = tmp.resolve("jenkins");
            jenkinsUrl = sample.url().endsWith("/") ? sample.url() : sample.url() + "/";
            run(sample.env(), "scan", "--jenkins-url", sample.url(), "--out", jenkins.toString(), "--quiet");
        }
        assertThat(reader.resolve("rotation.csv")).exists();
        assertThat(full.resolve("rotation.csv")).exists();
        assertThat(jenkins.resolve("rotation.csv")).exists();
    }

    static Result run(Map<String, String> env, String... args) {
        return Cli.exec(env, args);
    }

    static List<CSVRecord> csv(Path file) throws Exception {
        try (CSVParser p = CSVParser.parse(file, StandardCharsets.UTF_8,
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            return p.getRecords();
        }
    }

    static List<String> header(Path file) throws Exception {
        try (CSVParser p = CSVParser.parse(file, StandardCharsets.UTF_8,
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            return p.getHeaderNames();
        }
    }

    static CSVRecord one(List<CSVRecord> rows, String... keyValues) {
        List<CSVRecord> found = rows.stream().filter(r -> {
            for (int i = 0; i < keyValues.length; i += 2) {
                if (!keyValues[i + 1].equals(r.get(keyValues[i]))) {
                    return false;
                }
            }
            return true;
        }).toList();
        assertThat(found).as("rows with " + List.of(keyValues)).hasSize(1);
        return found.get(0);
    }

    static CSVRecord ticket(List<CSVRecord> tickets, String secretName) {
        return tickets.stream().filter(t -> t.get("Summary").contains(" " + secretName + " (")).findFirst()
                .orElseThrow(() -> new AssertionError("no ticket for " + secretName));
    }

    /** The file a `tickets` run names in its output line. */
    static Path written(Result r) {
        Matcher m = Pattern.compile("tickets? in (\\S+\\.csv)").matcher(r.out());
        assertThat(m.find()).as(r.out() + r.err()).isTrue();
        return Path.of(m.group(1));
    }

    @Test
    void theSameSecretSeenWithAndWithoutTheSecretsPermissionKeepsItsTicket() throws Exception {
        List<CSVRecord> before = csv(reader.resolve("rotation.csv"));
        List<CSVRecord> after = csv(full.resolve("rotation.csv"));
        // The pair of the trial: AWS_ACCESS_KEY_ID of acme/api, unresolved without the permission, an environment
        // secret with it; two secret ids.
        CSVRecord unresolved = one(before, "secret_name", "AWS_ACCESS_KEY_ID", "scope_owner", "acme/api");
        CSVRecord resolved = one(after, "secret_name", "AWS_ACCESS_KEY_ID", "scope_owner", "acme/api:production");
        assertThat(unresolved.get("secret_scope")).isEqualTo("unresolved");
        assertThat(resolved.get("secret_scope")).isEqualTo("environment");
        assertThat(resolved.get("scope_owner")).isEqualTo("acme/api:production");
        assertThat(resolved.get("secret_id")).isNotEqualTo(unresolved.get("secret_id"));

        Result r = run(Map.of(), "tickets", full.resolve("report.json").toString(), "--since-report",
                reader.resolve("report.json").toString(), "--out", tmp.resolve("delta").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("keep the External ID of the earlier report's ticket");
        List<CSVRecord> delta = csv(written(r));
        assertThat(delta).isNotEmpty();

        // No secret gets a second External ID: every ticket of the delta is one the earlier import already has.
        Set<String> earlierIds = new HashSet<>();
        before.forEach(x -> earlierIds.add(x.get("secret_id")));
        List<String> ids = delta.stream().map(x -> x.get("External ID")).toList();
        assertThat(ids).doesNotHaveDuplicates().allMatch(earlierIds::contains);
        CSVRecord aws = ticket(delta, "AWS_ACCESS_KEY_ID");
        assertThat(aws.get("External ID")).isEqualTo(unresolved.get("secret_id"));
        assertThat(aws.get("Summary")).contains("environment secret of acme/api:production");
        assertThat(aws.get("Description")).contains("was " + unresolved.get("secret_id") + " (unresolved, acme/api)"
                + " in the earlier report");
        // The organization secret is paired with the unresolved row of the repository whose jobs used it.
        assertThat(ticket(delta, "DEPLOY_TOKEN").get("External ID")).isEqualTo(
                one(before, "secret_name", "DEPLOY_TOKEN", "scope_owner", "acme/api").get("secret_id"));

        // The other way round (the better token first) the same secrets are not new either.
        Result back = run(Map.of(), "tickets", reader.resolve("report.json").toString(), "--since-report",
                full.resolve("report.json").toString(), "--out", tmp.resolve("back").toString());
        assertThat(back.exit()).as(back.err()).isZero();
        Set<String> laterIds = new HashSet<>();
        after.forEach(x -> laterIds.add(x.get("secret_id")));
        assertThat(csv(written(back))).extracting(x -> x.get("External ID")).doesNotHaveDuplicates()
                .allMatch(laterIds::contains);
    }

    @Test
    void exposuresJoinRotationBySecretIdAndCarryTheJobUrl() throws Exception {
        Path exposures = full.resolve("exposures.csv");
        List<String> cols = header(exposures);
        assertThat(cols.subList(cols.size() - 2, cols.size())).containsExactly("secret_id", "url");
        List<CSVRecord> rotation = csv(full.resolve("rotation.csv"));
        Map<String, String> jobUrls = new HashMap<>();
        for (CSVRecord j : csv(full.resolve("jobs.csv"))) {
            jobUrls.put(j.get("project") + "|" + j.get("run_id") + "|" + j.get("run_attempt") + "|" + j.get("job_id"),
                    j.get("url"));
        }
        List<CSVRecord> rows = csv(exposures);
        assertThat(rows).allSatisfy(e -> assertThat(e.get("url")).isEqualTo(jobUrls.get(
                e.get("project") + "|" + e.get("run_id") + "|" + e.get("run_attempt") + "|" + e.get("job_id"))));
        // Every rotation row is found from its exposures by secret_id alone, with as many jobs as it counts.
        for (CSVRecord r : rotation) {
            Set<String> jobs = new HashSet<>();
            rows.stream().filter(e -> e.get("secret_id").equals(r.get("secret_id")))
                    .forEach(e -> jobs.add(e.get("url")));
            assertThat(jobs).as(r.get("secret_name") + " " + r.get("scope_owner"))
                    .hasSize(Integer.parseInt(r.get("jobs_exposed")));
        }
        CSVRecord aws = one(rotation, "secret_name", "AWS_ACCESS_KEY_ID", "scope_owner", "acme/api:production");
        assertThat(rows).filteredOn(e -> e.get("secret_name").equals("AWS_ACCESS_KEY_ID") && e.get("project").equals("acme/api"))
                .extracting(e -> e.get("secret_id")).containsOnly(aws.get("secret_id"));
    }

    @Test
    void rotationRowsSayWhereTheSecretIsChangedAndWhyTheirStatus() throws Exception {
        List<String> cols = header(full.resolve("rotation.csv"));
        assertThat(cols.subList(cols.size() - 3, cols.size())).containsExactly("change_url", "status_note", "basis");
        List<CSVRecord> rotation = csv(full.resolve("rotation.csv"));
        // The web host comes from the job URLs (the sample's is https://github.example, its API a loopback port).
        CSVRecord env = one(rotation, "secret_name", "AWS_ACCESS_KEY_ID", "scope_owner", "acme/api:production");
        assertThat(env.get("change_url")).isEqualTo("https://github.example/acme/api/settings/environments");
        assertThat(env.get("status_note")).isEqualTo("changed at 2020-10-01T00:00:00Z, before its last exposure at "
                + env.get("last_exposed_at") + ": rotate it and revoke the old value");
        assertThat(one(rotation, "secret_name", "AWS_SECRET_ACCESS_KEY", "scope_owner", "acme/api").get("change_url"))
                .isEqualTo("https://github.example/acme/api/settings/secrets/actions");
        assertThat(one(rotation, "secret_name", "DEPLOY_TOKEN").get("change_url"))
                .isEqualTo("https://github.example/organizations/acme/settings/secrets/actions");
        CSVRecord rotated = one(rotation, "status", "ROTATED");
        assertThat(rotated.get("status_note")).contains("after its last exposure").contains("verify");
        assertThat(rotation).filteredOn(x -> x.get("status").equals("EPHEMERAL")).isNotEmpty()
                .allSatisfy(x -> {
                    assertThat(x.get("change_url")).isEmpty();
                    assertThat(x.get("status_note")).startsWith("issued for the job and expired with it");
                });

        // Without the Secrets permission: REVIEW, said in words, and the repository's page to look at.
        CSVRecord review = one(csv(reader.resolve("rotation.csv")), "secret_name", "AWS_ACCESS_KEY_ID",
                "scope_owner", "acme/api");
        assertThat(review.get("status")).isEqualTo("REVIEW");
        assertThat(review.get("change_url")).isEqualTo("https://github.example/acme/api/settings/secrets/actions");
        assertThat(review.get("status_note")).startsWith("no change time available")
                .endsWith("rotate unless you can show it was changed after " + review.get("last_exposed_at"));

        // The ticket carries the same link.
        List<CSVRecord> tickets = csv(full.resolve("tickets.csv"));
        // (acme/legacy has an AWS_ACCESS_KEY_ID of its own: the ticket of acme/api's is the one with its link.)
        assertThat(tickets.stream().filter(t -> t.get("Summary").contains(" AWS_ACCESS_KEY_ID (")
                && t.get("Description").contains("Change it at: https://github.example/acme/api/settings/environments"))
                .findFirst().orElseThrow().get("Description"))
                .contains("Rotate together: " + one(rotation, "secret_name", "AWS_SECRET_ACCESS_KEY", "scope_owner",
                        "acme/api").get("secret_id"));
    }

    @Test
    void dueDatesCountFromTodayUnlessPinnedToTheWindowEnd() throws Exception {
        LocalDate today = LocalDate.now();
        Map<String, Integer> sla = Map.of("Highest", 1, "High", 3, "Medium", 7, "Low", 30);
        // The scan's own tickets.csv counts from the day of the scan.
        List<CSVRecord> scanned = csv(full.resolve("tickets.csv"));
        assertThat(scanned).isNotEmpty().allSatisfy(t -> assertThat(t.get("Due Date")).isIn(
                today.plusDays(sla.get(t.get("Priority"))).toString(),
                today.minusDays(1).plusDays(sla.get(t.get("Priority"))).toString()));

        Result pinned = run(Map.of(), "tickets", full.resolve("report.json").toString(), "--due-from", "window-end",
                "--sla", "P1=4h,P2=36h", "--out", tmp.resolve("pinned").toString());
        assertThat(pinned.exit()).as(pinned.err()).isZero();
        assertThat(pinned.out()).contains("due dates count from 2021-04-02");
        List<CSVRecord> rows = csv(written(pinned));
        // Hours round up to whole days: the window ends 2021-04-02, P1=4h is due 2021-04-03, P2=36h 2021-04-04.
        assertThat(ticket(rows, "AWS_ACCESS_KEY_ID").get("Due Date")).isEqualTo("2021-04-03");
        assertThat(rows).filteredOn(t -> t.get("Priority").equals("High")).isNotEmpty()
                .allSatisfy(t -> assertThat(t.get("Due Date")).isEqualTo("2021-04-04"));

        Result fixed = run(Map.of(), "tickets", full.resolve("report.json").toString(), "--due-from", "2027-01-10",
                "--out", tmp.resolve("fixed").toString());
        assertThat(ticket(csv(written(fixed)), "AWS_ACCESS_KEY_ID").get("Due Date")).isEqualTo("2027-01-11");
    }

    @Test
    void jenkinsCredentialsAreRoutedByTheJobsThatBoundThem() throws Exception {
        List<CSVRecord> rotation = csv(jenkins.resolve("rotation.csv"));
        CSVRecord system = one(rotation, "secret_name", "artifactory-deploy");
        assertThat(system.get("scope_owner")).isEqualTo("system");
        assertThat(system.get("change_url")).isEqualTo(jenkinsUrl + "manage/credentials/");
        assertThat(system.get("status_note")).startsWith("no change time available (Jenkins keeps none");
        CSVRecord missing = one(rotation, "secret_name", "netlify-deploy-hook");
        assertThat(missing.get("status")).isEqualTo("MISSING");
        assertThat(missing.get("change_url")).isEmpty();
        assertThat(missing.get("status_note")).startsWith("no store visible to the jobs holds it now");
        assertThat(one(rotation, "secret_scope", "literal").get("change_url")).isEmpty();
        assertThat(csv(jenkins.resolve("exposures.csv"))).allSatisfy(e -> assertThat(e.get("url"))
                .startsWith(jenkinsUrl + "job/"));

        // A header copied from the README, then folder and job patterns ahead of the store's name.
        Path owners = tmp.resolve("owners.csv");
        Files.writeString(owners, "scope_owner pattern,assignee\npayments/*,payments-team\nwebsite-*,web-team\n"
                + "system,jenkins-admin\n");
        Result r = run(Map.of(), "tickets", jenkins.resolve("report.json").toString(), "--assignee-map",
                owners.toString(), "--out", tmp.resolve("jt").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        List<CSVRecord> tickets = csv(written(r));
        assertThat(tickets).extracting(t -> t.get("Assignee")).doesNotContain("assignee");

        CSVRecord artifactory = ticket(tickets, "artifactory-deploy");
        assertThat(artifactory.get("Assignee")).isEqualTo("payments-team");
        assertThat(artifactory.get("Component")).isEqualTo("payments");
        assertThat(artifactory.get("Description")).contains("Change it at: " + jenkinsUrl + "manage/credentials/",
                "- Bound by the jobs of: payments/ledger-service/main, payments/payments-api.");

        // The MISSING credential: named by the job that bound it, never an empty owner, never REVIEW.
        CSVRecord netlify = ticket(tickets, "netlify-deploy-hook");
        assertThat(netlify.get("Summary"))
                .isEqualTo("Confirm revoked netlify-deploy-hook (jenkins-credential secret bound by website-nightly, "
                        + "jenkins)");
        assertThat(netlify.get("Assignee")).isEqualTo("web-team");
        assertThat(netlify.get("Component")).isEqualTo("website-nightly");
        assertThat(netlify.get("Description")).doesNotContain("secret of ,").doesNotContain("secret of  ")
                .doesNotContain("REVIEW").contains("Status MISSING", "close this ticket by hand");
        List<String> summaries = new ArrayList<>();
        tickets.forEach(t -> summaries.add(t.get("Summary")));
        assertThat(summaries).noneMatch(s -> s.contains("secret of ,"));
    }
}
