package io.breachwalk.model;

import java.time.Instant;

/**
 * One CI job (a GitHub job of one attempt, a Jenkins build or stage) that references an indicator, with the verdict
 * on whether it ran the compromised step. One row of jobs.csv.
 *
 * @param basis          what the row rests on: {@link #RUNS} (the provider's run or build records) or
 *                       {@link #COMMIT_HISTORY} (the records expired; the configuration in effect, read from the
 *                       repository's history, says the job would have run)
 * @param lastPossibleAt for a commit-history row, the last moment that configuration could have run the job (the
 *                       window's end or the next change of the configuration); null for rows from run records, whose
 *                       {@code startedAt} is when they ran
 */
public record JobFinding(
        String provider,
        String host,
        String project,
        String pipeline,
        String runId,
        int runAttempt,
        String jobId,
        String jobName,
        String branch,
        String commitSha,
        String event,
        Instant startedAt,
        String url,
        Verdict verdict,
        Confidence confidence,
        String evidence,
        String basis,
        Instant lastPossibleAt) {

    public static final String RUNS = "runs";
    public static final String COMMIT_HISTORY = "commit-history";

    public JobFinding {
        basis = basis == null || basis.isBlank() ? RUNS : basis; // reports written before `basis` existed
    }

    /** A row from the provider's run or build records. */
    public JobFinding(String provider, String host, String project, String pipeline, String runId, int runAttempt,
                      String jobId, String jobName, String branch, String commitSha, String event, Instant startedAt,
                      String url, Verdict verdict, Confidence confidence, String evidence) {
        this(provider, host, project, pipeline, runId, runAttempt, jobId, jobName, branch, commitSha, event, startedAt,
                url, verdict, confidence, evidence, RUNS, null);
    }

    /** The latest moment the job could have exposed what it held: when it ran, or when its configuration ended. */
    public Instant exposedUntil() {
        return lastPossibleAt != null ? lastPossibleAt : startedAt;
    }

    public JobFinding withVerdict(Verdict newVerdict, Confidence newConfidence, String newEvidence) {
        return new JobFinding(provider, host, project, pipeline, runId, runAttempt, jobId, jobName, branch, commitSha,
                event, startedAt, url, newVerdict, newConfidence, newEvidence, basis, lastPossibleAt);
    }
}
