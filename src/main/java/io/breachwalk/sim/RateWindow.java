package io.breachwalk.sim;

import java.time.Instant;

/**
 * One token's primary rate limit in a simulator: a fixed window of {@code limit} units that resets
 * {@code resetSeconds} after it opened. Each simulator reports it in its own headers and answers from a
 * {@link Snapshot}, so the counting lives here once.
 */
public final class RateWindow {

    /** What the window held when asked, after rolling it over if its time was up. */
    public record Snapshot(int limit, int used, int remaining, long resetEpochSeconds) {}

    private final int limit;
    private final long resetSeconds;
    private int used;
    private long reset;

    public RateWindow(int limit, long resetSeconds) {
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
    }

    /** Counts one request; false (nothing counted) when the window is spent. */
    public boolean take() {
        return charge(1);
    }

    /** Takes the units when they are left; false (nothing taken) when they cost more than remains. */
    public synchronized boolean charge(int units) {
        roll();
        if (used + units > limit) {
            return false;
        }
        used += units;
        return true;
    }

    /** Spends what is left of the window, as a fault that exhausts the limit does. */
    public synchronized void exhaust() {
        roll();
        used = limit;
    }

    /** Seconds until the window resets, at least one. */
    public synchronized long secondsToReset() {
        roll();
        return Math.max(1, reset - Instant.now().getEpochSecond());
    }

    public synchronized Snapshot snapshot() {
        roll();
        return new Snapshot(limit, used, Math.max(0, limit - used), reset);
    }
}
