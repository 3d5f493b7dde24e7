package io.breachwalk.source;

import io.breachwalk.model.EvidenceRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * `scan --offline` for any provider: its records of an evidence manifest grouped by host and project (one group per
 * repository or job the online walk recorded, in name order), each judged again by the provider's own per-unit code
 * from stored files alone. No request is made; units are judged one at a time, as they always were offline.
 */
public final class OfflineSource implements CiSource<OfflineSource.StoredUnit> {

    /** One project's stored records: the unit record (empty run id) and its runs' records. */
    public record StoredUnit(String host, String project, List<EvidenceRecord> records) {
    }

    /** The provider's offline judge of one stored unit, made once per scan (it may index all records). */
    @FunctionalInterface
    public interface Judge {
        void judge(StoredUnit unit, Findings.Unit sink, ExecutorService pool);
    }

    private final String provider;
    private final String label;
    private final List<EvidenceRecord> records;
    private final Predicate<StoredUnit> judgeable;
    private final Function<ScanContext, Judge> prepare;
    private Judge judge;

    /**
     * @param records   the manifest's records; those of other providers are left out
     * @param judgeable which groups are units (others are skipped without a trace, as a malformed record would be)
     * @param prepare   makes the judge from the scan's context, once, before the first unit
     */
    public OfflineSource(String provider, String label, List<EvidenceRecord> records, Predicate<StoredUnit> judgeable,
                         Function<ScanContext, Judge> prepare) {
        this.provider = provider;
        this.label = label;
        this.records = records.stream().filter(r -> r.provider().equals(provider)).toList();
        this.judgeable = judgeable;
        this.prepare = prepare;
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public String unitLabel() {
        return label;
    }

    @Override
    public List<StoredUnit> units(ScanContext ctx) {
        Map<String, List<EvidenceRecord>> byProject = new TreeMap<>();
        for (EvidenceRecord r : records) {
            byProject.computeIfAbsent(r.host() + "\u0000" + r.project(), k -> new ArrayList<>()).add(r);
        }
        judge = prepare.apply(ctx);
        List<StoredUnit> units = new ArrayList<>();
        for (List<EvidenceRecord> group : byProject.values()) {
            StoredUnit unit = new StoredUnit(group.get(0).host(), group.get(0).project(), List.copyOf(group));
            if (judgeable.test(unit)) {
                units.add(unit);
            }
        }
        return units;
    }

    @Override
    public String unitName(StoredUnit unit) {
        return unit.project();
    }

    @Override
    public void judge(StoredUnit unit, Findings.Unit sink, ScanContext ctx, ExecutorService pool) {
        judge.judge(unit, sink, pool);
    }

    @Override
    public boolean parallelUnits() {
        return false;
    }
}
