package io.breachwalk.source;

import java.time.Clock;
import java.time.Duration;

/**
 * How hard a walk tries before a request becomes a coverage gap: at most {@code maxAttempts} tries, backing off
 * exponentially from {@code initialBackoff} to {@code maxBackoff} with jitter (seeded, for reproducible tests), waiting
 * as long as a server asks (Retry-After, rate-limit reset) but never longer than {@code maxWait} for one request.
 * {@code timeScale} multiplies every real sleep: 1 in use, e.g. 0.001 in tests, so that a simulated one-hour reset
 * passes in milliseconds while the decisions stay the same.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxWait,
                          double timeScale, long seed, Sleeper sleeper, Clock clock) {

    public static final int DEFAULT_ATTEMPTS = 6;
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofHours(1);

    public RetryPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
        if (timeScale < 0) throw new IllegalArgumentException("timeScale must not be negative");
        sleeper = sleeper == null ? Sleeper.REAL : sleeper;
        clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** Six tries, 1 s doubling to 60 s, up to an hour for a rate-limit reset (GitHub's primary window). */
    public static RetryPolicy defaults() {
        return new RetryPolicy(DEFAULT_ATTEMPTS, Duration.ofSeconds(1), Duration.ofSeconds(60), DEFAULT_MAX_WAIT, 1.0,
                System.nanoTime(), Sleeper.REAL, Clock.systemUTC());
    }

    public RetryPolicy withMaxWait(Duration d) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, d, timeScale, seed, sleeper, clock);
    }

    public RetryPolicy withMaxAttempts(int n) {
        return new RetryPolicy(n, initialBackoff, maxBackoff, maxWait, timeScale, seed, sleeper, clock);
    }

    public RetryPolicy withTimeScale(double scale) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, maxWait, scale, seed, sleeper, clock);
    }

    public RetryPolicy withSleeper(Sleeper s, Clock c) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, maxWait, timeScale, seed, s, c);
    }

    public RetryPolicy withSeed(long s) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, maxWait, timeScale, s, sleeper, clock);
    }
}
