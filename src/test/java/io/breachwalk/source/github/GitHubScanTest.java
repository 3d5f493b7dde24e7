package io.breachwalk.source.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwalk.sim.github.GitHubSimulator;
import io.breachwalk.sim.github.RecordedRequest;
import io.breachwalk.source.github.GitHubScanSupport.Scan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.breachwalk.source.github.GitHubScanSupport.is;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI against the simulated sample organization (samples/github/estate.yaml): one row-level assertion per case
 * of issue 2's "Done when" list. The scan runs once; each test reads the CSV files it wrote.
 */
class GitHubScanTest {
    private static final String JOBS = "jobs";
    private static final String EXPOSURES = "exposures";
    private static final String ROTATION = "rotation";
    private static final String COVERAGE = "coverage";

    @TempDir
    static Path tmp;
    private static GitHubSimulator sim;
    private static Scan scan;
    private static List<RecordedRequest> requests;

    @BeforeAll
    static void scanSample() {
        sim = GitHubSimulator.startSample();
        scan = GitHubScanSupport.scan(sim, sim.token("demo"), tmp.resolve("out"), "--github-org", "acme",
                "--api", "rest"); // several tests count the REST walk's requests
        requests = sim.requests();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static Map<String, String> job(String repo, String runId, int attempt, String name) throws Exception {
        return scan.one(JOBS, is("project", "acme/" + repo, "run_id", runId, "run_attempt", String.valueOf(attempt),
                "job_name", name));
    }

    private static List<Map<String, String>> exposures(String jobId) throws Exception {
        return scan.rows(EXPOSURES, is("job_id", jobId));
    }

    @Test
    void exitsThreeBecauseOfTheMissingWorkflowAndWritesTheFiveFiles() {
        assertThat(scan.exit()).as(scan.err()).isEqualTo(3);
        for (String f : List.of("jobs.csv", "exposures.csv", "rotation.csv", "coverage.csv", "report.json")) {
            assertThat(scan.dir().resolve(f)).exists();
        }
        assertThat(scan.err()).isEmpty();
        assertThat(scan.out()).contains("github-actions").contains("INCOMPLETE");
    }

    @Test
    void matrixJobThatRanTheActionAndTheSameWorkflowsLintJobIsNotListed() throws Exception {
        Map<String, String> ran = job("web-app", "1101", 1, "test (12)");
        assertThat(ran.get("verdict")).isEqualTo("RAN");
        assertThat(ran.get("confidence")).isEqualTo("confirmed");
        String sha7 = ran.get("commit_sha").substring(0, 7);
        assertThat(ran.get("evidence")).isEqualTo("step 5 \"Run codecov/codecov-action@v1\" success; "
                + ".github/workflows/ci.yml@" + sha7 + ":23 uses: codecov/codecov-action@v1");
        assertThat(ran.get("pipeline")).isEqualTo(".github/workflows/ci.yml");
        assertThat(ran.get("host")).isEqualTo("127.0.0.1");
        assertThat(ran.get("url")).isEqualTo("https://github.example/acme/web-app/actions/runs/1101/job/" + ran.get("job_id"));
        // The other matrix cell failed in the upload step: it still ran.
        Map<String, String> failed = job("web-app", "1101", 1, "test (14)");
        assertThat(failed.get("verdict")).isEqualTo("RAN");
        assertThat(failed.get("evidence")).startsWith("step 5 \"Run codecov/codecov-action@v1\" failure;");
        assertThat(scan.rows(JOBS, is("project", "acme/web-app", "job_name", "lint"))).isEmpty();
    }

    @Test
    void skippedIfStepIsNotRun() throws Exception {
        for (String cell : List.of("test (12)", "test (14)")) {
            Map<String, String> row = job("web-app", "1102", 1, cell);
            assertThat(row.get("verdict")).isEqualTo("NOT_RUN");
            assertThat(row.get("confidence")).isEqualTo("confirmed");
            assertThat(row.get("evidence")).startsWith("step 5 \"Run codecov/codecov-action@v1\" skipped;");
            assertThat(exposures(row.get("job_id"))).isEmpty();
        }
    }

    @Test
    void reRunAttemptsAreJudgedEachOnTheirOwn() throws Exception {
        Map<String, String> first = job("web-app", "1103", 1, "test (12)");
        Map<String, String> rerun = job("web-app", "1103", 2, "test (12)");
        assertThat(first.get("verdict")).isEqualTo("NOT_RUN");
        assertThat(rerun.get("verdict")).isEqualTo("RAN");
        assertThat(rerun.get("started_at")).isEqualTo("2021-03-01T10:30:03Z");
        assertThat(exposures(first.get("job_id"))).isEmpty();
        assertThat(exposures(rerun.get("job_id"))).isNotEmpty();
    }

    @Test
    void runCreatedBeforeTheWindowCountsOnlyForTheAttemptInside() throws Exception {
        List<Map<String, String>> rows = scan.rows(JOBS, is("project", "acme/web-app", "run_id", "1104"));
        assertThat(rows).extracting(r -> r.get("run_attempt")).containsExactly("2");
        assertThat(rows.get(0).get("verdict")).isEqualTo("RAN");
        assertThat(rows.get(0).get("started_at")).isEqualTo("2021-02-02T12:00:03Z");
    }

    @Test
    void windowEdgesStartInclusiveEndExclusive() throws Exception {
        assertThat(scan.rows(JOBS, is("run_id", "1105"))).isEmpty(); // 2021-01-30T23:59:59Z
        assertThat(job("web-app", "1106", 1, "test (12)").get("started_at")).isEqualTo("2021-01-31T00:00:00Z");
        assertThat(job("web-app", "1107", 1, "test (12)").get("started_at")).isEqualTo("2021-04-02T06:59:59Z");
        assertThat(scan.rows(JOBS, is("run_id", "1108"))).isEmpty(); // 2021-04-02T07:00:00Z
    }

    @Test
    void actionVersionsAndPythonPackage() throws Exception {
        assertThat(job("lib-python", "1301", 1, "action-v1013").get("verdict")).isEqualTo("RAN");
        Map<String, String> sha = job("lib-python", "1301", 1, "action-sha");
        assertThat(sha.get("verdict")).isEqualTo("RAN");
        assertThat(sha.get("evidence")).contains("uses: codecov/codecov-action@5b42a305f9b0d36328f0236b9e979e99749b036c");
        // @v2 and the Python package do not run the Bash Uploader: no rows, no exposures.
        assertThat(scan.rows(JOBS, is("job_name", "action-v2"))).isEmpty();
        assertThat(scan.rows(JOBS, is("job_name", "python-package"))).isEmpty();
        // @v1 itself is covered by web-app.
        assertThat(scan.rows(JOBS, r -> r.get("evidence").contains("uses: codecov/codecov-action@v1;")
                || r.get("evidence").endsWith("uses: codecov/codecov-action@v1"))).isNotEmpty();
    }

    @Test
    void curlBashInRunStepWithSecretsExportedThroughGitHubEnv() throws Exception {
        Map<String, String> build = job("api", "1202", 1, "build");
        assertThat(build.get("verdict")).isEqualTo("RAN");
        assertThat(build.get("evidence")).contains("step 6 \"Upload coverage\" success")
                .contains("run: bash <(curl -s https://codecov.io/bash)");
        Map<String, Map<String, String>> byName = exposures(build.get("job_id")).stream()
                .collect(Collectors.toMap(r -> r.get("secret_name"), r -> r));
        assertThat(byName.get("AWS_SECRET_ACCESS_KEY").get("exposure")).isEqualTo("STEP");
        assertThat(byName.get("AWS_SECRET_ACCESS_KEY").get("via"))
                .isEqualTo("$GITHUB_ENV from step \"Configure AWS credentials\" (aws-secret-access-key)");
        assertThat(byName.get("DEPLOY_TOKEN").get("via")).isEqualTo("$GITHUB_ENV from step \"Export deploy token\"");
        assertThat(byName.get("CODECOV_TOKEN").get("via")).isEqualTo("run: script");
        // A secret of a later step is in the job, not in the uploader's environment.
        assertThat(byName.get("SLACK_WEBHOOK_URL").get("exposure")).isEqualTo("JOB");
        assertThat(byName.get("GITHUB_TOKEN").get("secret_scope")).isEqualTo("ephemeral");
    }

    @Test
    void environmentSecretShadowsRepositorySecret() throws Exception {
        assertThat(scan.rows(EXPOSURES, is("project", "acme/api", "secret_name", "AWS_ACCESS_KEY_ID")))
                .isNotEmpty()
                .allSatisfy(r -> {
                    assertThat(r.get("secret_scope")).isEqualTo("environment");
                    assertThat(r.get("scope_owner")).isEqualTo("acme/api:production");
                });
        Map<String, String> rot = scan.one(ROTATION, is("scope_owner", "acme/api:production",
                "secret_name", "AWS_ACCESS_KEY_ID"));
        assertThat(rot.get("secret_updated_at")).isEqualTo("2020-10-01T00:00:00Z");
        assertThat(rot.get("status")).isEqualTo("ROTATE");
        assertThat(rot.get("priority")).isEqualTo("P1");
    }

    @Test
    void organizationSecretWithSelectedVisibility() throws Exception {
        Map<String, String> rot = scan.one(ROTATION, is("secret_name", "DEPLOY_TOKEN"));
        assertThat(rot.get("secret_scope")).isEqualTo("organization");
        assertThat(rot.get("scope_owner")).isEqualTo("acme");
        assertThat(rot.get("secret_updated_at")).isEqualTo("2020-11-02T09:00:00Z");
        assertThat(rot.get("jobs_exposed")).isEqualTo("2");
    }

    @Test
    void secretUpdatedAfterTheExposureIsRotated() throws Exception {
        Map<String, String> rot = scan.one(ROTATION, is("scope_owner", "acme/api", "secret_name", "CODECOV_TOKEN"));
        assertThat(rot.get("status")).isEqualTo("ROTATED");
        assertThat(rot.get("priority")).isEqualTo("P4");
        assertThat(rot.get("last_exposed_at")).isEqualTo("2021-03-09T15:00:03Z");
        // The same name in web-app was not changed since: ROTATE, the repository secret shadowing the org one.
        Map<String, String> web = scan.one(ROTATION, is("scope_owner", "acme/web-app", "secret_name", "CODECOV_TOKEN"));
        assertThat(web.get("status")).isEqualTo("ROTATE");
        assertThat(scan.rows(ROTATION, is("scope_owner", "acme", "secret_name", "CODECOV_TOKEN"))).isEmpty();
    }

    @Test
    void stepAndJobExposuresOfTheMatrixJob() throws Exception {
        Map<String, Map<String, String>> byName = exposures(job("web-app", "1101", 1, "test (12)").get("job_id"))
                .stream().collect(Collectors.toMap(r -> r.get("secret_name"), r -> r));
        assertThat(byName.keySet()).containsExactlyInAnyOrder("CODECOV_TOKEN", "NPM_TOKEN", "GITHUB_TOKEN",
                "ACTIONS_RUNTIME_TOKEN");
        assertThat(byName.get("CODECOV_TOKEN").get("exposure")).isEqualTo("STEP");
        assertThat(byName.get("CODECOV_TOKEN").get("via")).isEqualTo("workflow env CODECOV_TOKEN");
        assertThat(byName.get("NPM_TOKEN").get("exposure")).isEqualTo("JOB");
        assertThat(byName.get("NPM_TOKEN").get("via")).isEqualTo("step env NODE_AUTH_TOKEN");
        assertThat(byName.get("ACTIONS_RUNTIME_TOKEN").get("exposure")).isEqualTo("STEP");
        Map<String, String> npm = scan.one(ROTATION, is("scope_owner", "acme/web-app", "secret_name", "NPM_TOKEN"));
        assertThat(npm.get("priority")).isEqualTo("P3");
        assertThat(npm.get("jobs_exposed")).isEqualTo("6");
    }

    @Test
    void withInputIsAStepExposure() throws Exception {
        Map<String, String> row = scan.one(EXPOSURES, is("project", "acme/lib-python", "run_id", "1301",
                "secret_name", "CODECOV_TOKEN"));
        assertThat(row.get("exposure")).isEqualTo("STEP");
        assertThat(row.get("via")).isEqualTo("with: token (INPUT_TOKEN)");
    }

    @Test
    void forkPullRequestGetsNoSecretsOnlyAReadOnlyToken() throws Exception {
        Map<String, String> row = job("lib-python", "1302", 1, "action-v1013");
        assertThat(row.get("verdict")).isEqualTo("RAN");
        assertThat(row.get("event")).isEqualTo("pull_request");
        List<Map<String, String>> exposed = exposures(row.get("job_id"));
        assertThat(exposed).extracting(r -> r.get("secret_name"))
                .containsExactlyInAnyOrder("GITHUB_TOKEN", "ACTIONS_RUNTIME_TOKEN");
        assertThat(exposed).allSatisfy(r -> assertThat(r.get("secret_scope")).isEqualTo("ephemeral"));
        assertThat(exposed).anySatisfy(r -> assertThat(r.get("via")).contains("fork mallory/lib-python"));
    }

    @Test
    void workflowThatGainedAndLostCodecovCountsOnlyAtTheCommitThatHadIt() throws Exception {
        List<Map<String, String>> rows = scan.rows(JOBS, is("project", "acme/mobile", "pipeline",
                ".github/workflows/coverage.yml"));
        assertThat(rows).extracting(r -> r.get("run_id")).containsExactly("1402");
        assertThat(rows.get(0).get("evidence")).contains("run: curl -s https://codecov.io/bash | bash");
        // The job env secret reached the uploader.
        assertThat(scan.one(EXPOSURES, is("run_id", "1402", "secret_name", "SIGNING_KEY_PASSWORD")).get("exposure"))
                .isEqualTo("STEP");
    }

    @Test
    void missingWorkflowFileAtTheRunsCommitIsABlockingGapAndTheWalkGoesOn() throws Exception {
        Map<String, String> gap = scan.one(COVERAGE, is("gap", "CONFIG_NOT_FOUND"));
        assertThat(gap.get("project")).isEqualTo("acme/mobile");
        assertThat(gap.get("run_id")).isEqualTo("1404");
        assertThat(gap.get("blocking")).isEqualTo("true");
        assertThat(gap.get("detail")).startsWith(".github/workflows/release.yml not found at ")
                .endsWith(": 1 of its 1 job(s) in the window could not be judged from their step records (UNKNOWN)");
        // Its job is listed all the same: no step record names the uploader, so it stays UNKNOWN, and says why.
        Map<String, String> release = job("mobile", "1404", 1, "release");
        assertThat(release.get("verdict")).isEqualTo("UNKNOWN");
        assertThat(release.get("evidence")).isEqualTo("workflow file not readable at "
                + release.get("commit_sha").substring(0, 7) + "; none of its 3 step records names the uploader "
                + "(a record shows only a step's name or its command's first line)");
        assertThat(scan.rows(EXPOSURES, is("run_id", "1404"))).isEmpty();
        // Repositories after it (alphabetically web-app) were still walked.
        assertThat(scan.rows(JOBS, is("project", "acme/web-app"))).isNotEmpty();
    }

    @Test
    void compositeActionAndReusableWorkflowAreFollowed() throws Exception {
        Map<String, String> composite = job("docs", "1501", 1, "build");
        assertThat(composite.get("verdict")).isEqualTo("RAN");
        assertThat(composite.get("evidence")).contains("uses: ./.github/actions/coverage -> "
                + ".github/actions/coverage/action.yml:9 run: bash <(curl -s https://codecov.io/bash)");
        assertThat(scan.one(EXPOSURES, is("job_id", composite.get("job_id"), "secret_name", "CODECOV_TOKEN"))
                .get("via")).isEqualTo("with: token (INPUT_TOKEN)");
        Map<String, String> reusable = job("docs", "1501", 1, "publish / upload");
        assertThat(reusable.get("verdict")).isEqualTo("RAN");
        assertThat(reusable.get("evidence")).contains(".github/workflows/upload.yml@");
        assertThat(scan.one(EXPOSURES, is("job_id", reusable.get("job_id"), "secret_name", "DOCS_DEPLOY_KEY"))
                .get("exposure")).isEqualTo("STEP");
    }

    @Test
    void survivingLogUpgradesEvidenceAndExpiredLogsAreANonBlockingGap() throws Exception {
        Map<String, String> withLog = job("api", "1201", 1, "build");
        assertThat(withLog.get("evidence")).endsWith("; log: Bash-20210309-8a0b2a1");
        Map<String, String> gap = scan.one(COVERAGE, is("project", "acme/api", "gap", "LOGS_EXPIRED"));
        assertThat(gap.get("blocking")).isEqualTo("false");
        assertThat(gap.get("detail")).contains("run 1202");
    }

    @Test
    void jobsAreFetchedOnlyForRunsWhoseWorkflowReferencesAnIndicator() {
        // mobile: runs 1401 and 1403 are at commits without Codecov; 1404 has no workflow file, so its jobs'
        // step records are all there is to judge it by.
        assertThat(paths("/repos/acme/mobile/actions/runs/\\d+/jobs")).containsExactlyInAnyOrder(
                "/repos/acme/mobile/actions/runs/1402/jobs", "/repos/acme/mobile/actions/runs/1404/jobs");
        // Every other jobs request belongs to a run whose workflow at that commit references an indicator.
        assertThat(requests.stream().filter(r -> r.path().endsWith("/jobs")).count()).isEqualTo(15);
    }

    @Test
    void eachWorkflowFileIsFetchedOncePerCommitAndPath() {
        Map<String, Long> contents = requests.stream().filter(r -> r.path().contains("/contents/"))
                .collect(Collectors.groupingBy(RecordedRequest::pathAndQuery, Collectors.counting()));
        assertThat(contents).allSatisfy((url, n) -> assertThat(n).as(url).isEqualTo(1L));
        // web-app has 8 runs at one commit: one read of ci.yml.
        assertThat(contents.keySet().stream().filter(u -> u.startsWith("/repos/acme/web-app/"))).hasSize(1);
    }

    @Test
    void reportCountsEveryRequestTheSimulatorAnswered() throws Exception {
        JsonNode report = new ObjectMapper().readTree(scan.dir().resolve("report.json").toFile());
        assertThat(report.at("/summary/api_requests").asLong()).isEqualTo(requests.size());
        assertThat(report.at("/summary/examined/github-actions/api_requests").asLong()).isEqualTo(requests.size());
        // The repositories whose runs reach the window cost what they did before the commit-history fallback.
        assertThat(requests.stream().filter(r -> !r.path().contains("/legacy")).count()).isLessThan(60);
    }

    @Test
    void expiredRunsFallBackToTheCommitHistory() throws Exception {
        Map<String, String> cov = scan.one(JOBS, is("project", "acme/legacy"));
        assertThat(cov.get("job_name")).isEqualTo("coverage");
        assertThat(cov.get("basis")).isEqualTo("commit-history");
        assertThat(cov.get("verdict")).isEqualTo("RAN");
        assertThat(cov.get("confidence")).isEqualTo("probable");
        assertThat(cov.get("branch")).isEqualTo("main");
        assertThat(cov.get("started_at")).isEqualTo("2021-01-31T00:00:00Z");
        assertThat(scan.rows(ROTATION, is("scope_owner", "acme/legacy"))).extracting(r -> r.get("secret_name"))
                .contains("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "NPM_TOKEN").doesNotContain("LINT_TOKEN");
        Map<String, String> gap = scan.one("coverage", is("project", "acme/legacy", "gap", "RUNS_EXPIRED"));
        assertThat(gap.get("blocking")).isEqualTo("false");
        assertThat(gap.get("detail")).contains("the oldest run listed was created 2025-01-06T09:00:00Z");
        // The gap counts the fallback's requests: every request about legacy but its run listing and secrets.
        long fallback = requests.stream().filter(r -> r.path().contains("/legacy") && !r.path().contains("secrets")
                && !r.pathAndQuery().contains("created=2021")).count();
        assertThat(gap.get("detail")).contains("; " + fallback + " request(s))");
    }

    @Test
    void tokenNeverReachesTheReports() throws Exception {
        for (String f : List.of("jobs.csv", "exposures.csv", "rotation.csv", "coverage.csv", "report.json")) {
            assertThat(Files.readString(scan.dir().resolve(f))).doesNotContain(sim.token("demo"));
        }
    }

    private static List<String> paths(String regex) {
        return requests.stream().map(RecordedRequest::path).filter(p -> p.matches(regex)).toList();
    }
}
