package io.breachwalk.source.github;

import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.model.Gap;
import io.breachwalk.source.CiSource;
import io.breachwalk.source.Findings;
import io.breachwalk.source.ScanContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * `scan --offline` for GitHub: each repository of the evidence manifest judged again by {@link RepoWalk} from the
 * stored run records, workflow files, job records, logs and secret listings. No request is made.
 */
public final class GitHubOffline implements CiSource {
    private final EvidenceStore store;
    private final List<EvidenceRecord> records;

    public GitHubOffline(EvidenceStore store, List<EvidenceRecord> records) {
        this.store = store;
        this.records = records.stream().filter(r -> r.provider().equals(GitHubSource.PROVIDER)).toList();
    }

    @Override
    public String provider() {
        return GitHubSource.PROVIDER;
    }

    @Override
    public void walk(ScanContext ctx) {
        Map<String, List<EvidenceRecord>> byRepo = new TreeMap<>();
        for (EvidenceRecord r : records) {
            byRepo.computeIfAbsent(r.host() + "\u0000" + r.project(), k -> new ArrayList<>()).add(r);
        }
        ctx.progress().start("GitHub repositories (offline)", byRepo.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, ctx.concurrency()), r -> {
            Thread t = new Thread(r, "github-offline");
            t.setDaemon(true);
            return t;
        });
        try {
            for (List<EvidenceRecord> repo : byRepo.values()) {
                String host = repo.get(0).host();
                String project = repo.get(0).project();
                Findings.Unit unit = ctx.findings().unit(GitHubSource.PROVIDER, project);
                StoredGitHubData data = new StoredGitHubData(store, repo);
                RepoWalk walk = new RepoWalk(ctx, unit, data, host, project, pool);
                unit.examinedProject(GitHubSource.PROVIDER);
                ctx.progress().step(project);
                try {
                    walk.judge(data.runs());
                } catch (IOException e) {
                    unit.gap(new Gap(GitHubSource.PROVIDER, host, project, "", Gap.NOT_IN_EVIDENCE,
                            "the stored runs could not be read: " + e.getMessage(), true));
                }
                unit.commit();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
