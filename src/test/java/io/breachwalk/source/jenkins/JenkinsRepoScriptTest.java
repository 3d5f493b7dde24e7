package io.breachwalk.source.jenkins;

import io.breachwalk.sim.jenkins.JenkinsSimulator;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.breachwalk.source.jenkins.JenkinsScanTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Jenkins walk follows the repository scripts and make targets that a Jenkinsfile or a freestyle shell step calls,
 * read at each build's revision (src/test/resources/jenkins/estate-scripts.yaml).
 */
class JenkinsRepoScriptTest {
    static JenkinsSimulator sim;
    static Path out;
    static JenkinsScanTest.Run scan;
    static List<CSVRecord> jobs;
    static List<CSVRecord> exposures;

    @BeforeAll
    static void scan(@TempDir Path dir) throws Exception {
        JenkinsScanTest.Scanned s = JenkinsScanTest.scanEstate("estate-scripts.yaml", dir);
        sim = s.sim();
        out = s.out();
        scan = s.run();
        jobs = s.jobs();
        exposures = s.exposures();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void buildWhoseLogIsGoneIsPossibleFromTheScriptAtItsRevision() {
        assertThat(scan.err()).doesNotContain("internal error");
        CSVRecord r = one(jobs, "service", "1");
        assertThat(r.get("verdict")).isEqualTo("RAN");
        assertThat(r.get("confidence")).isEqualTo("possible");
        assertThat(r.get("commit_sha")).isEqualTo(sim.commitSha("service", "c1"));
        assertThat(r.get("evidence")).isEqualTo("console log gone; Jenkinsfile@" + sim.commitSha("service", "c1")
                .substring(0, 7) + ":14 script:scripts/coverage.sh:4 bash <(curl -s https://codecov.io/bash) -t \"$CODECOV_TOKEN\"");
        assertThat(r.get("job_name")).isEqualTo("Coverage");
        // withCredentials around the sh that calls the script: the script's environment is the step's.
        CSVRecord codecov = exposure("service", "1", "codecov-token");
        assertThat(codecov.get("exposure")).isEqualTo("STEP");
        assertThat(codecov.get("via")).contains("withCredentials string(credentialsId: 'codecov-token')");
        assertThat(exposure("service", "1", "npm-token").get("exposure")).isEqualTo("JOB");
    }

    @Test
    void buildWhoseLogShowsTheUploaderIsConfirmed() {
        CSVRecord r = one(jobs, "service", "2");
        assertThat(r.get("verdict")).isEqualTo("RAN");
        assertThat(r.get("confidence")).isEqualTo("confirmed");
        assertThat(r.get("evidence")).contains("consoleText line").contains("script:scripts/coverage.sh:4");
        assertThat(exposure("service", "2", "codecov-token").get("exposure")).isEqualTo("STEP");
    }

    @Test
    void revisionWhoseScriptNoLongerCurlsIsNoRow() {
        assertThat(JenkinsScanTest.rows(jobs, j -> j.get("project").equals("service") && j.get("run_id").equals("3")))
                .isEmpty();
    }

    @Test
    void freestyleShellStepCallingAMakeTargetIsPossible() {
        CSVRecord r = one(jobs, "legacy-make", "5");
        assertThat(r.get("verdict")).isEqualTo("RAN");
        assertThat(r.get("confidence")).isEqualTo("possible");
        assertThat(r.get("evidence")).contains("config.xml shell step 1")
                .contains("script:Makefile:5 (target coverage) curl -s https://codecov.io/bash | bash");
        assertThat(exposure("legacy-make", "5", "codecov-token").get("exposure")).isEqualTo("STEP");
    }

    @Test
    void followedScriptsAreEvidenceAndTheOfflineScanJudgesTheSame(@TempDir Path dir) throws Exception {
        String index = Files.readString(out.resolve("evidence").resolve("index.jsonl"));
        assertThat(index).contains("#" + sim.commitSha("service", "c1") + ":scripts/coverage.sh")
                .contains("#" + sim.commitSha("service", "c2") + ":scripts/coverage.sh")
                .contains("#" + sim.commitSha("legacy", "m1") + ":Makefile");
        Path offline = dir.resolve("offline");
        JenkinsScanTest.Run r = run(new String[]{"scan", "--quiet", "--offline", out.resolve("evidence").toString(),
                "--out", offline.toString()}, Map.of());
        assertThat(r.err()).doesNotContain("internal error");
        for (String f : List.of("jobs.csv", "exposures.csv")) {
            assertThat(Files.readString(offline.resolve(f))).as(f).isEqualTo(Files.readString(out.resolve(f)));
        }
    }

    private static CSVRecord one(List<CSVRecord> rows, String project, String runId) {
        return JenkinsScanTest.one(rows, project, runId);
    }

    private static CSVRecord exposure(String project, String runId, String secret) {
        List<CSVRecord> got = JenkinsScanTest.rows(exposures, r -> r.get("project").equals(project)
                && r.get("run_id").equals(runId) && r.get("secret_name").equals(secret));
        assertThat(got).as(secret + " for " + project + " #" + runId).hasSize(1);
        return got.get(0);
    }
}
