package io.breachwalk.source.jenkins;

import io.breachwalk.sim.jenkins.JenkinsSimulator;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.breachwalk.source.jenkins.JenkinsScanTest.rows;
import static io.breachwalk.source.jenkins.JenkinsScanTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Builds in the window were discarded (DESIGN 4.6, src/test/resources/jenkins/estate-history.yaml): a job defined in
 * SCM is judged from its Jenkinsfile's history on its branch, a config.xml-only job lists today's credentials.
 */
class JenkinsHistoryTest {
    static JenkinsSimulator sim;
    static Path out;
    static JenkinsScanTest.Run scan;
    static List<CSVRecord> jobs;
    static List<CSVRecord> exposures;
    static List<CSVRecord> rotation;
    static List<CSVRecord> coverage;

    @BeforeAll
    static void scan(@TempDir Path dir) throws Exception {
        JenkinsScanTest.Scanned s = JenkinsScanTest.scanEstate("estate-history.yaml", dir);
        sim = s.sim();
        out = s.out();
        scan = s.run();
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
    void multibranchJobWithDiscardedBuildsIsJudgedFromTheJenkinsfileHistory() {
        assertThat(scan.err()).doesNotContain("internal error");
        List<CSVRecord> billing = rows(jobs, j -> j.get("project").equals("billing/main"));
        // c0 predates the version in effect at the window's start, c3 follows the window, c2 has no uploader,
        // and the README commit did not touch the Jenkinsfile: one row, for c1.
        assertThat(billing).hasSize(1);
        CSVRecord r = billing.get(0);
        String c1 = sim.commitSha("billing", "c1");
        assertThat(r.get("basis")).isEqualTo("commit-history");
        assertThat(r.get("verdict")).isEqualTo("RAN");
        assertThat(r.get("confidence")).isEqualTo("probable");
        assertThat(r.get("run_id")).isEmpty();
        assertThat(r.get("job_id")).isEmpty();
        assertThat(r.get("commit_sha")).isEqualTo(c1);
        assertThat(r.get("branch")).isEqualTo("main");
        assertThat(r.get("job_name")).isEqualTo("Coverage");
        // In effect from the window's start (c1 is older) until c2 removed the uploader.
        assertThat(r.get("started_at")).isEqualTo("2021-01-31T00:00:00Z");
        assertThat(r.get("evidence")).isEqualTo("builds #2-#9 discarded; in effect from 2021-01-31T00:00:00Z to "
                + "2021-03-10T12:00:00Z: Jenkinsfile@" + c1.substring(0, 7)
                + ":11 curl -s https://codecov.io/bash | bash -s - -t $CODECOV_TOKEN");

        CSVRecord codecov = exposure("billing/main", "codecov-token");
        assertThat(codecov.get("exposure")).isEqualTo("STEP");
        assertThat(codecov.get("via")).contains("withCredentials string(credentialsId: 'codecov-token')");
        assertThat(exposure("billing/main", "sonar-token").get("secret_scope")).isEqualTo("jenkins-credential");

        CSVRecord gap = gap("billing/main");
        assertThat(gap.get("blocking")).isEqualTo("false");
        assertThat(gap.get("detail")).contains("8 build(s) #2-#9")
                .contains("the job's rows rest on the history of Jenkinsfile on main (2 version(s) in effect in the window");
    }

    @Test
    void aChangeInsideTheWindowEndsTheExposure() {
        // sonar-token was bound only by c1: exposed until c2 (2021-03-10T12:00:00Z), not until the window's end.
        CSVRecord sonar = rotation("sonar-token");
        assertThat(sonar.get("status")).isEqualTo("REVIEW");
        assertThat(sonar.get("basis")).isEqualTo("commit-history");
        assertThat(sonar.get("first_exposed_at")).isEqualTo("2021-01-31T00:00:00Z");
        assertThat(sonar.get("last_exposed_at")).isEqualTo("2021-03-10T12:00:00Z");
    }

    @Test
    void conditionalUploaderIsPossibleFromTheVersionsCommitTime() {
        CSVRecord r = rows(jobs, j -> j.get("project").equals("ledger/main")).get(0);
        assertThat(r.get("confidence")).isEqualTo("possible");
        assertThat(r.get("basis")).isEqualTo("commit-history");
        assertThat(r.get("started_at")).isEqualTo("2021-02-20T10:00:00Z");
        assertThat(r.get("evidence")).contains("to 2021-04-02T07:00:00Z").contains("(inside when");
        assertThat(gap("ledger/main").get("blocking")).isEqualTo("false");
    }

    @Test
    void repositoryScriptsAreFollowedAtEachVersion() {
        CSVRecord r = rows(jobs, j -> j.get("project").equals("tools/main")).get(0);
        assertThat(r.get("basis")).isEqualTo("commit-history");
        assertThat(r.get("confidence")).isEqualTo("possible");
        assertThat(r.get("evidence")).contains("script:scripts/coverage.sh:3");
        assertThat(exposure("tools/main", "codecov-token").get("exposure")).isEqualTo("STEP");
    }

    @Test
    void pullRequestJobReadsThePullRequestHead() {
        CSVRecord r = rows(jobs, j -> j.get("project").equals("ledger/PR-7")).get(0);
        assertThat(r.get("branch")).isEqualTo("PR-7");
        assertThat(r.get("commit_sha")).isEqualTo(sim.commitSha("ledger", "l1"));
        assertThat(gap("ledger/PR-7").get("blocking")).isEqualTo("false");
    }

    @Test
    void remoteThatCannotBeReadBlocks() {
        assertThat(scan.exit()).as(scan.err()).isEqualTo(3);
        assertThat(rows(jobs, j -> j.get("project").equals("orphan"))).isEmpty();
        CSVRecord g = gap("orphan");
        assertThat(g.get("blocking")).isEqualTo("true");
        assertThat(g.get("detail")).contains("3 build(s) #2-#4")
                .contains("cannot read the history of Jenkinsfile on main from the job's git remote");
    }

    @Test
    void freestyleJobListsTodaysCredentialsForReview() {
        List<CSVRecord> nightly = rows(jobs, j -> j.get("project").equals("nightly"));
        assertThat(nightly).hasSize(1);
        assertThat(nightly.get(0).get("verdict")).isEqualTo("UNKNOWN");
        assertThat(nightly.get(0).get("basis")).isEqualTo("commit-history");
        assertThat(nightly.get(0).get("evidence")).contains("config.xml keeps no history");
        assertThat(exposure("nightly", "codecov-token").get("exposure")).isEqualTo("STEP");
        assertThat(exposure("nightly", "deploy-key").get("exposure")).isEqualTo("STEP");
        assertThat(rotation("deploy-key").get("status")).isEqualTo("REVIEW");
        assertThat(rotation("codecov-token").get("status")).isEqualTo("REVIEW");
        CSVRecord g = gap("nightly");
        assertThat(g.get("blocking")).isEqualTo("true");
        assertThat(g.get("detail")).contains("listed for review");
    }

    @Test
    void offlineReanalysisDrawsTheSameRowsFromTheStoredHistory(@TempDir Path dir) throws Exception {
        Path again = dir.resolve("offline");
        JenkinsScanTest.Run r = run(new String[]{"scan", "--offline", out.resolve("evidence").toString(),
                "--out", again.toString(), "--quiet"}, java.util.Map.of());
        assertThat(r.err()).doesNotContain("internal error");
        for (String f : List.of("jobs.csv", "exposures.csv", "rotation.csv")) {
            assertThat(java.nio.file.Files.readString(again.resolve(f))).as(f)
                    .isEqualTo(java.nio.file.Files.readString(out.resolve(f)));
        }
    }

    private static CSVRecord exposure(String project, String secret) {
        List<CSVRecord> got = rows(exposures, e -> e.get("project").equals(project) && e.get("secret_name").equals(secret));
        assertThat(got).as(secret + " of " + project + " in " + exposures).hasSize(1);
        return got.get(0);
    }

    private static CSVRecord rotation(String secret) {
        List<CSVRecord> got = rows(rotation, e -> e.get("secret_name").equals(secret));
        assertThat(got).as(secret + " in " + rotation).hasSize(1);
        return got.get(0);
    }

    private static CSVRecord gap(String project) {
        List<CSVRecord> got = rows(coverage, c -> c.get("project").equals(project) && c.get("gap").equals("BUILDS_DISCARDED"));
        assertThat(got).as(project + " in " + coverage).hasSize(1);
        return got.get(0);
    }
}
