package io.breachwalk.source.github.graphql;

/**
 * How many items go into one query, adapted as the server answers: halved when a query of that size was too slow or
 * too large (502/504, timeout, node or resource limit), grown back by an eighth after each answered query, never
 * above {@code max}. GitHub documents no alias cap and only a 10-second timeout, so the size is learned, not fixed.
 */
final class BatchSize {
    private final int max;
    private int current;

    BatchSize(int start, int max) {
        if (start < 1 || max < start) throw new IllegalArgumentException("batch sizes must be 1 <= start <= max");
        this.max = max;
        this.current = start;
    }

    synchronized int get() {
        return current;
    }

    /** A query of {@code failedSize} items was too much: the next ones take at most half of it. */
    synchronized void tooLarge(int failedSize) {
        current = Math.max(1, Math.min(current, failedSize / 2));
    }

    synchronized void answered() {
        current = Math.min(max, current + Math.max(1, current / 8));
    }
}
