package io.breachwalk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwalk.sim.github.GitHubSimulator;
import io.breachwalk.sim.DemoEstate;
import io.breachwalk.sim.jenkins.JenkinsSimulator;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Never an all-clear that isn't: REVIEW and MISSING rows ask for action like ROTATE rows (exit 1, the result line,
 * the page's headline), keep the priority of their type and exposure, and a token that cannot list secrets is said
 * up front with the permission to grant. The report says when, what and as whom it scanned.
 */
class ActionVerdictsTest {

    record Scan(int exit, String out, String err, Path dir) {
        String file(String name) throws Exception {
            return Files.readString(dir.resolve(name));
        }

        List<CSVRecord> rows(String csv) throws Exception {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new StringReader(file(csv))).getRecords();
        }
    }

    static Scan scan(Map<String, String> env, Path dir, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = java.util.Arrays.copyOf(args, args.length + 4);
        all[args.length] = "--out";
        all[args.length + 1] = dir.toString();
        all[args.length + 2] = "--quiet";
        all[args.length + 3] = "--retries";
        String[] withRetries = java.util.Arrays.copyOf(all, all.length + 1);
        withRetries[all.length] = "1";
        int exit = Main.run(withRetries, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Scan(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), dir);
    }

    @Test
    void aTokenThatCannotListSecretsIsNoAllClear(@TempDir Path tmp) throws Exception {
        try (GitHubSimulator sim = GitHubSimulator.startSample()) {
            Scan s = scan(Map.of("GITHUB_TOKEN", sim.token("ci-reader")), tmp.resolve("reader"), "scan",
                    "--github-url", sim.baseUrl(), "--github-repo", "acme/api");
            List<CSVRecord> rotation = s.rows("rotation.csv");
            assertThat(rotation).extracting(r -> r.get("status")).contains("REVIEW").doesNotContain("ROTATE");

            assertThat(s.exit()).as(s.out() + s.err()).isEqualTo(1);
            String html = s.file("report.html");
            for (String text : List.of(s.out(), html)) {
                assertThat(text).doesNotContainIgnoringCase("nothing to rotate");
            }
            long review = rotation.stream().filter(r -> r.get("status").equals("REVIEW")).count();
            assertThat(s.out()).contains("result     complete; action needed: " + review + " to review");
            // Up front, before the numbers: what could not be listed, what it made REVIEW, what to grant.
            String warning = s.out().lines().filter(l -> l.startsWith("  WARNING")).findFirst().orElseThrow();
            assertThat(s.out().indexOf(warning)).isLessThan(s.out().indexOf("  examined"));
            assertThat(warning).contains("acme/api").contains("AWS_ACCESS_KEY_ID")
                    .contains("Secrets: read").contains("Environments: read").contains("Organization secrets: read");
            assertThat(html).doesNotContain("class=\"result result-0\"").contains("class=\"result result-1\"")
                    .contains("action needed: " + review + " to review");
            assertThat(html.indexOf("id=\"unlistable\"")).isPositive().isLessThan(html.indexOf("id=\"headline\""));
            assertThat(html).contains("Secrets: read, Environments: read and Organization secrets: read");

            // Not knowing the change time does not lower the priority: the AWS keys handed to the step stay P1.
            assertThat(rotation).filteredOn(r -> r.get("secret_name").equals("AWS_ACCESS_KEY_ID"))
                    .extracting(r -> r.get("exposure") + " " + r.get("status") + " " + r.get("priority"))
                    .containsExactly("STEP REVIEW P1");

            // Scanned as whom: the login GitHub's /user gave for the token, never the token.
            JsonNode scanBlock = new ObjectMapper().readTree(s.file("report.json")).path("scan");
            assertThat(scanBlock.path("identity").path("github-actions").asText()).isEqualTo("acme-ci-reader");
            assertThat(scanBlock.path("generated_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            assertThat(scanBlock.path("targets").path("github_repos").get(0).asText()).isEqualTo("acme/api");
            assertThat(scanBlock.path("targets").path("github_url").asText()).isEqualTo(sim.baseUrl());
            assertThat(scanBlock.path("options").path("retries").asInt()).isEqualTo(1);
            for (String f : List.of("report.json", "report.html")) {
                assertThat(s.file(f)).doesNotContain(sim.token("ci-reader"));
            }
            assertThat(html).contains("<code>acme-ci-reader</code> on github-actions").contains("acme/api");
        }
    }

    @Test
    void aJenkinsOnlyScanRanksCredentialsByTypeAndExitsOne(@TempDir Path tmp) throws Exception {
        try (DemoEstate<JenkinsSimulator> jenkins = JenkinsSimulator.startDemo()) {
            Scan s = scan(jenkins.env(), tmp.resolve("payments"), "scan", "--jenkins-url", jenkins.url(),
                    "--jenkins-job", "payments");
            List<CSVRecord> rotation = s.rows("rotation.csv");
            // Jenkins keeps no change time: every credential is REVIEW, and that is action, not silence.
            assertThat(rotation).extracting(r -> r.get("status")).containsOnly("REVIEW");
            assertThat(s.exit()).as(s.out() + s.err()).isEqualTo(1);
            assertThat(rotation).filteredOn(r -> r.get("secret_name").equals("codecov-token"))
                    .extracting(r -> r.get("exposure") + " " + r.get("status") + " " + r.get("priority"))
                    .containsExactly("STEP REVIEW P2");
            assertThat(s.out()).doesNotContainIgnoringCase("nothing to rotate")
                    .contains("complete; action needed: ");
            assertThat(s.file("report.html")).doesNotContainIgnoringCase("nothing to rotate");
            JsonNode scanBlock = new ObjectMapper().readTree(s.file("report.json")).path("scan");
            assertThat(scanBlock.path("identity").path("jenkins").asText()).isEqualTo(jenkins.env().get("JENKINS_USER"));
            assertThat(s.file("report.json")).doesNotContain(jenkins.env().get("JENKINS_TOKEN"));
        }
    }
}
