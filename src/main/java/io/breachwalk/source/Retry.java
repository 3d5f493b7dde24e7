package io.breachwalk.source;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Runs one provider's requests under a {@link RetryPolicy}. A rate-limit answer pauses every thread of the provider
 * (not only the one that got it) until the wait is over, shown on the progress bar: hammering a limited API from the
 * other threads would only extend the limit. After the last attempt the failure is thrown for the caller to record as
 * a coverage gap; the walk goes on.
 */
public final class Retry {

    /** One attempt of a request (send, check the status, read the body). */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws IOException;
    }

    /** A provider's first request tries a server that does not answer twice, half a second apart. */
    private static final int PROBE_ATTEMPTS = 2;
    private static final Duration PROBE_BACKOFF = Duration.ofMillis(500);

    private final RetryPolicy policy;
    private final Progress progress;
    private final SplittableRandom random;
    private Instant pausedUntil = Instant.MIN;

    public Retry(RetryPolicy policy, Progress progress) {
        this.policy = policy;
        this.progress = progress == null ? Progress.NONE : progress;
        this.random = new SplittableRandom(policy.seed());
    }

    public RetryPolicy policy() {
        return policy;
    }

    /**
     * Runs {@code call} until it succeeds, fails for good (denied, not found, a malformed request), or runs out of
     * attempts; {@code what} names the request in messages. Plain IOExceptions (reset, timeout, a body cut short) are
     * transient.
     */
    public <T> T run(String what, Call<T> call) throws IOException {
        return run(what, call, false);
    }

    /**
     * Runs a provider's first request (the credential check). A server that cannot be reached at all (connection
     * refused, host not found) is a wrong URL or no network far more often than a blip: it fails after one quick
     * retry, a connect timeout at once, instead of a minute of backoff. Everything else is retried as by
     * {@link #run}.
     */
    public <T> T probe(String what, Call<T> call) throws IOException {
        return run(what, call, true);
    }

    private <T> T run(String what, Call<T> call, boolean probe) throws IOException {
        int failures = 0;
        Duration waited = Duration.ZERO;
        while (true) {
            awaitPause();
            HttpFailure failure;
            try {
                return call.call();
            } catch (HttpFailure f) {
                failure = f;
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                failure = HttpFailure.transport(what, e);
            }
            if (!failure.retryable()) throw failure;
            boolean limited = failure.kind() == HttpFailure.Kind.RATE_LIMITED;
            // A rate limit is not the request failing: it waits as told, bounded by --max-wait in total. Anything
            // else counts towards the attempts.
            if (!limited) failures++;
            if (probe && failure.kind() == HttpFailure.Kind.UNREACHABLE) {
                if (failures >= Math.min(PROBE_ATTEMPTS, policy.maxAttempts()) || failure.connectTimedOut()) {
                    throw failure;
                }
                sleep(PROBE_BACKOFF);
                continue;
            }
            if (failures >= policy.maxAttempts()) {
                throw new HttpFailure(failure.kind(), failure.status(), failure.serverWait(),
                        failure.getMessage() + (failures == 1 ? "" : "; gave up after " + failures + " attempts"),
                        failure);
            }
            Duration wait = failure.serverWait() != null ? failure.serverWait() : backoff(Math.max(1, failures));
            if (waited.plus(wait).compareTo(policy.maxWait()) > 0) {
                throw new HttpFailure(failure.kind(), failure.status(), wait, failure.getMessage() + "; the server asks "
                        + "to wait " + wait.toSeconds() + " s more, beyond --max-wait " + policy.maxWait().toSeconds()
                        + " s", failure);
            }
            waited = waited.plus(wait);
            if (limited) {
                pauseAll(wait);
                progress.waiting("rate limited by the API (" + what + ")", wait.toSeconds());
            } else {
                sleep(wait);
            }
        }
    }

    /** Capped exponential backoff with "equal jitter": half the step fixed, half random, so threads spread out. */
    Duration backoff(int attempt) {
        long base = policy.initialBackoff().toMillis();
        long cap = policy.maxBackoff().toMillis();
        long step = Math.min(cap, base << Math.min(20, attempt - 1));
        double r;
        synchronized (random) {
            r = random.nextDouble();
        }
        return Duration.ofMillis(step / 2 + (long) (r * (step - step / 2)));
    }

    private void pauseAll(Duration wait) {
        Instant until = policy.clock().instant().plus(wait);
        synchronized (this) {
            if (until.isAfter(pausedUntil)) pausedUntil = until;
        }
    }

    private void awaitPause() throws InterruptedIOException {
        Instant until;
        synchronized (this) {
            until = pausedUntil;
        }
        Instant now = policy.clock().instant();
        // Compared before any Duration is made: Duration.between(now, Instant.MIN) overflows inside the JDK on every
        // request, and C2 then deoptimizes and recompiles the request path hundreds of times in one scan.
        if (until.isAfter(now)) {
            Duration left = Duration.between(now, until);
            sleep(left);
            // Scaled sleeps end before the unscaled pause: the pause is over once we slept it.
            synchronized (this) {
                if (pausedUntil.equals(until)) pausedUntil = Instant.MIN;
            }
        }
    }

    private void sleep(Duration d) throws InterruptedIOException {
        try {
            policy.sleeper().sleep(Duration.ofNanos((long) (d.toNanos() * policy.timeScale())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
