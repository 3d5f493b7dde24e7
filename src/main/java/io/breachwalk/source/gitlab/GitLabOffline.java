package io.breachwalk.source.gitlab;

import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.source.CiSource;
import io.breachwalk.source.OfflineSource;
import io.breachwalk.source.gitlab.GitLabSource.Project;

import java.util.List;

/**
 * `scan --offline` for GitLab: each project of the evidence manifest walked again by {@link ProjectWalk} over the
 * API answers the online scan kept ({@link StoredGitLabData}), making no request.
 */
final class GitLabOffline {
    private GitLabOffline() {
    }

    static CiSource<OfflineSource.StoredUnit> source(EvidenceStore store, List<EvidenceRecord> records) {
        return new OfflineSource(GitLabSource.PROVIDER, "GitLab projects (offline)", records,
                unit -> projectRecord(unit) != null,
                ctx -> (unit, sink, pool) -> {
                    EvidenceRecord r = projectRecord(unit);
                    Project project = Project.fromFacts(r.project(), r.facts());
                    new ProjectWalk(ctx, sink, new StoredGitLabData(store, r.items()), new VariableStores(r.host()),
                            r.host(), project, pool).walk();
                    sink.evidence(r);
                });
    }

    /** The project's own record (no run id), holding its facts and every API answer the walk read. */
    private static EvidenceRecord projectRecord(OfflineSource.StoredUnit unit) {
        return unit.records().stream().filter(r -> r.runId().isEmpty() && r.facts().containsKey("project_id"))
                .findFirst().orElse(null);
    }
}
