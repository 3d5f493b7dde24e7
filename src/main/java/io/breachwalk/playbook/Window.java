package io.breachwalk.playbook;

import java.time.Instant;

/** The incident window: a job is in it when it started at or after {@code since} and before {@code until}. */
public record Window(Instant since, Instant until) {

    public Window {
        if (since == null || until == null) {
            throw new IllegalArgumentException("the window needs both `since` and `until` (ISO-8601, e.g. 2021-01-31T00:00:00Z)");
        }
        if (!since.isBefore(until)) {
            throw new IllegalArgumentException("the window's `since` (" + since + ") must be before `until` (" + until + ")");
        }
    }

    public boolean contains(Instant t) {
        return t != null && !t.isBefore(since) && t.isBefore(until);
    }
}
