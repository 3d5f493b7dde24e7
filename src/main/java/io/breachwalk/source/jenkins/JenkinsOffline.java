package io.breachwalk.source.jenkins;

import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.source.CiSource;
import io.breachwalk.source.ScanContext;

import java.util.List;

/** `scan --offline` for Jenkins: the jobs of the evidence manifest judged again from stored files alone. */
public final class JenkinsOffline implements CiSource {
    private final EvidenceStore store;
    private final List<EvidenceRecord> records;

    public JenkinsOffline(EvidenceStore store, List<EvidenceRecord> records) {
        this.store = store;
        this.records = records.stream().filter(r -> r.provider().equals(JenkinsSource.PROVIDER)).toList();
    }

    @Override
    public String provider() {
        return JenkinsSource.PROVIDER;
    }

    @Override
    public void walk(ScanContext ctx) {
        JenkinsSource.offline(ctx, new StoredJenkinsData(store, ctx.matcher(), records), records);
    }
}
