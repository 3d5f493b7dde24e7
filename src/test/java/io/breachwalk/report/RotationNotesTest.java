package io.breachwalk.report;

import io.breachwalk.model.Exposure;
import io.breachwalk.model.ExposureLevel;
import io.breachwalk.model.RotationItem;
import io.breachwalk.model.RotationStatus;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** change_url and status_note of rotation.csv for the stores the fixture has (github.com, a Jenkins with folders). */
class RotationNotesTest {

    static RotationItem row(ScanReport report, String name) {
        return report.rotation().stream().filter(r -> r.secretName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void changePagesPerStore() {
        ScanReport report = ReportFixture.estate();
        RotationNotes notes = new RotationNotes(report);
        assertThat(notes.changeUrl(row(report, "AWS_ACCESS_KEY_ID")))
                .isEqualTo("https://github.com/acme/api/settings/secrets/actions");
        assertThat(notes.changeUrl(row(report, "NPM_TOKEN")))
                .isEqualTo("https://github.com/organizations/acme/settings/secrets/actions");
        assertThat(notes.changeUrl(row(report, "DOCKERHUB_TOKEN")))
                .isEqualTo("https://github.com/acme/web/settings/environments");
        assertThat(notes.changeUrl(row(report, "aws-prod")))
                .isEqualTo("https://jenkins.acme.internal/manage/credentials/");
        assertThat(notes.changeUrl(row(report, "github-ci-bot")))
                .isEqualTo("https://jenkins.acme.internal/job/platform/credentials/");
        // A hostile folder name is encoded into the path, not spliced in.
        assertThat(notes.changeUrl(row(report, ReportFixture.AT_CREDENTIAL))).isEqualTo(
                "https://jenkins.acme.internal/job/%3Dpayments%2C%20%22legacy%22%0Aold/credentials/");
        assertThat(notes.changeUrl(row(report, "url-credential:ci-bot@github.com"))).isEmpty();
        assertThat(notes.changeUrl(row(report, "GITHUB_TOKEN"))).isEmpty();
        assertThat(notes.projects(row(report, "aws-prod"))).containsExactly("platform/deploy-service");
    }

    @Test
    void withoutJobUrlsTheApiHostGivesTheWebHost() {
        RotationItem ghes = new RotationItem("bw-0", "github-actions", "ghe.corp.example", "repository", "team/app",
                "NPM_TOKEN", "npm-token", ExposureLevel.STEP, Instant.EPOCH, Instant.EPOCH, 1, "", Instant.EPOCH,
                RotationStatus.ROTATE, "P1", "");
        assertThat(RotationNotes.changeUrl(ghes, List.<Exposure>of(), new io.breachwalk.source.github.GitHubProvider().traits()))
                .isEqualTo("https://ghe.corp.example/team/app/settings/secrets/actions");
        RotationItem jenkins = new RotationItem("bw-1", "jenkins", "ci.example", "jenkins-credential", "a/b c",
                "npm", "npm-token", ExposureLevel.STEP, Instant.EPOCH, Instant.EPOCH, 1,
                "https://ci.example/jenkins/job/a/job/b%20c/job/app/3/", null, RotationStatus.REVIEW, "P1", "");
        assertThat(RotationNotes.changeUrl(jenkins, List.of(), new io.breachwalk.source.jenkins.JenkinsProvider().traits()))
                .isEqualTo("https://ci.example/jenkins/job/a/job/b%20c/credentials/");
    }

    @Test
    void rotationCsvEndsWithTheNewColumns() throws Exception {
        ScanReport report = ReportFixture.estate();
        StringWriter w = new StringWriter();
        CsvReports.rows(w, CsvReports.ROTATION_HEADER, report.rotation(),
                r -> CsvReports.rotationRow(r, new RotationNotes(report)));
        String missing = w.toString().lines().filter(l -> l.contains("OLD_DEPLOY_TOKEN")).findFirst().orElseThrow();
        assertThat(missing).endsWith(",https://github.com/acme/docs/settings/secrets/actions,no store visible to the"
                + " jobs holds it now: confirm that the value was revoked where it was issued (deleting it from CI"
                + " does not revoke it),runs");
    }
}
