package io.breachwalk.sim.gitlab;

import java.time.Instant;

/**
 * One request the {@link GitLabSimulator} answered, for tests that check request economy.
 *
 * @param token the token's estate name (never its value), or null without one
 * @param fault the injected fault kind, or null
 */
public record GitLabRequest(Instant at, String method, String path, String query, int status, String token,
                            String fault) {
    /** Path plus query as sent, e.g. {@code /api/v4/projects/7/pipelines?page=2}. */
    public String pathAndQuery() {
        return query == null ? path : path + "?" + query;
    }
}
