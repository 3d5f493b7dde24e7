package io.breachwalk.source.github;

import io.breachwalk.sim.github.EstateLoader;
import io.breachwalk.sim.github.GitHubSimulator;
import io.breachwalk.source.github.GitHubScanSupport.Scan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.breachwalk.source.github.GitHubScanSupport.is;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9: a run whose workflow file is not at its commit still has its jobs listed, judged from their step records
 * (and a surviving log), with the CONFIG_NOT_FOUND gap kept; `scan --offline` gives the same rows from the evidence.
 */
class UnreadableWorkflowScanTest {
    private static final String VIA = "workflow file unreadable: every secret of the repository may have been in scope";

    @TempDir
    static Path tmp;
    private static GitHubSimulator sim;
    private static Scan scan;

    @BeforeAll
    static void scanEstate() {
        sim = GitHubSimulator.start(EstateLoader.loadResource("github/unreadable-estate.yaml"));
        scan = GitHubScanSupport.scan(sim, sim.token("admin"), tmp.resolve("out"), "--github-org", "lost");
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static Map<String, String> job(String runId, int attempt, String name) throws Exception {
        return scan.one("jobs", is("run_id", runId, "run_attempt", String.valueOf(attempt), "job_name", name));
    }

    private static String sha7() throws Exception {
        return job("2001", 1, "test").get("commit_sha").substring(0, 7);
    }

    @Test
    void uploaderStepThatSucceededIsRanProbableWithTheStepRecordAsEvidence() throws Exception {
        Map<String, String> ran = job("2001", 1, "test");
        assertThat(ran.get("verdict")).isEqualTo("RAN");
        assertThat(ran.get("confidence")).isEqualTo("probable");
        assertThat(ran.get("pipeline")).isEqualTo(".github/workflows/ci.yml");
        assertThat(ran.get("evidence")).isEqualTo("workflow file not readable at " + sha7()
                + "; step 4 \"Run codecov/codecov-action@v1\" success");
    }

    @Test
    void everyOtherJobIsListedUnknownAndSaysWhy() throws Exception {
        Map<String, String> lint = job("2001", 1, "lint");
        assertThat(lint.get("verdict")).isEqualTo("UNKNOWN");
        assertThat(lint.get("evidence")).isEqualTo("workflow file not readable at " + sha7()
                + "; none of its 4 step records names the uploader (a record shows only a step's name or its "
                + "command's first line)");
        // Every attempt is judged: the re-run skipped the upload step, which leaves the job unknown, not NOT_RUN.
        Map<String, String> rerun = job("2001", 2, "test");
        assertThat(rerun.get("verdict")).isEqualTo("UNKNOWN");
        assertThat(rerun.get("evidence")).contains("step 4 \"Run codecov/codecov-action@v1\" skipped, and no other "
                + "step record names the uploader");
        Map<String, String> newer = job("2003", 1, "newer");
        assertThat(newer.get("verdict")).isEqualTo("UNKNOWN");
        assertThat(newer.get("evidence")).contains("codecov/codecov-action@v2 is not an affected version");
    }

    @Test
    void pinnedReleaseAndAScriptInTheStepNameAreRecognised() throws Exception {
        Map<String, String> pinned = job("2003", 1, "pinned");
        assertThat(pinned.get("verdict")).isEqualTo("RAN");
        assertThat(pinned.get("confidence")).isEqualTo("probable");
        assertThat(pinned.get("evidence")).endsWith("\"Run codecov/codecov-action@v1.0.13\" success");
        Map<String, String> named = job("2003", 1, "named");
        assertThat(named.get("verdict")).isEqualTo("RAN");
        assertThat(named.get("evidence")).endsWith("\"Upload with codecov.io/bash\" success");
    }

    @Test
    void aSurvivingLogConfirms() throws Exception {
        Map<String, String> curl = job("2002", 1, "coverage");
        assertThat(curl.get("verdict")).isEqualTo("RAN");
        assertThat(curl.get("confidence")).isEqualTo("confirmed");
        assertThat(curl.get("evidence")).isEqualTo("workflow file not readable at " + sha7()
                + "; step 3 \"Run curl -s https://codecov.io/bash | bash\" success; log: Bash-20210309-8a0b2a1");
    }

    @Test
    void everySecretTheRepositoryCanSeeIsAStepExposureOfARanJob() throws Exception {
        String jobId = job("2001", 1, "test").get("job_id");
        List<Map<String, String>> exposed = scan.rows("exposures", is("job_id", jobId));
        assertThat(exposed).extracting(r -> r.get("secret_name")).containsExactlyInAnyOrder(
                "CODECOV_TOKEN", "AWS_SECRET_ACCESS_KEY", "DEPLOY_TOKEN", "GITHUB_TOKEN", "ACTIONS_RUNTIME_TOKEN");
        Map<String, String> aws = scan.one("exposures", is("job_id", jobId, "secret_name", "AWS_SECRET_ACCESS_KEY"));
        assertThat(aws.get("exposure")).isEqualTo("STEP");
        assertThat(aws.get("via")).isEqualTo(VIA);
        assertThat(aws.get("secret_scope")).isEqualTo("repository");
        assertThat(scan.one("exposures", is("job_id", jobId, "secret_name", "DEPLOY_TOKEN")).get("secret_scope"))
                .isEqualTo("organization");
        assertThat(scan.one("rotation", is("secret_name", "AWS_SECRET_ACCESS_KEY")).get("status")).isEqualTo("ROTATE");
        // A job not judged RAN exposes nothing.
        assertThat(scan.rows("exposures", is("job_id", job("2001", 1, "lint").get("job_id")))).isEmpty();
    }

    @Test
    void theGapStaysBlockingWhileAJobIsUnknownAndIsNotWhenEveryJobRan() throws Exception {
        assertThat(scan.exit()).as(scan.err()).isEqualTo(3);
        Map<String, String> open = scan.one("coverage", is("gap", "CONFIG_NOT_FOUND", "run_id", "2001"));
        assertThat(open.get("blocking")).isEqualTo("true");
        assertThat(open.get("detail")).isEqualTo(".github/workflows/ci.yml not found at " + sha7()
                + ": 2 of its 3 job(s) in the window could not be judged from their step records (UNKNOWN)");
        Map<String, String> settled = scan.one("coverage", is("gap", "CONFIG_NOT_FOUND", "run_id", "2002"));
        assertThat(settled.get("blocking")).isEqualTo("false");
    }

    @Test
    void offlineReanalysisGivesTheSameRows() throws Exception {
        Scan offline = GitHubScanSupport.run(List.of("scan", "--quiet", "--offline",
                scan.dir().resolve("evidence").toString(), "--out", tmp.resolve("offline").toString()), Map.of(),
                tmp.resolve("offline"));
        assertThat(offline.exit()).as(offline.err()).isEqualTo(3);
        for (String csv : List.of("jobs.csv", "exposures.csv", "rotation.csv")) {
            assertThat(Files.readString(offline.dir().resolve(csv))).as(csv)
                    .isEqualTo(Files.readString(scan.dir().resolve(csv)));
        }
        assertThat(offline.rows("coverage", is("gap", "CONFIG_NOT_FOUND", "run_id", "2001")))
                .singleElement().satisfies(g -> assertThat(g.get("blocking")).isEqualTo("true"));
    }
}
