package io.breachwalk.sim.gitlab;

import java.time.Instant;
import java.util.Map;

/**
 * One token's request budget in the {@link GitLabSimulator}: a fixed window reported in GitLab's RateLimit-* headers;
 * once spent, requests answer 429 with Retry-After until the window resets.
 */
final class RateWindow {
    private final int limit;
    private final long resetSeconds;
    private int used;
    private long reset;

    RateWindow(int limit, long resetSeconds) {
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

    /** Counts a request; false when the budget is spent. */
    synchronized boolean take() {
        roll();
        if (used >= limit) {
            return false;
        }
        used++;
        return true;
    }

    synchronized long secondsToReset() {
        roll();
        return Math.max(1, reset - Instant.now().getEpochSecond());
    }

    synchronized void headers(Map<String, String> h) {
        roll();
        h.put("RateLimit-Limit", Integer.toString(limit));
        h.put("RateLimit-Observed", Integer.toString(used));
        h.put("RateLimit-Remaining", Integer.toString(Math.max(0, limit - used)));
        h.put("RateLimit-Reset", Long.toString(reset));
    }
}
