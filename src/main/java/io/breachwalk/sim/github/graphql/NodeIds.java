package io.breachwalk.sim.github.graphql;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The simulator's global node ids: a type prefix, an underscore and the base64 (unpadded) of the database id, the
 * same scheme the REST payloads use for {@code node_id}, so an id read from REST resolves through GraphQL.
 */
public final class NodeIds {
    /** GitHub keeps check suite ids apart from run ids; the simulator derives one from the other. */
    public static final long CHECK_SUITE_OFFSET = 10_000_000_000L;

    public static final String CHECK_SUITE = "CS_";
    public static final String CHECK_RUN = "CR_";
    public static final String WORKFLOW_RUN = "WFR_";
    public static final String WORKFLOW = "W_";
    public static final String REPOSITORY = "R_";

    private NodeIds() {
    }

    public static String of(String prefix, long id) {
        return of(prefix, Long.toString(id));
    }

    public static String of(String prefix, String key) {
        return prefix + Base64.getEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    public static long checkSuiteId(long runId) {
        return runId + CHECK_SUITE_OFFSET;
    }

    /** A decoded id: its prefix (with the underscore) and the key it encodes. */
    public record Decoded(String prefix, String key) {
        public Optional<Long> number() {
            try {
                return Optional.of(Long.parseLong(key));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    public static Optional<Decoded> decode(String id) {
        int u = id == null ? -1 : id.indexOf('_');
        if (u <= 0) {
            return Optional.empty();
        }
        try {
            String key = new String(Base64.getDecoder().decode(id.substring(u + 1)), StandardCharsets.UTF_8);
            return Optional.of(new Decoded(id.substring(0, u + 1), key));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
