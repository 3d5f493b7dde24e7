package io.breachwalk.model;

/** How close a secret was to the compromised step (DESIGN 4.2). Declared strongest first. */
public enum ExposureLevel {
    /** The step itself received it (its environment, an input, an argument). */
    STEP,
    /** Delivered to the same job, not to that step. */
    JOB;

    public static ExposureLevel strongest(ExposureLevel a, ExposureLevel b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }
}
