package io.breachwalk.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a walk found, as one value: the input of the ledger and the reports, taken when the walk is over so that
 * neither needs the walk's accumulator. Lists are in arrival order (the reports sort); counts are per provider.
 */
public record WalkResult(List<JobFinding> jobs, List<Exposure> exposures, List<Gap> gaps,
                         Map<String, Counts> counts, List<EvidenceRecord> evidence) {

    public WalkResult {
        jobs = List.copyOf(jobs);
        exposures = List.copyOf(exposures);
        gaps = List.copyOf(gaps);
        counts = Collections.unmodifiableMap(new TreeMap<>(counts));
        evidence = List.copyOf(evidence);
    }

    /** Per provider: projects, runs and jobs examined, API requests made. */
    public record Counts(long projects, long runs, long jobs, long requests) {
    }
}
