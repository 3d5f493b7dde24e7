package io.breachwalk.exposure;

import io.breachwalk.model.Confidence;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.ExposureLevel;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.RotationItem;
import io.breachwalk.model.RotationStatus;
import io.breachwalk.model.SecretState;
import io.breachwalk.model.Verdict;
import io.breachwalk.playbook.PlaybookLoader;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

class LedgerTest {

    static Ledger codecov() throws Exception {
        return new Ledger(PlaybookLoader.loadBundled("codecov-2021"), SecretTypes.bundled());
    }

    /** The rows' secret names, statuses and priorities, exactly and in order. */
    static void assertNameStatusPriority(List<RotationItem> items, Tuple... rows) {
        assertThat(items).extracting(RotationItem::secretName, RotationItem::status, RotationItem::priority)
                .containsExactly(rows);
    }

    static JobFinding job(String id, String started) {
        return new JobFinding("github-actions", "api.github.com", "acme/app", ".github/workflows/ci.yml", id, 1, id,
                "test", "main", "abc", "push", Instant.parse(started), "https://github.com/acme/app/actions/runs/" + id,
                Verdict.RAN, Confidence.CONFIRMED, "e");
    }

    static Exposure exp(JobFinding j, String name, String scope, ExposureLevel level, SecretState state, String updated) {
        return new Exposure(j, name, scope, "acme/app", level, "job env " + name, state,
                updated == null ? null : Instant.parse(updated));
    }

    @Test
    void statusPriorityAndStableIds() throws Exception {
        Ledger ledger = codecov();
        JobFinding a = job("1", "2021-02-01T10:00:00Z");
        JobFinding b = job("2", "2021-03-01T10:00:00Z");
        List<RotationItem> items = ledger.rotation(List.of(
                exp(a, "AWS_ACCESS_KEY_ID", "repository", ExposureLevel.JOB, SecretState.PRESENT, "2020-01-01T00:00:00Z"),
                exp(b, "AWS_ACCESS_KEY_ID", "repository", ExposureLevel.STEP, SecretState.PRESENT, "2020-01-01T00:00:00Z"),
                exp(a, "CODECOV_TOKEN", "repository", ExposureLevel.STEP, SecretState.PRESENT, "2021-02-15T00:00:00Z"),
                exp(a, "SLACK_WEBHOOK", "repository", ExposureLevel.STEP, SecretState.PRESENT, "2020-01-01T00:00:00Z"),
                exp(a, "NPM_TOKEN", "repository", ExposureLevel.JOB, SecretState.UNKNOWN, null),
                exp(a, "OLD_KEY", "unresolved", ExposureLevel.STEP, SecretState.MISSING, null),
                exp(a, "GITHUB_TOKEN", "ephemeral", ExposureLevel.STEP, SecretState.EPHEMERAL, null)));

        assertNameStatusPriority(items,
                tuple("AWS_ACCESS_KEY_ID", RotationStatus.ROTATE, "P1"),
                tuple("SLACK_WEBHOOK", RotationStatus.ROTATE, "P2"),
                        // MISSING and REVIEW keep the priority of their type and exposure (DESIGN 5.2).
                tuple("OLD_KEY", RotationStatus.MISSING, "P2"),
                tuple("NPM_TOKEN", RotationStatus.REVIEW, "P3"),
                tuple("GITHUB_TOKEN", RotationStatus.EPHEMERAL, "P4"),
                tuple("CODECOV_TOKEN", RotationStatus.ROTATED, "P4"));
        RotationItem aws = items.get(0);
        assertThat(aws.exposure()).isEqualTo(ExposureLevel.STEP);
        assertThat(aws.jobsExposed()).isEqualTo(2);
        assertThat(aws.firstExposedAt()).isEqualTo(Instant.parse("2021-02-01T10:00:00Z"));
        assertThat(aws.lastExposedAt()).isEqualTo(Instant.parse("2021-03-01T10:00:00Z"));
        assertThat(aws.exampleUrl()).endsWith("/runs/2");
        assertThat(aws.secretType()).isEqualTo("aws-access-key");
        assertThat(aws.secretId()).matches("bw-[0-9a-f]{16}")
                .isEqualTo(Ledger.secretId("codecov-2021", "github-actions", "api.github.com", "repository",
                        "acme/app", "AWS_ACCESS_KEY_ID"));
    }

    @Test
    void unknownChangeTimeKeepsThePriorityOfTypeAndExposure() throws Exception {
        Ledger ledger = codecov();
        JobFinding a = job("1", "2021-02-01T10:00:00Z");
        // A Jenkins shop never has a change time: its deploy key handed to the uploader must still be P1.
        List<RotationItem> items = ledger.rotation(List.of(
                exp(a, "AWS_SECRET_ACCESS_KEY", "jenkins-credential", ExposureLevel.STEP, SecretState.PRESENT, null),
                exp(a, "CODECOV_TOKEN", "jenkins-credential", ExposureLevel.STEP, SecretState.UNKNOWN, null),
                exp(a, "NPM_TOKEN", "unresolved", ExposureLevel.STEP, SecretState.MISSING, null),
                exp(a, "SONAR_TOKEN", "jenkins-credential", ExposureLevel.JOB, SecretState.UNKNOWN, null)));
        assertNameStatusPriority(items,
                tuple("AWS_SECRET_ACCESS_KEY", RotationStatus.REVIEW, "P1"),
                tuple("NPM_TOKEN", RotationStatus.MISSING, "P1"),
                tuple("CODECOV_TOKEN", RotationStatus.REVIEW, "P2"),
                tuple("SONAR_TOKEN", RotationStatus.REVIEW, "P3"));
    }

