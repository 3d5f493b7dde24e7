package io.breachwalk.source.gitlab;

import io.breachwalk.sim.gitlab.GitLabSimulator;
import io.breachwalk.source.gitlab.GitLabScanTest.Scan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI against the demo's GitLab group (samples/gitlab/estate.yaml), as `breachwalk demo` scans it. */
class GitLabSampleScanTest {

    @TempDir
    static Path tmp;
    private static GitLabSimulator sim;
    private static Scan scan;

    @BeforeAll
    static void scanSample() {
        sim = GitLabSimulator.startSample();
        scan = GitLabScanTest.scan(sim, sim.token("demo"), tmp.resolve("out"), "--gitlab-group", "acme-platform");
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void everyJobWithTheUploaderAndItsVerdict() throws IOException {
        assertThat(scan.err()).isEmpty();
        // The group's four projects, each examined once (the unit driver counts them).
        assertThat(scan.out()).containsPattern("examined\\s+gitlab-ci\\s+4 projects,");
        assertThat(scan.csv("jobs").stream().map(r -> String.join("|", r.get("project"), r.get("run_id"),
                r.get("run_attempt"), r.get("job_name"), r.get("event"), r.get("verdict"), r.get("confidence"))))
                .containsExactly(
                        "acme-platform/backend/api|1100000201|1|coverage|push|NOT_RUN|confirmed",
                        "acme-platform/backend/api|1100000201|2|coverage|push|RAN|confirmed",
                        "acme-platform/backend/monorepo|1100000302|1|coverage|parent_pipeline|RAN|confirmed",
                        "acme-platform/web|1100000101|1|test|push|RAN|confirmed",
                        "acme-platform/web|1100000102|1|test|push|RAN|confirmed",
                        "acme-platform/web|1100000103|1|test|merge_request_event|RAN|confirmed",
                        "acme-platform/web|1100000104|1|test|schedule|RAN|probable");
    }

    @Test
    void theProtectedFileVariableReachesMainOnly() throws IOException {
        for (Map<String, String> job : scan.rows("jobs", r -> r.get("project").equals("acme-platform/web"))) {
            List<String> secrets = scan.secrets(job.get("job_id"));
            assertThat(secrets).contains("instance:127.0.0.1:INSTANCE_SENTRY_DSN:STEP",
                    "ephemeral:acme-platform/web:CI_JOB_TOKEN:STEP", "project:acme-platform/web:CODECOV_TOKEN:STEP");
            if (job.get("branch").equals("main")) {
                assertThat(secrets).contains("project:acme-platform/web:DEPLOY_SSH_KEY:STEP");
            } else {
                assertThat(secrets).noneMatch(s -> s.contains("DEPLOY_SSH_KEY"));
            }
            assertThat(secrets).as("the test job has no environment").noneMatch(s -> s.contains("PROD_DB_PASSWORD"));
        }
    }

    @Test
    void developerTokenListsNoVariablesAndSaysSo(@TempDir Path out) throws IOException {
        Scan dev = GitLabScanTest.scan(sim, sim.token("developer"), out, "--gitlab-group", "acme-platform");
        assertThat(dev.err()).isEmpty();
        assertThat(dev.rows("coverage", r -> r.get("gap").equals("SECRETS_UNLISTABLE"))).isNotEmpty()
                .allSatisfy(r -> assertThat(r.get("blocking")).isEqualTo("false"));
        assertThat(dev.csv("exposures")).isNotEmpty().noneMatch(r -> r.get("secret_scope").equals("project")
                || r.get("secret_scope").equals("group") || r.get("secret_scope").equals("instance"));
        assertThat(dev.csv("rotation")).filteredOn(r -> !r.get("secret_scope").equals("ephemeral"))
                .allSatisfy(r -> assertThat(r.get("status")).isEqualTo("REVIEW"));
    }
}
