package io.breachwalk.resilience;

import io.breachwalk.cli.Main;
import io.breachwalk.sim.jenkins.JenkinsSimulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6 "Done when", Jenkins half: the sample estate (samples/jenkins/estate.yaml) gives the same final reports,
 * row for row, (a) scanned cleanly, (b) with 10% of requests failing transiently (seeded: 500, 503, 429 with
 * Retry-After, connection resets, bodies cut short) and (c) killed with SIGKILL at random points three times and
 * resumed with the same --out, where a resumed run fetches nothing of the units an earlier run finished.
 * report.json is compared without its API request counters (retries and resumes make more requests by design).
 */
class JenkinsResilienceTest {

    static final Map<String, String> ENV = Map.of("JENKINS_USER", JenkinsSimulator.SAMPLE_USER,
            "JENKINS_TOKEN", JenkinsSimulator.SAMPLE_TOKEN);
    static String sample;
    static Reports clean;
    static int cleanExit;

    @BeforeAll
    static void cleanScan(@TempDir Path dir) throws Exception {
        sample = Files.readString(Path.of("samples/jenkins/estate.yaml"));
        assertThat(sample).doesNotContain("\nfaults:");
        try (JenkinsSimulator sim = JenkinsSimulator.startYaml(sample)) {
            Path out = dir.resolve("clean");
            cleanExit = scan(sim, out, "--concurrency", "4");
            clean = Reports.read(out, Map.of(sim.baseUrl(), "JENKINS/"));
        }
        // 4 builds, and one row each for the discarded builds of website-nightly (config.xml), billing-service,
        // payments-api and ledger-service/main (Jenkinsfile history)
        assertThat(clean.rows("jobs.csv")).isEqualTo(8);
        assertThat(clean.rows("exposures.csv")).isPositive();
    }

    static int scan(JenkinsSimulator sim, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("scan", "--jenkins-url", sim.baseUrl(), "--out", out.toString(),
                "--quiet", "--time-scale", "0.01"));
        args.addAll(List.of(extra));
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int exit = Main.run(args.toArray(String[]::new), ENV, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        assertThat(e.toString(StandardCharsets.UTF_8)).doesNotContain("internal error").doesNotContain("stopped early");
        return exit;
    }

    @Test
    void tenPercentTransientFailuresAndRateLimitsGiveTheSameReports(@TempDir Path dir) throws Exception {
        // 10% of requests at random, plus each kind forced where it hurts most (the estate is small).
        String faulty = sample + """

                faults:
                  seed: 20210415
                  rate: 0.10
                  kinds: ["500", "503", "429", "reset", "truncate"]
                  retryAfterSeconds: 2
                  rules:
                    - {path: "allBuilds", kind: "429", times: 2}
                    - {path: "consoleText", kind: "truncate", times: 2}
                    - {path: "config.xml", kind: "reset", times: 1}
                    - {path: "credentials/store", kind: "503", times: 1}
                    - {path: "wfapi", kind: "500", times: 1}
                """;
        try (JenkinsSimulator sim = JenkinsSimulator.startYaml(faulty)) {
            Path out = dir.resolve("faulty");
            int exit = scan(sim, out, "--concurrency", "4");
            List<JenkinsSimulator.Request> failed = sim.requests().stream()
                    .filter(r -> r.status() == 0 || r.status() < 0 || r.status() >= 429).toList();
            assertThat(failed).as("the seeded faults did hit the scan").isNotEmpty();
            assertThat(failed).as("rate limits were hit").anyMatch(r -> r.status() == 429);
            assertThat(exit).isEqualTo(cleanExit);
            Reports.read(out, Map.of(sim.baseUrl(), "JENKINS/")).assertSameAs(clean, "10% faults");
        }
    }

