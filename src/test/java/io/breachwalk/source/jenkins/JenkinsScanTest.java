package io.breachwalk.source.jenkins;

import io.breachwalk.cli.Main;
import io.breachwalk.sim.jenkins.JenkinsSimulator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real CLI against the Jenkins simulator serving src/test/resources/jenkins/estate-cases.yaml: one scan, then
 * one test per case of issue 4's "Done when" list, each asserting on rows of the CSV files.
 */
class JenkinsScanTest {
    static final Map<String, String> ENV = Map.of("JENKINS_USER", "auditor",
            "JENKINS_TOKEN", "11e2etesttoken000000000000000000aa");

    static JenkinsSimulator sim;
    static Path out;
    static int exit;
    static String stdout;
    static String stderr;
    static List<CSVRecord> jobs;
    static List<CSVRecord> exposures;
    static List<CSVRecord> rotation;
    static List<CSVRecord> coverage;

    @BeforeAll
    static void scan(@TempDir Path dir) throws Exception {
        Scanned s = scanEstate("estate-cases.yaml", dir);
        sim = s.sim();
        out = s.out();
        exit = s.run().exit;
        stdout = s.run().out;
        stderr = s.run().err;
        jobs = s.jobs();
        exposures = s.exposures();
        rotation = s.rotation();
        coverage = s.coverage();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void scanCompletesWithSecretsToReview() {
        assertThat(stderr).doesNotContain("internal error").doesNotContain("stopped early");
        // Blocking gaps (discarded builds of a job that runs the uploader) make the scan incomplete.
        assertThat(exit).isEqualTo(3);
        assertThat(stdout).isNotBlank();
        assertThat(rows(jobs, r -> true)).allSatisfy(r -> {
            assertThat(r.get("provider")).isEqualTo("jenkins");
            assertThat(r.get("host")).isEqualTo("127.0.0.1");
        });
    }

    @Test
    void freestyleJobThatRanTheUploader() {
        CSVRecord r = one(jobs, "legacy-freestyle", "41");
        assertThat(r.get("verdict")).isEqualTo("RAN");
        assertThat(r.get("confidence")).isEqualTo("confirmed");
        assertThat(r.get("pipeline")).isEqualTo("legacy-freestyle");
        assertThat(r.get("job_id")).isEqualTo("41");
        assertThat(r.get("commit_sha")).isEqualTo("4141414141414141414141414141414141414141");
        assertThat(r.get("branch")).isEqualTo("master");
        assertThat(r.get("started_at")).isEqualTo("2021-02-15T10:00:00Z");
        assertThat(r.get("url")).isEqualTo(sim.baseUrl() + "job/legacy-freestyle/41/");
        assertThat(r.get("evidence")).contains("consoleText line").contains("codecov.io/bash")
                .contains("config.xml shell step 1");
        // SecretBuildWrapper bindings reach the uploader's environment.
        CSVRecord codecov = exposure("legacy-freestyle", "41", "codecov-token");
        assertThat(codecov.get("exposure")).isEqualTo("STEP");
        assertThat(codecov.get("secret_scope")).isEqualTo("jenkins-credential");
        assertThat(codecov.get("scope_owner")).isEqualTo("system");
        assertThat(codecov.get("via")).contains("SecretBuildWrapper string(credentialsId: 'codecov-token')");
    }

    @Test
    void passwordParameterIsAStepExposureByName() {
        CSVRecord p = exposure("legacy-freestyle", "41", "DEPLOY_PASSWORD");
        assertThat(p.get("exposure")).isEqualTo("STEP");
        assertThat(p.get("secret_scope")).isEqualTo("literal");
        assertThat(p.get("via")).contains("password parameter");
    }

    @Test
    void credentialsInTheScmUrlAreReportedWithoutTheValue() throws Exception {
        CSVRecord u = exposure("legacy-freestyle", "41", "url-credential:ci-bot@github.example.com");
        assertThat(u.get("exposure")).isEqualTo("STEP");
        assertThat(u.get("secret_scope")).isEqualTo("literal");
        CSVRecord rot = rotationRow("url-credential:ci-bot@github.example.com");
        assertThat(rot.get("status")).isEqualTo("REVIEW");
        for (String f : List.of("jobs.csv", "exposures.csv", "rotation.csv", "coverage.csv", "report.json")) {
            assertThat(Files.readString(out.resolve(f))).as(f).doesNotContain("not-a-real-token");
        }
    }

    @Test
    void credentialIdInNoStoreIsMissing() {
        CSVRecord e = exposure("legacy-freestyle", "41", "retired-slack-webhook");
        assertThat(e.get("exposure")).isEqualTo("STEP");
        CSVRecord r = rotationRow("retired-slack-webhook");
        assertThat(r.get("status")).isEqualTo("MISSING");
        assertThat(rotationRow("codecov-token").get("status")).isEqualTo("REVIEW");
    }

    @Test
    void buildWhoseLogIsGoneIsProbableFromConfig() {
        CSVRecord r = one(jobs, "legacy-freestyle", "40");
        assertThat(r.get("verdict")).isEqualTo("RAN");
        assertThat(r.get("confidence")).isEqualTo("probable");
        assertThat(r.get("evidence")).contains("console log gone").contains("config.xml shell step 1");
        assertThat(rows(coverage, c -> c.get("project").equals("legacy-freestyle") && c.get("run_id").equals("40")))
                .extracting(c -> c.get("gap")).containsExactly("LOGS_EXPIRED");
        // A pipeline build whose log is gone: the Jenkinsfile at the build's revision decides, stage named via wfapi.
        CSVRecord p = one(jobs, "platform/api", "8");
        assertThat(p.get("confidence")).isEqualTo("probable");
        assertThat(p.get("evidence")).contains("Jenkinsfile@" + sim.commitSha("api", "c1").substring(0, 7) + ":17");
        assertThat(p.get("job_name")).isEqualTo("Coverage");
    }

    @Test
    void declarativePipelineInAFolderStepVersusJobCredentials() {
        CSVRecord r = one(jobs, "platform/api", "7");
        assertThat(r.get("verdict")).isEqualTo("RAN");
        assertThat(r.get("confidence")).isEqualTo("confirmed");
        assertThat(r.get("job_name")).isEqualTo("Coverage");
        assertThat(r.get("commit_sha")).isEqualTo(sim.commitSha("api", "c1"));
        assertThat(r.get("evidence")).contains("stage 'Coverage'");
        // withCredentials around the uploader's sh: STEP; bound only in the Build stage: JOB, from the folder store.
        assertThat(exposure("platform/api", "7", "codecov-token").get("exposure")).isEqualTo("STEP");
        CSVRecord npm = exposure("platform/api", "7", "platform-npm");
        assertThat(npm.get("exposure")).isEqualTo("JOB");
        assertThat(npm.get("scope_owner")).isEqualTo("platform");
        assertThat(npm.get("via")).contains("stage 'Build'");
        // Pipeline-level environment { X = credentials('id') } reaches every stage: STEP.
        CSVRecord sonar = exposure("platform/api", "7", "sonar-token");
        assertThat(sonar.get("exposure")).isEqualTo("STEP");
        assertThat(sonar.get("via")).contains("environment credentials");
    }

    @Test
    void stageEnvironmentCredentialElsewhereIsJob() {
        CSVRecord r = one(jobs, "deployer", "5");
        assertThat(r.get("verdict")).isEqualTo("RAN");
        assertThat(r.get("job_name")).isEqualTo("Coverage");
        CSVRecord aws = exposure("deployer", "5", "deploy-aws");
        assertThat(aws.get("exposure")).isEqualTo("JOB");
        assertThat(aws.get("via")).contains("stage 'Deploy'");
    }

    @Test
    void scriptedPipelineWithTheUploaderInAnUnusedBranchDidNotRun() {
        CSVRecord r = one(jobs, "scripted-unused", "12");
        assertThat(r.get("verdict")).isEqualTo("NOT_RUN");
        assertThat(r.get("confidence")).isEqualTo("confirmed");
        assertThat(r.get("evidence")).contains("shows no uploader run").contains("if (env.BRANCH_NAME");
        assertThat(rows(exposures, e -> e.get("project").equals("scripted-unused") && e.get("run_id").equals("12"))).isEmpty();
        // Builds #1-#11 are gone and an inline script keeps no history: its credentials go to review.
        assertThat(rows(exposures, e -> e.get("project").equals("scripted-unused") && e.get("run_id").isEmpty()))
                .extracting(e -> e.get("secret_name")).containsExactly("codecov-token");
    }

    @Test
    void branchJobOfAMultibranchProject() {
        CSVRecord r = one(jobs, "platform/mb/main", "3");
        assertThat(r.get("verdict")).isEqualTo("RAN");
        assertThat(r.get("branch")).isEqualTo("main");
        assertThat(r.get("job_name")).isEqualTo("Coverage");
        assertThat(exposure("platform/mb/main", "3", "codecov-token").get("exposure")).isEqualTo("STEP");
        // The branch built at the commit that dropped Codecov is not a row.
        assertThat(rows(jobs, j -> j.get("project").startsWith("platform/mb/feature"))).isEmpty();
    }

    @Test
    void all150BuildsInTheWindowOf500AreFoundWithoutReadingTheWholeHistory() {
        List<CSVRecord> busy = rows(jobs, j -> j.get("project").equals("platform/busy"));
        assertThat(busy).hasSize(150);
        assertThat(busy).allSatisfy(j -> {
            assertThat(j.get("verdict")).isEqualTo("RAN");
            assertThat(j.get("job_name")).isEqualTo("Upload");
        });
        assertThat(busy).extracting(j -> Integer.parseInt(j.get("run_id"))).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.rangeClosed(51, 200).boxed().toList());
        // Finding the window: the newest page, two gallop probes, one bisection probe, the two pages holding the
        // window. Then config.xml once, and per build: build JSON, console, wfapi.
        long listing = sim.requestCount(q -> q.path().equals("/job/platform/job/busy/api/json"));
        assertThat(listing).isEqualTo(6);
        assertThat(sim.requestCount(q -> q.path().startsWith("/job/platform/job/busy/"))).isEqualTo(6 + 1 + 150 * 3);
    }

