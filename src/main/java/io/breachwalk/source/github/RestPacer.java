package io.breachwalk.source.github;

import io.breachwalk.source.Retry;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * GitHub's REST bucket (X-RateLimit-Limit, -Remaining, -Reset), paced before it runs out rather than after: while
 * more than a reserve is left requests go at once; at the reserve each waits for the reset. The reserve, a twentieth of
 * the limit and at most 100, leaves room for the requests in flight and other users of the token; a bucket of fewer
 * than 20 has none and is left to the limit answers, which {@link Retry} waits out as before. A reset beyond
 * --max-wait is not waited for here either: the request goes, and the limit answer says what happened.
 */
final class RestPacer {
    private long limit = -1;
    private long remaining = -1;
    private Instant reset = Instant.EPOCH;

    /** Reads the bucket from a successful answer's headers (a limit answer is {@link Retry}'s to handle). */
    synchronized void observe(int status, Function<String, String> header) {
        if (status / 100 != 2) {
            return;
        }
        try {
            String l = header.apply("X-RateLimit-Limit");
            String r = header.apply("X-RateLimit-Remaining");
            String t = header.apply("X-RateLimit-Reset");
            if (l == null || r == null || t == null) {
                return;
            }
            limit = Long.parseLong(l.trim());
            remaining = Long.parseLong(r.trim());
            reset = Instant.ofEpochSecond(Long.parseLong(t.trim()));
        } catch (RuntimeException e) {
            // A header that is not a number says nothing about the bucket.
        }
    }

    /** Before a request: waits for the reset when the bucket is down to its reserve. */
    void await(Retry retry) throws InterruptedIOException {
        Duration wait;
        synchronized (this) {
            long reserve = Math.min(100, limit / 20);
            if (remaining < 0 || reserve <= 0 || remaining > reserve) {
                if (remaining > 0) {
                    remaining--; // counted down until the next answer says the truth
                }
                return;
            }
            wait = Duration.between(retry.policy().clock().instant(), reset).plusSeconds(1);
            if (wait.isNegative() || wait.isZero() || wait.compareTo(retry.policy().maxWait()) > 0) {
                remaining = -1;
                return;
            }
            remaining = -1; // one thread waits per answer seen; the others go on to the reserve
        }
        try {
            retry.policy().sleeper().sleep(Duration.ofNanos((long) (wait.toNanos() * retry.policy().timeScale())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the REST rate limit reset");
        }
    }

    /** Requests left as the last answer said (counted down since), -1 before any. */
    synchronized long remaining() {
        return remaining;
    }
}
