package io.breachwalk.sim.github;

import java.time.Instant;

/** One request the simulator answered: never the token value, only the estate's name for it. */
public record RecordedRequest(Instant at, String method, String path, String query, int status, String token,
                              String fault) {
    /** Path plus query as sent, e.g. {@code /repos/acme/web/actions/runs?created=...&page=2}. */
    public String pathAndQuery() {
        return query == null ? path : path + "?" + query;
    }
}
