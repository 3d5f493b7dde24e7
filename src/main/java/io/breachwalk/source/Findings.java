package io.breachwalk.source;

import io.breachwalk.model.WalkResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The walk's output, collected from any number of threads; {@link #snapshot} hands it on to the ledger and the
 * reports, which sort it, so arrival order does not matter.
 *
 * <p>A walk that records per project through {@link #unit} can be resumed: each finished unit is appended to the
 * {@link Journal} in the output folder, and a later scan with the same folder and settings loads those units and
 * skips them ({@link #isDone}). A unit interrupted before {@link Unit#commit} leaves no trace and is walked again.
 */
public final class Findings extends Bucket {

    private final Set<String> done = ConcurrentHashMap.newKeySet();
    private Journal journal;

    /** Loads the units a previous, interrupted scan finished, and journals the ones this scan finishes. */
    public synchronized int resumeFrom(Journal journal) throws IOException {
        this.journal = journal;
        int loaded = 0;
        for (Journal.Entry entry : journal.entries()) {
            addAll(new WalkResult(entry.jobs(), entry.exposures(), entry.gaps(), java.util.Map.of(),
                    entry.evidence()));
            addCounts(entry.provider(), entry.counts());
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

    /**
     * One unit's findings, buffered until {@link #commit}: then added to the scan and journaled together, so that
     * an interruption never leaves half a repository in the reports. Requests count at once (they were made).
     */
    public final class Unit extends Bucket {
        private final String provider;
        private final String unit;

        private Unit(String provider, String unit) {
            this.provider = provider;
            this.unit = unit;
        }

        @Override
        public void request(String p) {
            super.request(p);
            Findings.this.request(p);
        }

        /** Adds the unit to the scan and, when resumable, to the journal (flushed to disk before returning). */
        public synchronized void commit() {
            WalkResult found = snapshot();
            WalkResult.Counts counts = total(found);
            synchronized (Findings.this) {
                Findings.this.addAll(found);
                // Requests were counted on the scan as they were made.
                Findings.this.addCounts(provider, new WalkResult.Counts(counts.projects(), counts.runs(), counts.jobs(), 0));
                done.add(key(provider, unit));
                if (journal != null) {
                    try {
                        journal.append(new Journal.Entry(provider, unit, found.jobs(), found.exposures(),
                                found.gaps(), counts, found.evidence()));
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write the resume journal", e);
                    }
                }
            }
        }

        /** The unit's counts whichever provider name the walk gave them under (it is always the unit's own). */
        private static WalkResult.Counts total(WalkResult found) {
            long projects = 0;
            long runs = 0;
            long jobs = 0;
            long requests = 0;
            for (WalkResult.Counts c : found.counts().values()) {
                projects += c.projects();
                runs += c.runs();
                jobs += c.jobs();
                requests += c.requests();
            }
            return new WalkResult.Counts(projects, runs, jobs, requests);
        }
    }
}