    @Test
    void thePlaybooksExposurePolicyDecidesWhatAsksRotation(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("step-only.yaml");
        java.nio.file.Files.writeString(file, """
                id: step-only
                title: Step only
                window: {since: 2021-01-31T00:00:00Z, until: 2021-04-02T07:00:00Z}
                indicators: {scripts: [{how: curl-bash, affected: true, pattern: "codecov\\\\.io/bash"}]}
                exposure: {required: [STEP], recommended: [], git_remote_credentials: false}
                """);
        Ledger ledger = new Ledger(PlaybookLoader.load(file.toString()), SecretTypes.bundled());
        JobFinding a = job("1", "2021-02-01T10:00:00Z");
        List<RotationItem> items = ledger.rotation(List.of(
                exp(a, "NPM_TOKEN", "repository", ExposureLevel.JOB, SecretState.PRESENT, "2020-01-01T00:00:00Z"),
                exp(a, "url-credential:bot@git.example", "literal", ExposureLevel.STEP, SecretState.PRESENT, null),
                exp(a, "AWS_ACCESS_KEY_ID", "repository", ExposureLevel.STEP, SecretState.PRESENT, "2020-01-01T00:00:00Z")));
        assertThat(items).extracting(RotationItem::secretName).containsExactly("AWS_ACCESS_KEY_ID");

        Ledger codecov = codecov();
        assertThat(codecov.rotation(List.of(
                exp(a, "NPM_TOKEN", "repository", ExposureLevel.JOB, SecretState.PRESENT, "2020-01-01T00:00:00Z"),
                exp(a, "url-credential:bot@git.example", "literal", ExposureLevel.STEP, SecretState.PRESENT, null))))
                .extracting(RotationItem::secretName).containsExactlyInAnyOrder("NPM_TOKEN", "url-credential:bot@git.example");
    }

    @Test
    void aCommitHistoryJobExposesUntilItsConfigurationChangedAndMarksTheRowsBasis() throws Exception {
        Ledger ledger = codecov();
        // No run record left: the configuration was in effect from the window's start until 2021-03-20.
        JobFinding fromCommits = new JobFinding("github-actions", "api.github.com", "acme/app",
                ".github/workflows/ci.yml", "", 1, "", "test", "main", "abc", "push",
                Instant.parse("2021-01-31T00:00:00Z"), "", Verdict.RAN, Confidence.PROBABLE, "e",
                JobFinding.COMMIT_HISTORY, Instant.parse("2021-03-20T00:00:00Z"));
        List<RotationItem> items = ledger.rotation(List.of(
                // Changed on 2021-02-10: the configuration could still have run it after that, so still ROTATE.
                exp(fromCommits, "AWS_ACCESS_KEY_ID", "repository", ExposureLevel.STEP, SecretState.PRESENT,
                        "2021-02-10T00:00:00Z"),
                // Changed after the configuration was gone: ROTATED.
                exp(fromCommits, "CODECOV_TOKEN", "repository", ExposureLevel.STEP, SecretState.PRESENT,
                        "2021-03-21T00:00:00Z"),
                // The same secret also seen in a run record: the row rests on runs.
                exp(fromCommits, "SLACK_WEBHOOK", "repository", ExposureLevel.STEP, SecretState.PRESENT, null),
                exp(job("9", "2021-02-01T10:00:00Z"), "SLACK_WEBHOOK", "repository", ExposureLevel.STEP,
                        SecretState.PRESENT, "2020-01-01T00:00:00Z")));
        RotationItem aws = items.stream().filter(i -> i.secretName().equals("AWS_ACCESS_KEY_ID")).findFirst().orElseThrow();
        assertThat(aws.status()).isEqualTo(RotationStatus.ROTATE);
        assertThat(aws.basis()).isEqualTo(JobFinding.COMMIT_HISTORY);
        assertThat(aws.firstExposedAt()).isEqualTo(Instant.parse("2021-01-31T00:00:00Z"));
        assertThat(aws.lastExposedAt()).isEqualTo(Instant.parse("2021-03-20T00:00:00Z"));
        RotationItem codecov = items.stream().filter(i -> i.secretName().equals("CODECOV_TOKEN")).findFirst().orElseThrow();
        assertThat(codecov.status()).isEqualTo(RotationStatus.ROTATED);
        RotationItem slack = items.stream().filter(i -> i.secretName().equals("SLACK_WEBHOOK")).findFirst().orElseThrow();
        assertThat(slack.basis()).isEqualTo(JobFinding.RUNS);
    }
}