    @Test
    void buildsAtBothWindowEdges() {
        assertThat(rows(jobs, j -> j.get("project").equals("platform/edges")))
                .extracting(j -> j.get("run_id") + " " + j.get("started_at"))
                .containsExactlyInAnyOrder("2 2021-01-31T00:00:00Z", "3 2021-04-02T06:59:59Z");
    }

    @Test
    void discardedBuildsAreACoverageGap() {
        // 25 retained builds, and one row for the discarded ones: config.xml keeps no history, so today's
        // definition's credentials are listed for review.
        assertThat(rows(jobs, j -> j.get("project").equals("platform/pruned"))).hasSize(26);
        assertThat(rows(jobs, j -> j.get("project").equals("platform/pruned") && j.get("basis").equals("commit-history")))
                .extracting(j -> j.get("verdict")).containsExactly("UNKNOWN");
        CSVRecord g = rows(coverage, c -> c.get("project").equals("platform/pruned")
                && c.get("gap").equals("BUILDS_DISCARDED")).get(0);
        assertThat(g.get("detail")).contains("5 build(s) #5-#9");
        assertThat(g.get("blocking")).isEqualTo("true");
    }

    @Test
    void requestCountIsReported() throws Exception {
        String json = Files.readString(out.resolve("report.json"));
        assertThat(json).contains("\"jenkins\"");
        assertThat(sim.requestCount()).isGreaterThan(0);
    }

