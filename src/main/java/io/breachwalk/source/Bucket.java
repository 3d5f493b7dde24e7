package io.breachwalk.source;

import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.Gap;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.WalkResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Findings held in memory and counted per provider, safe to fill from any number of threads: the whole scan's
 * ({@link Findings}) and one unit's until it commits ({@link Findings.Unit}) are kept the same way.
 */
class Bucket implements Sink {

    private final List<JobFinding> jobs = new ArrayList<>();
    private final List<Exposure> exposures = new ArrayList<>();
    private final List<Gap> gaps = new ArrayList<>();
    private final List<EvidenceRecord> evidence = new ArrayList<>();
    private final Map<String, Counters> counters = new ConcurrentHashMap<>();

    @Override
    public synchronized void job(JobFinding job) {
        jobs.add(job);
    }

    @Override
    public synchronized void exposure(Exposure exposure) {
        exposures.add(exposure);
    }

    @Override
    public synchronized void gap(Gap gap) {
        gaps.add(gap);
    }

    @Override
    public synchronized void evidence(EvidenceRecord record) {
        evidence.add(record);
    }

    @Override
    public void request(String provider) {
        counters(provider).requests.incrementAndGet();
    }

    @Override
    public void examinedProject(String provider) {
        counters(provider).projects.incrementAndGet();
    }

    @Override
    public void examinedRun(String provider) {
        counters(provider).runs.incrementAndGet();
    }

    @Override
    public void examinedJob(String provider) {
        counters(provider).jobs.incrementAndGet();
    }

    /** Per provider: projects, runs and jobs examined, API requests made. Sorted by provider. */
    public Map<String, WalkResult.Counts> counts() {
        Map<String, WalkResult.Counts> out = new TreeMap<>();
        counters.forEach((provider, c) -> out.put(provider,
                new WalkResult.Counts(c.projects.get(), c.runs.get(), c.jobs.get(), c.requests.get())));
        return out;
    }

    /** Everything held now, as one value. */
    public synchronized WalkResult snapshot() {
        return new WalkResult(jobs, exposures, gaps, counts(), evidence);
    }

    /** Adds findings of another bucket or of the journal. */
    synchronized void addAll(WalkResult found) {
        jobs.addAll(found.jobs());
        exposures.addAll(found.exposures());
        gaps.addAll(found.gaps());
        evidence.addAll(found.evidence());
    }

    /** Adds to one provider's counters what was examined elsewhere (a unit, an earlier run of this scan). */
    void addCounts(String provider, WalkResult.Counts counts) {
        Counters c = counters(provider);
        c.projects.addAndGet(counts.projects());
        c.runs.addAndGet(counts.runs());
        c.jobs.addAndGet(counts.jobs());
        c.requests.addAndGet(counts.requests());
    }

    private Counters counters(String provider) {
        return counters.computeIfAbsent(provider, p -> new Counters());
    }

    private static final class Counters {
        final AtomicLong projects = new AtomicLong();
        final AtomicLong runs = new AtomicLong();
        final AtomicLong jobs = new AtomicLong();
        final AtomicLong requests = new AtomicLong();
    }
}
