package io.breachwalk.source;

import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.Gap;
import io.breachwalk.model.JobFinding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The walk's output, collected from any number of threads; the reports sort it, so arrival order does not matter.
 *
 * <p>A walk that records per project through {@link #unit} can be resumed: each finished unit is appended to the
 * {@link Journal} in the output folder, and a later scan with the same folder and settings loads those units and
 * skips them ({@link #isDone}). A unit interrupted before {@link Unit#commit} leaves no trace and is walked again.
 */
public final class Findings implements Sink {

    private final List<JobFinding> jobs = new ArrayList<>();
    private final List<Exposure> exposures = new ArrayList<>();
    private final List<Gap> gaps = new ArrayList<>();
    private final List<EvidenceRecord> evidence = new ArrayList<>();
    private final Map<String, Counters> counters = new ConcurrentHashMap<>();
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    private Journal journal;

    /** Loads the units a previous, interrupted scan finished, and journals the ones this scan finishes. */
    public synchronized int resumeFrom(Journal journal) throws IOException {
        this.journal = journal;
        int loaded = 0;
        for (Journal.Entry entry : journal.entries()) {
            entry.jobs().forEach(jobs::add);
            entry.exposures().forEach(exposures::add);
            entry.gaps().forEach(gaps::add);
            entry.evidence().forEach(evidence::add);
            Counters c = counters(entry.provider());
            c.projects.addAndGet(entry.counts().projects());
            c.runs.addAndGet(entry.counts().runs());
            c.jobs.addAndGet(entry.counts().jobs());
            c.requests.addAndGet(entry.counts().requests());
            done.add(key(entry.provider(), entry.unit()));
            loaded++;
        }
        return loaded;
    }

    /** Whether an earlier run of this scan already finished this unit (a repository, a Jenkins job). */
    public boolean isDone(String provider, String unit) {
        return done.contains(key(provider, unit));
    }

    /** Starts recording one unit of work (a repository, a Jenkins job) that commits as a whole. */
    public Unit unit(String provider, String unit) {
        return new Unit(provider, unit);
    }

    private static String key(String provider, String unit) {
        return provider + "\u0000" + unit;
    }

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

    public synchronized List<JobFinding> jobs() {
        return List.copyOf(jobs);
    }

    public synchronized List<Exposure> exposures() {
        return List.copyOf(exposures);
    }

    public synchronized List<Gap> gaps() {
        return List.copyOf(gaps);
    }

    /** What each run and project was judged from (in arrival order; the manifest sorts). */
    public synchronized List<EvidenceRecord> evidence() {
        return List.copyOf(evidence);
    }

    /** Per provider: projects, runs and jobs examined, API requests made. Sorted by provider. */
    public Map<String, Counts> counts() {
        Map<String, Counts> out = new TreeMap<>();
        counters.forEach((provider, c) -> out.put(provider,
                new Counts(c.projects.get(), c.runs.get(), c.jobs.get(), c.requests.get())));
        return out;
    }

    private Counters counters(String provider) {
        return counters.computeIfAbsent(provider, p -> new Counters());
    }

    public record Counts(long projects, long runs, long jobs, long requests) {
    }

    private static final class Counters {
        final AtomicLong projects = new AtomicLong();
        final AtomicLong runs = new AtomicLong();
        final AtomicLong jobs = new AtomicLong();
        final AtomicLong requests = new AtomicLong();
    }

    /**
     * One unit's findings, buffered until {@link #commit}: then added to the scan and journaled together, so that
     * an interruption never leaves half a repository in the reports. Requests count at once (they were made).
     */
    public final class Unit implements Sink {
        private final String provider;
        private final String unit;
        private final List<JobFinding> unitJobs = new ArrayList<>();
        private final List<Exposure> unitExposures = new ArrayList<>();
        private final List<Gap> unitGaps = new ArrayList<>();
        private final List<EvidenceRecord> unitEvidence = new ArrayList<>();
        private final Counters unitCounts = new Counters();

        private Unit(String provider, String unit) {
            this.provider = provider;
            this.unit = unit;
        }

        @Override
        public synchronized void job(JobFinding job) {
            unitJobs.add(job);
        }

        @Override
        public synchronized void exposure(Exposure exposure) {
            unitExposures.add(exposure);
        }

        @Override
        public synchronized void gap(Gap gap) {
            unitGaps.add(gap);
        }

        @Override
        public synchronized void evidence(EvidenceRecord record) {
            unitEvidence.add(record);
        }

        @Override
        public void request(String p) {
            unitCounts.requests.incrementAndGet();
            Findings.this.request(p);
        }

        @Override
        public void examinedProject(String p) {
            unitCounts.projects.incrementAndGet();
        }

        @Override
        public void examinedRun(String p) {
            unitCounts.runs.incrementAndGet();
        }

        @Override
        public void examinedJob(String p) {
            unitCounts.jobs.incrementAndGet();
        }

        /** Adds the unit to the scan and, when resumable, to the journal (flushed to disk before returning). */
        public synchronized void commit() {
            Counts counts = new Counts(unitCounts.projects.get(), unitCounts.runs.get(), unitCounts.jobs.get(),
                    unitCounts.requests.get());
            synchronized (Findings.this) {
                jobs.addAll(unitJobs);
                exposures.addAll(unitExposures);
                gaps.addAll(unitGaps);
                evidence.addAll(unitEvidence);
                Counters c = counters(provider);
                c.projects.addAndGet(counts.projects());
                c.runs.addAndGet(counts.runs());
                c.jobs.addAndGet(counts.jobs());
                done.add(key(provider, unit));
                if (journal != null) {
                    try {
                        journal.append(new Journal.Entry(provider, unit, List.copyOf(unitJobs),
                                List.copyOf(unitExposures), List.copyOf(unitGaps), counts, List.copyOf(unitEvidence)));
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write the resume journal", e);
                    }
                }
            }
        }
    }
}
