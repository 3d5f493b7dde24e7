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

import static io.breachwalk.source.jenkins.JenkinsScanTest.csv;
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
        sim = JenkinsSimulator.start(Path.of("src/test/resources/jenkins/estate-history.yaml"));
        out = dir.resolve("out");
        scan = run(new String[]{"scan", "--jenkins-url", sim.baseUrl(), "--out", out.toString(), "--quiet"},
                JenkinsScanTest.ENV);
        jobs = csv(out.resolve("jobs.csv"));
        exposures = csv(out.resolve("exposures.csv"));
        rotation = csv(out.resolve("rotation.csv"));
        coverage = csv(out.resolve("coverage.csv"));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void dump() throws Exception {
        System.out.println(scan.exit() + "\n" + scan.err());
        for (String f : List.of("jobs.csv", "exposures.csv", "rotation.csv", "coverage.csv")) {
            System.out.println(Files.readString(out.resolve(f)));
        }
    }
}