    @Test
    void requestsThatKeepFailingBecomeGapsAndTheWalkGoesOn(@TempDir Path dir) throws Exception {
        // Every consoleText of payments-api answers 503 more often than there are attempts: a blocking API_ERROR
        // for that build; the other jobs are still assessed.
        String faulty = sample + "\nfaults: {rules: [{path: \"payments-api/57/consoleText\", kind: \"503\", times: 50}]}\n";
        try (JenkinsSimulator sim = JenkinsSimulator.startYaml(faulty)) {
            Path out = dir.resolve("gaps");
            int exit = scan(sim, out, "--retries", "3");
            assertThat(exit).isEqualTo(3);
            Reports r = Reports.read(out, Map.of(sim.baseUrl(), "JENKINS/"));
            assertThat(r.files().get("coverage.csv")).anyMatch(l -> l.startsWith("jenkins,127.0.0.1,payments/payments-api,57,API_ERROR,")
                    && l.contains("HTTP 503") && l.contains("gave up after 3 attempts") && l.endsWith(",true"));
            assertThat(r.files().get("jobs.csv")).anyMatch(l -> l.contains(",website-nightly,211,"));
            assertThat(sim.requestCount(q -> q.path().endsWith("payments-api/57/consoleText"))).isEqualTo(3);
        }
    }

    @Test
    void killedThreeTimesAtRandomPointsAndResumed(@TempDir Path dir) throws Exception {
        // Every answer takes 60 ms, so that a kill lands in the middle of the walk rather than at its edges.
        String slow = sample + "\nfaults: {rate: 1.0, kinds: [\"slow\"], slowMillis: 60}\n";
        Random random = new Random(6);
        Path out = dir.resolve("resumed");
        try (JenkinsSimulator sim = JenkinsSimulator.startYaml(slow)) {
            // --force: a run that finishes before its kill leaves a finished report, which the next run replaces.
            List<String> args = List.of("scan", "--jenkins-url", sim.baseUrl(), "--out", out.toString(), "--quiet",
                    "--concurrency", "1", "--force");
            int killed = 0;
            boolean resumedSomething = false;
            for (int run = 0; killed < 3; run++) {
                assertThat(run).as("runs needed to kill three scans").isLessThan(10);
                Set<String> done = journalUnits(out);
                resumedSomething |= !done.isEmpty();
                sim.clearRequests();
                Path log = dir.resolve("run" + run + ".log");
                Process p = ChildScan.start(args, ENV, log);
                // Kill after a random number of answers: during the listing, between units, inside a unit.
                int after = 3 + random.nextInt(22);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (sim.requestCount() < after && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(2);
                if (p.isAlive()) {
                    p.destroyForcibly().waitFor();
                    killed++;
                } else {
                    // It finished first: a complete scan, and the next one starts afresh.
                    assertThat(p.exitValue()).as(Files.readString(log)).isEqualTo(cleanExit);
                }
                assertNoRefetch(sim, done, run);
            }
            Set<String> done = journalUnits(out);
            resumedSomething |= !done.isEmpty();
            sim.clearRequests();
            Process last = ChildScan.start(args, ENV, dir.resolve("last.log"));
            assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String lastLog = Files.readString(dir.resolve("last.log"));
            assertThat(last.exitValue()).as(lastLog).isEqualTo(cleanExit);
            assertNoRefetch(sim, done, -1);
            if (!done.isEmpty()) assertThat(lastLog).contains("resuming an interrupted scan");
            assertThat(killed).isEqualTo(3);
            assertThat(resumedSomething).as("at least one resumed run skipped finished units").isTrue();
            Reports.read(out, Map.of(sim.baseUrl(), "JENKINS/")).assertSameAs(clean, "killed 3 times and resumed");
        }
    }

    /** A resumed run never fetches anything below a job the journal already holds. */
    static void assertNoRefetch(JenkinsSimulator sim, Set<String> done, int run) {
        for (String unit : done) {
            String prefix = "/job/" + String.join("/job/", unit.split("/")) + "/";
            assertThat(sim.requests()).as("run " + run + " refetched finished unit " + unit)
                    .noneMatch(q -> q.path().startsWith(prefix));
        }
    }

    /** The units a killed scan finished, from its journal (the header line and a torn last line are skipped). */
    static Set<String> journalUnits(Path out) throws Exception {
        Path journal = out.resolve(".state/journal.jsonl");
        Set<String> units = new HashSet<>();
        if (!Files.exists(journal)) return units;
        List<String> lines = Files.readAllLines(journal);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            try {
                var node = io.breachwalk.files.Json.mapper().readTree(line);
                if (node.has("unit")) units.add(node.get("unit").asText());
            } catch (java.io.IOException torn) {
                // the last line of a killed scan
            }
        }
        return units;
    }
}
