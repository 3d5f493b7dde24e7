package io.breachwalk.source.gitlab;

import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.model.Gap;
import io.breachwalk.source.CiSource;
import io.breachwalk.source.ScanContext;

import java.util.List;

/**
 * `scan --offline` for GitLab: not re-analysed yet. When the evidence folder holds GitLab records, one non-blocking
 * gap says so, so that a reader of the offline reports does not take the missing GitLab rows for "nothing found".
 */
final class GitLabOffline implements CiSource {
    private final List<EvidenceRecord> records;

    GitLabOffline(List<EvidenceRecord> records) {
        this.records = records.stream().filter(r -> r.provider().equals(GitLabSource.PROVIDER)).toList();
    }

    @Override
    public String provider() {
        return GitLabSource.PROVIDER;
    }

    @Override
    public void walk(ScanContext ctx) {
        if (records.isEmpty()) return;
        String host = records.get(0).host();
        ctx.findings().gap(new Gap(GitLabSource.PROVIDER, host, "", "", Gap.OFFLINE_REANALYSIS, "GitLab evidence ("
                + records.size() + " records) is not re-analysed offline yet: run the scan online for GitLab's rows",
                false));
    }
}
