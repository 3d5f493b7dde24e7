package io.breachwalk.model;

import java.util.Locale;

/** How strong the evidence behind a verdict is (DESIGN 5.2). */
public enum Confidence {
    /** A step record or a log line shows it. */
    CONFIRMED,
    /** The configuration at the run's own commit runs it; no step record or log. */
    PROBABLE,
    /** Indirect: a script, a template, a configuration from another commit. */
    POSSIBLE;

    public String csv() {
        return name().toLowerCase(Locale.ROOT);
    }
}
