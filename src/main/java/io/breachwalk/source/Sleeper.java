package io.breachwalk.source;

import java.time.Duration;

/** How the walk waits; tests pass one that records instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;

    Sleeper REAL = d -> {
        if (!d.isZero() && !d.isNegative()) Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));
    };
}
