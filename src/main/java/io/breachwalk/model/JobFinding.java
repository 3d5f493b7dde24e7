package io.breachwalk.model;

import java.time.Instant;

/**
 * One CI job (a GitHub job of one attempt, a Jenkins build or stage) that references an indicator, with the verdict
 * on whether it ran the compromised step. One row of jobs.csv.
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
        String evidence) {

    public JobFinding withVerdict(Verdict newVerdict, Confidence newConfidence, String newEvidence) {
        return new JobFinding(provider, host, project, pipeline, runId, runAttempt, jobId, jobName, branch, commitSha,
                event, startedAt, url, newVerdict, newConfidence, newEvidence);
    }
}
