package io.breachwalk.source.github;

import io.breachwalk.sim.github.EstateLoader;
import io.breachwalk.sim.github.GitHubSimulator;
import io.breachwalk.source.github.GitHubScanSupport.Scan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.breachwalk.source.github.GitHubScanSupport.is;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walk follows a repository script that a `run:` step calls (DESIGN 4.1: the uploader can hide in
 * `scripts/upload.sh`), reading it at the run's commit: the job is `possible`, with the script path in the evidence.
 */
class GitHubRepoScriptTest {
    @TempDir
    Path tmp;

    @Test
    void jobWhoseRunStepCallsAScriptThatCurlsTheUploaderIsPossibleWithTheScriptPath() throws Exception {
        try (GitHubSimulator sim = GitHubSimulator.start(EstateLoader.loadResource("github/script-estate.yaml"))) {
            Scan scan = GitHubScanSupport.scan(sim, sim.token("admin"), tmp.resolve("out"), "--github-org", "scripted",
                    "--api", "rest"); // counts the REST walk's file requests
            assertThat(scan.exit()).as(scan.err()).isEqualTo(1);
            Map<String, String> job = scan.one("jobs", is("project", "scripted/service", "run_id", "501"));
            assertThat(job.get("verdict")).isEqualTo("RAN");
            assertThat(job.get("confidence")).isEqualTo("possible");
            String sha7 = job.get("commit_sha").substring(0, 7);
            assertThat(job.get("evidence")).isEqualTo("step 4 \"Coverage\" success; .github/workflows/ci.yml@" + sha7
                    + ":11 run: ./scripts/coverage.sh -> script:scripts/coverage.sh:4 bash <(curl -s https://codecov.io/bash)"
                    + " -t \"$CODECOV_TOKEN\"");
            // The script's environment is the step's: its env secret is STEP; the later Sonar step's is JOB.
            assertThat(scan.one("exposures", is("run_id", "501", "secret_name", "CODECOV_TOKEN")).get("exposure"))
                    .isEqualTo("STEP");
            assertThat(scan.one("exposures", is("run_id", "501", "secret_name", "SONAR_TOKEN")).get("exposure"))
                    .isEqualTo("JOB");
            // At the second run's commit the script no longer fetches codecov.io/bash: nothing to judge, no row.
            assertThat(scan.rows("jobs", is("run_id", "502"))).isEmpty();
            // Each script is read once per commit, however many steps or runs call it.
            assertThat(sim.count("/repos/scripted/service/contents/scripts/coverage.sh.*")).isEqualTo(2);
        }
    }
}
