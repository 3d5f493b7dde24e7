package io.breachwalk.model;

/** What the provider's secret store says about a referenced secret. */
public enum SecretState {
    /** Stored now; its change time (if the provider keeps one) is on the exposure. */
    PRESENT,
    /** Referenced by the job, but no longer in any store visible to it. */
    MISSING,
    /** Issued for the job and expired with it (GITHUB_TOKEN, CI_JOB_TOKEN...). */
    EPHEMERAL,
    /** The store could not be listed, or keeps no change time. */
    UNKNOWN
}
