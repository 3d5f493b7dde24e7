package io.breachwalk.resilience;

import io.breachwalk.cli.Main;
import io.breachwalk.sim.github.Estate;
import io.breachwalk.sim.github.GitHubSimulator;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6 "Done when" for the GitHub sample organization (samples/github/estate.yaml) and the sample Jenkins scanned
 * together: the same final reports, row for row, (a) cleanly, (b) with 10% of requests failing transiently on both
 * (seeded) plus GitHub's primary and secondary rate limits and Jenkins 429s, (c) killed with SIGKILL at random points
 * three times and resumed, without refetching finished repositories or jobs. report.json is compared without its API
 * request counters. The GitHub primary window is shortened to 2 s here (3600 in the sample) so that waiting for its
 * reset takes real seconds, not an hour; --time-scale shortens backoffs.
 */
class BothEstatesResilienceTest {

    static Path githubEstate;
    static String jenkinsSample;
    static Reports clean;
    static int cleanExit;

    @BeforeAll
    static void cleanScan(@TempDir Path dir) throws Exception {
        String gh = Files.readString(Path.of("samples/github/estate.yaml"));
        assertThat(gh).contains("reset_seconds: 3600");
        githubEstate = dir.resolve("github-estate.yaml");
        Files.writeString(githubEstate, gh.replace("reset_seconds: 3600", "reset_seconds: 2"));
        jenkinsSample = Files.readString(Path.of("samples/jenkins/estate.yaml"));
        try (Sims s = new Sims(jenkinsSample)) {
            Path out = dir.resolve("clean");
            cleanExit = s.scan(out);
            clean = Reports.read(out, s.urls());
        }
        assertThat(clean.files().get("jobs.csv")).anyMatch(l -> l.startsWith("github-actions,"))
                .anyMatch(l -> l.startsWith("jenkins,"));
    }

    /** Both simulators, and a scan of both. */
    static final class Sims implements AutoCloseable {
        final GitHubSimulator github = GitHubSimulator.start(githubEstate);
        final JenkinsSimulator jenkins;

        Sims(String jenkinsYaml) throws Exception {
            jenkins = JenkinsSimulator.startYaml(jenkinsYaml);
        }

        Map<String, String> env() {
            Map<String, String> env = new HashMap<>();
            env.put("GITHUB_TOKEN", github.defaultToken());
            env.put("JENKINS_USER", JenkinsSimulator.SAMPLE_USER);
            env.put("JENKINS_TOKEN", JenkinsSimulator.SAMPLE_TOKEN);
            return env;
        }

        List<String> args(Path out) {
            return new ArrayList<>(List.of("scan", "--github-url", github.baseUrl(), "--github-org", "acme",
                    "--jenkins-url", jenkins.baseUrl(), "--out", out.toString(), "--quiet"));
        }

        Map<String, String> urls() {
            return Map.of(jenkins.baseUrl(), "JENKINS/", github.baseUrl(), "GITHUB");
        }

        int scan(Path out, String... extra) {
            List<String> args = args(out);
            args.addAll(List.of("--time-scale", "0.01"));
            args.addAll(List.of(extra));
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            int exit = Main.run(args.toArray(String[]::new), env(), new PrintStream(o, true, StandardCharsets.UTF_8),
                    new PrintStream(e, true, StandardCharsets.UTF_8));
            assertThat(e.toString(StandardCharsets.UTF_8)).doesNotContain("internal error").doesNotContain("stopped early");
            return exit;
        }

        @Override
        public void close() {
            github.close();
            jenkins.close();
        }
    }

    @Test
    void tenPercentTransientFailuresAndRateLimitsOnBothGiveTheSameReports(@TempDir Path dir) throws Exception {
        String jenkinsFaulty = jenkinsSample + "\nfaults: {seed: 7, rate: 0.10, kinds: [\"500\", \"503\", \"429\", "
                + "\"reset\", \"truncate\"], retryAfterSeconds: 1}\n";
        try (Sims s = new Sims(jenkinsFaulty)) {
            s.github.setFaults(new Estate.Faults(20210415L, 0.10,
                    List.of("500", "502", "503", "reset", "truncated", "secondary-403", "secondary-429"), null, 0, 1,
                    List.of(new Estate.FaultRule("/actions/runs\\?", "rate-limit", 1),
                            new Estate.FaultRule("/jobs", "secondary-429", 1),
                            new Estate.FaultRule("/contents/", "truncated", 2))));
            Path out = dir.resolve("faulty");
            int exit = s.scan(out, "--concurrency", "4");
            assertThat(s.github.count(r -> r.fault() != null)).as("GitHub faults hit the scan").isGreaterThan(5);
            assertThat(s.github.count(r -> "rate-limit".equals(r.fault()))).isEqualTo(1);
            assertThat(exit).isEqualTo(cleanExit);
            Reports.read(out, s.urls()).assertSameAs(clean, "10% faults on both");
        }
    }

    @Test
    void killedThreeTimesAtRandomPointsAndResumed(@TempDir Path dir) throws Exception {
        String slow = jenkinsSample + "\nfaults: {rate: 1.0, kinds: [\"slow\"], slowMillis: 40}\n";
        Random random = new Random(2021);
        Path out = dir.resolve("resumed");
        try (Sims s = new Sims(slow)) {
            s.github.setFaults(new Estate.Faults(1, 1.0, List.of("slow"), null, 40, 1, List.of()));
            List<String> args = s.args(out);
            // --force: a run that finishes before its kill leaves a finished report, which the next run replaces.
            args.addAll(List.of("--concurrency", "1", "--force"));
            int killed = 0;
            boolean resumedSomething = false;
            for (int run = 0; killed < 3; run++) {
                assertThat(run).as("runs needed to kill three scans").isLessThan(10);
                Set<String> done = JenkinsResilienceTest.journalUnits(out);
                resumedSomething |= !done.isEmpty();
                s.github.clearRequests();
                s.jenkins.clearRequests();
                Path log = dir.resolve("run" + run + ".log");
                Process p = ChildScan.start(args, s.env(), log);
                int after = 5 + random.nextInt(60);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (s.github.requestCount() + s.jenkins.requestCount() < after && p.isAlive()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                if (p.isAlive()) {
                    p.destroyForcibly().waitFor();
                    killed++;
                } else {
                    assertThat(p.exitValue()).as(Files.readString(log)).isEqualTo(cleanExit);
                }
                assertNoRefetch(s, done, run);
            }
            Set<String> done = JenkinsResilienceTest.journalUnits(out);
            resumedSomething |= !done.isEmpty();
            s.github.clearRequests();
            s.jenkins.clearRequests();
            Process last = ChildScan.start(args, s.env(), dir.resolve("last.log"));
            assertThat(last.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(last.exitValue()).as(Files.readString(dir.resolve("last.log"))).isEqualTo(cleanExit);
            assertNoRefetch(s, done, -1);
            assertThat(resumedSomething).isTrue();
            Reports.read(out, s.urls()).assertSameAs(clean, "killed 3 times and resumed");
        }
    }

    /** Journal units are repositories (owner/repo) and Jenkins jobs (full names); neither is fetched again. */
    static void assertNoRefetch(Sims s, Set<String> done, int run) {
        for (String unit : done) {
            String repoPrefix = "/repos/" + unit + "/actions/";
            assertThat(s.github.requests()).as("run " + run + " refetched repository " + unit)
                    .noneMatch(q -> q.path().startsWith(repoPrefix));
        }
        JenkinsResilienceTest.assertNoRefetch(s.jenkins, done, run);
    }
}
