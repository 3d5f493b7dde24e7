package io.breachwalk.source.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.model.EvidenceLink;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.text.Redactor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * `scan --offline` reads run and job records from evidence files of both layouts: one file per repository's runs and
 * per run's jobs (JSON arrays, a record found by its id), and the one-record-per-file folders of earlier versions.
 */
class StoredRecordsTest {

    @Test
    void recordsAreFoundByIdInGroupedFilesAndWholeInSingleOnes(@TempDir Path out) throws Exception {
        EvidenceStore store = EvidenceStore.open(out, Redactor.none(), Clock.systemUTC());
        String grouped = store.put(GitHubData.RUN, "https://api/repos/a/b/actions/runs", "application/json",
                "[{\"id\":7,\"name\":\"CI\"},{\"id\":9,\"name\":\"Lint\"}]");
        String single = store.put(GitHubData.RUN, "https://api/repos/a/b/actions/runs/11", "application/json",
                "{\"id\":11,\"name\":\"Old\"}");
        String jobs = store.put(GitHubData.JOB, "https://api/repos/a/b/actions/runs/7/jobs", "application/json",
                "[{\"id\":70,\"name\":\"build\"},{\"id\":71,\"name\":\"test\"}]");
        List<EvidenceLink> items = List.of(EvidenceLink.stored(GitHubData.RUN, "7", null, grouped),
                EvidenceLink.stored(GitHubData.RUN, "9", null, grouped),
                EvidenceLink.stored(GitHubData.RUN, "11", null, single),
                EvidenceLink.stored(GitHubData.JOB, "70", "70", jobs),
                EvidenceLink.stored(GitHubData.JOB, "71", "71", jobs),
                EvidenceLink.absent(GitHubData.JOBS, "7", null, "70,71"));
        StoredGitHubData data = new StoredGitHubData(store,
                List.of(new EvidenceRecord("github-actions", "h", "a/b", "7", Map.of(), items)));

        assertThat(data.runs()).extracting(n -> n.path("name").asText()).containsExactly("CI", "Lint", "Old");
        assertThat(data.jobs("7")).extracting(n -> n.path("name").asText()).containsExactly("build", "test");
        JsonNode run = data.runs().get(0);
        assertThat(data.runs(List.of(run))).containsOnlyKeys("7");
    }

    @Test
    void aRecordMissingFromItsFileIsNotInTheEvidence(@TempDir Path out) throws Exception {
        EvidenceStore store = EvidenceStore.open(out, Redactor.none(), Clock.systemUTC());
        String grouped = store.put(GitHubData.RUN, "https://api/repos/a/b/actions/runs", "application/json",
                "[{\"id\":7}]");
        StoredGitHubData data = new StoredGitHubData(store, List.of(new EvidenceRecord("github-actions", "h", "a/b",
                "8", Map.of(), List.of(EvidenceLink.stored(GitHubData.RUN, "8", null, grouped)))));
        assertThatThrownBy(data::runs).isInstanceOf(StoredGitHubData.NotInEvidence.class)
                .hasMessageContaining("github-run 8 is not in its evidence file");
    }
}
