package io.breachwalk.source;

import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.Gap;
import io.breachwalk.model.JobFinding;

/** Where a walk records what it found: the scan's {@link Findings}, or one project's {@link Findings.Unit}. */
public interface Sink {
    void job(JobFinding job);

    void exposure(Exposure exposure);

    void gap(Gap gap);

    void request(String provider);

    void examinedProject(String provider);

    void examinedRun(String provider);

    void examinedJob(String provider);

    /** What a run (or, with an empty run id, a project) was judged from; see the evidence folder's manifest. */
    void evidence(EvidenceRecord record);
}
