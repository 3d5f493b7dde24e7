package io.breachwalk.source.github.graphql;

/**
 * A step of a job as GraphQL's {@code CheckStep} gives it, in REST's spelling: {@code status} and {@code conclusion}
 * lower-case as in the jobs API ({@code conclusion} null while running), times as the API's ISO-8601 text (null
 * when not set). Same fields as a REST job's {@code steps[]} entry.
 */
public record CheckRunStep(int number, String name, String status, String conclusion, String startedAt,
                           String completedAt) {}
