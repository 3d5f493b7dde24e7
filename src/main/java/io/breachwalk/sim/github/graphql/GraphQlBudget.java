package io.breachwalk.sim.github.graphql;

import java.time.Instant;

/**
 * One token's GraphQL budget, apart from REST's: primary points per window (5,000 an hour by default) and the
 * secondary limit of 2,000 secondary points a minute, where every query costs one.
 */
final class GraphQlBudget {
    static final int SECONDARY_PER_MINUTE = 2_000;

    /** What the budget said after charging a query. */
    record Snapshot(int limit, int used, int remaining, long resetEpochSeconds) {}

    private final int limit;
    private final long resetSeconds;
    private int used;
    private long reset;
    private long minute;
    private int thisMinute;

    GraphQlBudget(int limit, long resetSeconds) {
        this.limit = limit;
        this.resetSeconds = resetSeconds;
        this.reset = Instant.now().getEpochSecond() + resetSeconds;
    }

    private void roll() {
        long now = Instant.now().getEpochSecond();
        if (now >= reset) {
            used = 0;
            reset = now + resetSeconds;
        }
        if (now / 60 != minute) {
            minute = now / 60;
            thisMinute = 0;
        }
    }

    /** Counts one query against the secondary limit; false when this minute's allowance is spent. */
    synchronized boolean admit() {
        roll();
        if (thisMinute >= SECONDARY_PER_MINUTE) {
            return false;
        }
        thisMinute++;
        return true;
    }

    /** Seconds until the secondary allowance renews. */
    synchronized long secondaryRetryAfter() {
        return 60 - Instant.now().getEpochSecond() % 60;
    }

    /** Takes the points when they are left; false (nothing taken) when the query costs more than remains. */
    synchronized boolean charge(int points) {
        roll();
        if (used + points > limit) {
            return false;
        }
        used += points;
        return true;
    }

    synchronized void exhaust() {
        roll();
        used = limit;
    }

    synchronized Snapshot snapshot() {
        roll();
        return new Snapshot(limit, used, Math.max(0, limit - used), reset);
    }
}
