package io.breachwalk.source.github.graphql;

import java.util.List;

/**
 * A job of a workflow run read as a GraphQL {@code CheckRun}, in REST's spelling, so a caller can put it where a
 * record of {@code GET /repos/{o}/{r}/actions/runs/{run}/jobs?filter=all} would go: {@code id} = REST job {@code id}
 * (the check run's {@code databaseId}, a long), {@code nodeId} = REST {@code node_id}, {@code htmlUrl} = REST
 * {@code html_url} (the check run's {@code detailsUrl}, {@code .../actions/runs/{runId}/job/{id}}). GraphQL has no run
 * attempt, runner or {@code created_at}: runs with {@code run_attempt > 1} still need REST to label attempts.
 */
public record CheckRunJob(long id, String nodeId, long runId, String name, String status, String conclusion,
                          String startedAt, String completedAt, String htmlUrl, List<CheckRunStep> steps) {}
