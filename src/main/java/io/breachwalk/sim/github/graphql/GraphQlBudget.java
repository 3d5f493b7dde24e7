package io.breachwalk.sim.github.graphql;

import io.breachwalk.sim.RateWindow;

import java.time.Instant;

/**
 * One token's GraphQL budget, apart from REST's: primary points per window (5,000 an hour by default) and the
 * secondary limit of 2,000 secondary points a minute, where every query costs one.
 */
final class GraphQlBudget {
    static final int SECONDARY_PER_MINUTE = 2_000;

    private final RateWindow points;
    private long minute;
    private int thisMinute;

    GraphQlBudget(int limit, long resetSeconds) {
        this.points = new RateWindow(limit, resetSeconds);
    }

    /** Counts one query against the secondary limit; false when this minute's allowance is spent. */
    synchronized boolean admit() {
        long now = Instant.now().getEpochSecond();
        if (now / 60 != minute) {
            minute = now / 60;
            thisMinute = 0;
        }
        if (thisMinute >= SECONDARY_PER_MINUTE) {
            return false;
        }
        thisMinute++;
        return true;
    }

    /** Seconds until the secondary allowance renews. */
    long secondaryRetryAfter() {
        return 60 - Instant.now().getEpochSecond() % 60;
    }

    /** Takes the points when they are left; false (nothing taken) when the query costs more than remains. */
    boolean charge(int cost) {
        return points.charge(cost);
    }

    void exhaust() {
        points.exhaust();
    }

    RateWindow.Snapshot snapshot() {
        return points.snapshot();
    }
}
