package io.breachwalk.source.github.graphql;

import java.util.List;

/**
 * The jobs of one workflow run, read through its check suite ({@code check_suite_node_id} of the REST run) with
 * {@code checkType: ALL}: every attempt's jobs, in the suite's order. Replaces REST
 * {@code GET /repos/{o}/{r}/actions/runs/{run}/jobs?filter=all} (all pages). {@code known} false: GraphQL could not
 * say (an error, a null node, a page missing, counts that disagree, GraphQL unavailable) and the caller reads the run
 * through REST; an empty {@code jobs} list with {@code known} true is "no jobs" (REST's {@code total_count: 0}).
 * {@code runId} is the suite's {@code workflowRun.databaseId}; check runs of other runs in the suite (a test reporter's
 * Checks API run, whose {@code detailsUrl} is not {@code /actions/runs/{runId}/job/{id}}) are left out.
 */
public record SuiteJobs(String suiteNodeId, boolean known, long runId, List<CheckRunJob> jobs, String reason) {
    static SuiteJobs unknown(String suiteNodeId, String reason) {
        return new SuiteJobs(suiteNodeId, false, 0, List.of(), reason);
    }
}