    // ---------------------------------------------------------------- helpers

    record Run(int exit, String out, String err) { }

    /** An online scan of one simulated estate (the simulator left running for the caller to close), and its CSVs. */
    record Scanned(JenkinsSimulator sim, Path out, Run run, List<CSVRecord> jobs, List<CSVRecord> exposures,
                   List<CSVRecord> rotation, List<CSVRecord> coverage) { }

    /** Starts the simulator on src/test/resources/jenkins/{@code estate} and scans it into {@code dir}/out. */
    static Scanned scanEstate(String estate, Path dir) throws Exception {
        JenkinsSimulator sim = JenkinsSimulator.start(Path.of("src/test/resources/jenkins/" + estate));
        try {
            Path out = dir.resolve("out");
            Run r = run(new String[]{"scan", "--jenkins-url", sim.baseUrl(), "--out", out.toString(), "--quiet"}, ENV);
            return new Scanned(sim, out, r, csv(out.resolve("jobs.csv")), csv(out.resolve("exposures.csv")),
                    csv(out.resolve("rotation.csv")), csv(out.resolve("coverage.csv")));
        } catch (Exception | Error e) {
            sim.close();
            throw e;
        }
    }

    static Run run(String[] args, Map<String, String> env) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Main.run(args, env, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    static List<CSVRecord> csv(Path file) throws Exception {
        try (Reader r = Files.newBufferedReader(file)) {
            return new ArrayList<>(CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords());
        }
    }

    static List<CSVRecord> rows(List<CSVRecord> rows, Predicate<CSVRecord> p) {
        return rows.stream().filter(p).toList();
    }

    static CSVRecord one(List<CSVRecord> rows, String project, String runId) {
        List<CSVRecord> got = rows(rows, r -> r.get("project").equals(project) && r.get("run_id").equals(runId));
        assertThat(got).as(project + " #" + runId + " in " + rows).hasSize(1);
        return got.get(0);
    }

    static CSVRecord exposure(String project, String runId, String secret) {
        List<CSVRecord> got = rows(exposures, r -> r.get("project").equals(project) && r.get("run_id").equals(runId)
                && r.get("secret_name").equals(secret));
        assertThat(got).as(secret + " for " + project + " #" + runId + " in " + rows(exposures,
                r -> r.get("project").equals(project))).hasSize(1);
        return got.get(0);
    }

    static CSVRecord rotationRow(String secret) {
        List<CSVRecord> got = rows(rotation, r -> r.get("secret_name").equals(secret));
        assertThat(got).as(secret + " in rotation.csv").hasSize(1);
        return got.get(0);
    }
}
