package io.breachwalk.source;

import io.breachwalk.model.Confidence;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.ExposureLevel;
import io.breachwalk.model.Gap;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.SecretState;
import io.breachwalk.model.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class JournalTest {

    static JobFinding job(String project) {
        return new JobFinding("github-actions", "api.github.com", project, ".github/workflows/ci.yml", "5", 2, "55",
                "test (3.8)", "main", "abc", "push", Instant.parse("2021-02-01T10:00:00Z"), "https://x/5",
                Verdict.RAN, Confidence.CONFIRMED, "step 4 \"Run codecov/codecov-action@v1\" success");
    }

    @Test
    void finishedUnitsSurviveAKillAndATornLine(@TempDir Path out) throws Exception {
        Findings first = new Findings();
        Journal journal = Journal.open(out, "scan-a");
        first.resumeFrom(journal);
        Findings.Unit unit = first.unit("github-actions", "acme/app");
        JobFinding job = job("acme/app");
        unit.job(job);
        unit.exposure(new Exposure(job, "NPM_TOKEN", "organization", "acme", ExposureLevel.STEP, "step env NPM_TOKEN",
                SecretState.PRESENT, Instant.parse("2020-05-01T00:00:00Z")));
        unit.gap(new Gap("github-actions", "api.github.com", "acme/app", "5", Gap.LOGS_EXPIRED, "410", false));
        unit.request("github-actions");
        unit.examinedRun("github-actions");
        unit.commit();
        Findings.Unit unfinished = first.unit("github-actions", "acme/lib");
        unfinished.job(job("acme/lib"));
        // No commit, then the process "dies" mid-write of another line.
        journal.close();
        Files.writeString(out.resolve(".state/journal.jsonl"), "{\"provider\":\"github-act", StandardOpenOption.APPEND);

        Findings second = new Findings();
        Journal again = Journal.open(out, "scan-a");
        assertThat(second.resumeFrom(again)).isEqualTo(1);
        assertThat(second.isDone("github-actions", "acme/app")).isTrue();
        assertThat(second.isDone("github-actions", "acme/lib")).isFalse();
        assertThat(second.snapshot().jobs()).containsExactly(job);
        assertThat(second.snapshot().exposures()).containsExactlyElementsOf(first.snapshot().exposures());
        assertThat(second.snapshot().gaps()).containsExactlyElementsOf(first.snapshot().gaps());
        assertThat(second.snapshot().counts().get("github-actions").runs()).isEqualTo(1);
        again.close();

        Findings other = new Findings();
        Journal different = Journal.open(out, "scan-b");
        assertThat(other.resumeFrom(different)).isZero();
        different.finish();
        assertThat(out.resolve(".state/journal.jsonl")).doesNotExist();
    }
}
