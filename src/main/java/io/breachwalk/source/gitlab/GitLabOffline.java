package io.breachwalk.source.gitlab;

import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.model.Gap;
import io.breachwalk.source.CiSource;
import io.breachwalk.source.Findings;
import io.breachwalk.source.ScanContext;
import io.breachwalk.source.gitlab.GitLabSource.Project;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * `scan --offline` for GitLab: each project of the evidence manifest walked again by {@link ProjectWalk} over the
 * API answers the online scan kept ({@link StoredApi}), making no request. Evidence of a scan made before the answers
 * were kept has no project record: one non-blocking gap says those projects are not re-analysed.
 */
final class GitLabOffline implements CiSource {
    private final EvidenceStore store;
    private final List<EvidenceRecord> records;

    GitLabOffline(EvidenceStore store, List<EvidenceRecord> records) {
        this.store = store;
        this.records = records.stream().filter(r -> r.provider().equals(GitLabSource.PROVIDER)).toList();
    }

    @Override
    public String provider() {
        return GitLabSource.PROVIDER;
    }

    @Override
    public void walk(ScanContext ctx) {
        List<EvidenceRecord> projects = records.stream()
                .filter(r -> r.runId().isEmpty() && r.facts().containsKey("project_id")).toList();
        if (projects.isEmpty()) {
            if (!records.isEmpty()) {
                ctx.findings().gap(new Gap(GitLabSource.PROVIDER, records.get(0).host(), "", "",
                        Gap.OFFLINE_REANALYSIS, "the GitLab evidence holds no project records (a scan by an older "
                        + "version): GitLab is not re-analysed offline; run the scan online for GitLab's rows", false));
            }
            return;
        }
        ctx.progress().start("GitLab projects (offline)", projects.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, ctx.concurrency()), r -> {
            Thread t = new Thread(r, "gitlab-offline");
            t.setDaemon(true);
            return t;
        });
        try {
            for (EvidenceRecord r : projects) {
                if (ctx.findings().isDone(GitLabSource.PROVIDER, r.project())) continue;
                Findings.Unit unit = ctx.findings().unit(GitLabSource.PROVIDER, r.project());
                Project project = Project.fromFacts(r.project(), r.facts());
                new ProjectWalk(ctx, unit, new StoredApi(store, r.items()), new VariableStores(r.host()), r.host(),
                        project, pool).walk();
                unit.evidence(r);
                unit.commit();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
