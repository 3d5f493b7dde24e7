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
 * Issue 10: where GitHub no longer keeps the runs (or their jobs), silence is not read as "nothing ran": the
 * configuration in effect is read from the commit history and its jobs are listed with basis commit-history.
 */
class ExpiredHistoryScanTest {
    @TempDir
    static Path tmp;
    private static GitHubSimulator sim;
    private static Scan scan;

    @BeforeAll
    static void scanEstate() {
        sim = GitHubSimulator.start(EstateLoader.loadResource("github/history-estate.yaml"));
        scan = GitHubScanSupport.scan(sim, sim.token("admin"), tmp.resolve("out"), "--github-org", "gone");
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static List<Map<String, String>> jobs(String repo) throws Exception {
        return scan.rows("jobs", is("project", "gone/" + repo));
    }

    @Test
    void anExpiredRepositoryListsItsUploaderJobFromTheCommitHistory() throws Exception {
        assertThat(scan.exit()).as(scan.err()).isEqualTo(1);
        List<Map<String, String>> rows = jobs("expired-app");
        assertThat(rows).extracting(r -> r.get("job_name")).containsExactly("coverage");
        Map<String, String> cov = rows.get(0);
        assertThat(cov.get("basis")).isEqualTo("commit-history");
        assertThat(cov.get("verdict")).isEqualTo("RAN");
        assertThat(cov.get("confidence")).isEqualTo("probable");
        assertThat(cov.get("branch")).isEqualTo("main");
        assertThat(cov.get("run_id")).isEmpty();
        assertThat(cov.get("started_at")).isEqualTo("2021-01-31T00:00:00Z");
        assertThat(cov.get("event")).isEqualTo("push");
        assertThat(cov.get("evidence")).startsWith("commit history: in effect on main from 2021-01-31T00:00:00Z to "
                + "2021-04-02T07:00:00Z, push runs the step unconditionally; .github/workflows/ci.yml@");

        List<Map<String, String>> rotate = scan.rows("rotation", is("scope_owner", "gone/expired-app"));
        assertThat(rotate).extracting(r -> r.get("secret_name"))
                .contains("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY").doesNotContain("NPM_TOKEN");
        assertThat(scan.one("rotation", is("scope_owner", "gone/expired-app", "secret_name", "AWS_ACCESS_KEY_ID"))
                .get("status")).isEqualTo("ROTATE");

        Map<String, String> gap = scan.one("coverage", is("project", "gone/expired-app", "gap", "RUNS_EXPIRED"));
        assertThat(gap.get("blocking")).isEqualTo("false");
        assertThat(gap.get("detail")).contains("oldest run listed was created 2025-07-01T10:00:00Z")
                .contains("request(s)");
    }

    @Test
    void aCommitInsideTheWindowStartsTheConfigurationThenAndAMatrixJobIsOneRow() throws Exception {
        Map<String, String> test = scan.one("jobs", is("project", "gone/matrix-app", "job_name", "test"));
        assertThat(test.get("job_name")).isEqualTo("test");
        assertThat(test.get("started_at")).isEqualTo("2021-02-20T10:00:00Z");
        assertThat(test.get("verdict")).isEqualTo("RAN");
        assertThat(test.get("basis")).isEqualTo("commit-history");
        assertThat(scan.one("rotation", is("scope_owner", "gone/matrix-app", "secret_name", "CODECOV_TOKEN"))
                .get("status")).isEqualTo("ROTATE");
    }

    @Test
    void conditionsTheTriggersCannotMeetRuleAJobOutAndOthersMakeItPossible() throws Exception {
        Map<String, String> nightly = scan.one("jobs", is("project", "gone/matrix-app", "job_name", "nightly"));
        assertThat(nightly.get("verdict")).isEqualTo("NOT_RUN");
        assertThat(nightly.get("evidence")).contains("on push the condition `if: github.event_name == 'schedule'` is false; ");
        assertThat(scan.rows("rotation", is("scope_owner", "gone/matrix-app", "secret_name", "NIGHTLY_TOKEN"))).isEmpty();
        Map<String, String> tagged = scan.one("jobs", is("project", "gone/matrix-app", "job_name", "tagged"));
        assertThat(tagged.get("verdict")).isEqualTo("RAN");
        assertThat(tagged.get("confidence")).isEqualTo("possible");
    }

    @Test
    void archivedJobsAreJudgedFromEachRunsEventAgainstTheUploadersCondition() throws Exception {
        Map<String, String> push = scan.one("jobs", is("project", "gone/archived-app", "run_id", "3101"));
        assertThat(push.get("verdict")).isEqualTo("RAN");
        assertThat(push.get("basis")).isEqualTo("commit-history");
        assertThat(push.get("event")).isEqualTo("push");
        Map<String, String> pr = scan.one("jobs", is("project", "gone/archived-app", "run_id", "3102"));
        assertThat(pr.get("verdict")).isEqualTo("NOT_RUN");
        assertThat(pr.get("evidence")).contains("github.event_name == 'push'");
        Map<String, String> gap = scan.one("coverage", is("project", "gone/archived-app", "gap", "JOBS_ARCHIVED"));
        assertThat(gap.get("blocking")).isEqualTo("false");
        assertThat(scan.rows("coverage", is("project", "gone/archived-app", "gap", "RUNS_EXPIRED"))).isEmpty();
    }

    @Test
    void eachBranchVersionRunsFromWhenItCameIntoEffectToItsNextChange() throws Exception {
        Map<String, String> main = scan.one("jobs", is("project", "gone/branches-app", "branch", "main"));
        assertThat(main.get("started_at")).isEqualTo("2021-01-31T00:00:00Z");
        assertThat(main.get("evidence")).contains("in effect on main from 2021-01-31T00:00:00Z to 2021-03-01T10:00:00Z");
        Map<String, String> release = scan.one("jobs", is("project", "gone/branches-app", "branch", "release"));
        assertThat(release.get("evidence")).contains("to 2021-04-02T07:00:00Z");
        List<Map<String, String>> added = scan.rows("jobs", is("project", "gone/branches-app", "branch", "addcov",
                "event", "push"));
        assertThat(added).extracting(r -> r.get("started_at") + " " + r.get("evidence").replaceAll(".* from (\\S+) to (\\S+), .*", "$1..$2"))
                .containsExactlyInAnyOrder("2021-01-31T00:00:00Z 2021-01-31T00:00:00Z..2021-03-01T10:00:00Z",
                        "2021-03-10T10:00:00Z 2021-03-10T10:00:00Z..2021-04-02T07:00:00Z");
        Map<String, String> pull = scan.one("jobs", is("project", "gone/branches-app", "event", "pull_request"));
        assertThat(pull.get("started_at")).isEqualTo("2021-03-10T12:00:00Z");
        assertThat(pull.get("evidence")).contains("open from 2021-03-10T12:00:00Z to 2021-03-12T12:00:00Z");

        // Changed after main dropped the uploader, and no other configuration held it: rotated.
        assertThat(scan.one("rotation", is("scope_owner", "gone/branches-app", "secret_name", "ONLY_MAIN_TOKEN"))
                .get("status")).isEqualTo("ROTATED");
        // Changed at the same time, but release kept running it to the window's end: still to rotate.
        assertThat(scan.one("rotation", is("scope_owner", "gone/branches-app", "secret_name", "SHARED_TOKEN"))
                .get("status")).isEqualTo("ROTATE");
        assertThat(scan.one("rotation", is("scope_owner", "gone/branches-app", "secret_name", "ADDED_TOKEN"))
                .get("status")).isEqualTo("ROTATE");
    }

    @Test
    void aConfigurationSharedByBranchesAndAPullRequestIsCountedOnce() throws Exception {
        // main and addcov share r0 and x1, addcov and pull request 7 share f1; release has rel1.
        Map<String, String> gap = scan.one("coverage", is("project", "gone/branches-app", "gap", "RUNS_EXPIRED"));
        assertThat(gap.get("detail")).contains("(4 configuration(s) on the branches and pull request heads");
    }

    @Test
    void offlineTheStoredCommitHistoryGivesTheSameRows(@TempDir Path out) throws Exception {
        Scan offline = GitHubScanSupport.run(List.of("scan", "--offline", scan.dir().resolve("evidence").toString(),
                "--out", out.toString(), "--quiet"), Map.of(), out);
        assertThat(offline.exit()).as(offline.err()).isEqualTo(1);
        for (String f : List.of("jobs.csv", "exposures.csv", "rotation.csv", "coverage.csv")) {
            assertThat(Files.readString(out.resolve(f)).replaceAll("(?m)^.*OFFLINE_REANALYSIS.*\n", "")).as(f)
                    .isEqualTo(Files.readString(scan.dir().resolve(f)));
        }
    }

    @Test
    void whenTheCommitHistoryCannotBeReadTheGapBlocks(@TempDir Path out) throws Exception {
        Scan broken = GitHubScanSupport.scan(sim, sim.token("admin"), out, "--github-org", "broken", "--retries", "1");
        assertThat(broken.exit()).as(broken.err() + broken.csv("coverage")).isEqualTo(3);
        assertThat(broken.csv("jobs")).isEmpty();
        Map<String, String> gap = broken.one("coverage", is("project", "broken/app", "gap", "RUNS_EXPIRED"));
        assertThat(gap.get("blocking")).isEqualTo("true");
        assertThat(gap.get("detail")).contains("commit history could not be read");
        Map<String, String> archived = broken.one("coverage", is("project", "broken/archived-unreadable",
                "gap", "CONFIG_NOT_FOUND"));
        assertThat(archived.get("gap")).isEqualTo("CONFIG_NOT_FOUND");
        assertThat(archived.get("run_id")).isEqualTo("3201");
        assertThat(archived.get("blocking")).isEqualTo("true");
        assertThat(archived.get("detail")).endsWith("and its jobs are archived: whether it ran the uploader cannot be told");
    }
}
