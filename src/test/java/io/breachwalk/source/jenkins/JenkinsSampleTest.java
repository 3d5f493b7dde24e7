package io.breachwalk.source.jenkins;

import io.breachwalk.sim.DemoEstate;
import io.breachwalk.sim.jenkins.JenkinsSimulator;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.breachwalk.source.jenkins.JenkinsScanTest.csv;
import static org.assertj.core.api.Assertions.assertThat;

/** The bundled sample instance (what `breachwalk demo` scans) gives the findings its README promises. */
class JenkinsSampleTest {

    @Test
    void sampleInstanceFindings(@TempDir Path dir) throws Exception {
        try (DemoEstate<JenkinsSimulator> sample = JenkinsSimulator.startDemo()) {
            Path out = dir.resolve("out");
            JenkinsScanTest.Run r = JenkinsScanTest.run(new String[]{"scan", "--jenkins-url", sample.url(), "--out",
                    out.toString(), "--quiet"}, sample.env());
            assertThat(r.exit()).as(r.err()).isEqualTo(3);   // website-nightly's discarded builds block completeness
            List<CSVRecord> jobs = csv(out.resolve("jobs.csv"));
            assertThat(jobs).extracting(j -> j.get("project") + "#" + j.get("run_id") + " " + j.get("job_name") + " "
                    + j.get("verdict") + " " + j.get("confidence")).containsExactlyInAnyOrder(
                    "website-nightly#211 website-nightly RAN confirmed",
                    "website-nightly#180 website-nightly RAN probable",
                    "payments/payments-api#57 Coverage RAN confirmed",
                    "payments/ledger-service/main#12 Coverage RAN confirmed",
                    // builds #1-#179 were discarded and a freestyle job keeps no history: today's definition's
                    // credentials are listed for review (basis commit-history)
                    "website-nightly# website-nightly UNKNOWN possible",
                    // discarded builds of jobs defined in SCM: the Jenkinsfile's history on main says what they ran
                    // (billing-service: #2-#8; payments-api: #58-#70 and older; ledger-service/main: #1-#11)
                    "payments/billing-service/main# Coverage RAN probable",
                    "payments/payments-api# Coverage RAN probable",
                    "payments/ledger-service/main# Coverage RAN probable");
            assertThat(jobs).filteredOn(j -> j.get("project").equals("payments/billing-service/main"))
                    .extracting(j -> j.get("basis") + " " + j.get("started_at"))
                    .containsExactly("commit-history 2021-01-31T00:00:00Z");
            assertThat(csv(out.resolve("coverage.csv"))).filteredOn(g -> g.get("project").equals("payments/billing-service/main"))
                    .extracting(g -> g.get("gap") + " " + g.get("blocking")).containsExactly("BUILDS_DISCARDED false");
            List<CSVRecord> rotation = csv(out.resolve("rotation.csv"));
            assertThat(rotation).extracting(x -> x.get("secret_name") + " " + x.get("exposure") + " " + x.get("status"))
                    .contains("codecov-token STEP REVIEW", "sonarcloud-token STEP REVIEW", "artifactory-deploy JOB REVIEW",
                            "netlify-deploy-hook STEP MISSING", "url-credential:deploy-bot@git.acme.example STEP REVIEW");
            assertThat(Files.readString(out.resolve("report.json"))).doesNotContain("x-oauth-basic");
            System.out.println("sample instance: " + sample.simulator().requestCount() + " requests");
            for (String f : List.of("jobs.csv", "exposures.csv", "rotation.csv", "coverage.csv")) {
                System.out.println("== " + f + "\n" + Files.readString(out.resolve(f)));
            }
        }
    }
}
