package io.breachwalk.sim.github;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Map;

/**
 * The primary rate limit of one token in the {@link GitHubSimulator}: a fixed window that resets after resetSeconds,
 * reported in X-RateLimit-* headers and by /rate_limit.
 */
final class Bucket {
    private final int limit;
    private final long resetSeconds;
    private int used;
    private long reset;

    Bucket(int limit, long resetSeconds) {
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

    synchronized boolean take() {
        roll();
        if (used >= limit) {
            return false;
        }
        used++;
        return true;
    }

    synchronized void exhaust() {
        roll();
        used = limit;
    }

    synchronized void headers(Map<String, String> h) {
        roll();
        h.put("X-RateLimit-Limit", Integer.toString(limit));
        h.put("X-RateLimit-Remaining", Integer.toString(Math.max(0, limit - used)));
        h.put("X-RateLimit-Reset", Long.toString(reset));
        h.put("X-RateLimit-Used", Integer.toString(used));
        h.put("X-RateLimit-Resource", "core");
    }

    synchronized ObjectNode json() {
        roll();
        ObjectNode n = Payloads.JSON.createObjectNode();
        n.put("limit", limit);
        n.put("used", used);
        n.put("remaining", Math.max(0, limit - used));
        n.put("reset", reset);
        return n;
    }
}
