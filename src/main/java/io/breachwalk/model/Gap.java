package io.breachwalk.model;

/**
 * Something that could not be checked, so that silence never reads as "safe". One row of coverage.csv.
 *
 * @param gap      LOGS_EXPIRED, CONFIG_NOT_FOUND, UNPARSABLE_CONFIG, ACCESS_DENIED, UNREACHABLE, API_ERROR, RESULT_CAP,
 *                 BUILDS_DISCARDED, SECRETS_UNLISTABLE, ...
 * @param blocking true when a project, run or job was left without a verdict
 */
public record Gap(String provider, String host, String project, String runId, String gap, String detail,
                  boolean blocking) {

    public static final String LOGS_EXPIRED = "LOGS_EXPIRED";
    public static final String CONFIG_NOT_FOUND = "CONFIG_NOT_FOUND";
    public static final String UNPARSABLE_CONFIG = "UNPARSABLE_CONFIG";
    public static final String ACCESS_DENIED = "ACCESS_DENIED";
    /** The server could not be reached at all (connection refused, host not found, timeout); not a permission. */
    public static final String UNREACHABLE = "UNREACHABLE";
    public static final String API_ERROR = "API_ERROR";
    public static final String RESULT_CAP = "RESULT_CAP";
    public static final String BUILDS_DISCARDED = "BUILDS_DISCARDED";
    /** The provider no longer has the runs of the window (or of part of it): retention deleted them. */
    public static final String RUNS_EXPIRED = "RUNS_EXPIRED";
    /** Runs are still listed but their jobs and steps are gone (archived check runs). */
    public static final String JOBS_ARCHIVED = "JOBS_ARCHIVED";
    public static final String SECRETS_UNLISTABLE = "SECRETS_UNLISTABLE";
    public static final String UNSUPPORTED_JOB = "UNSUPPORTED_JOB";
    /** A log longer than the read cap: cut there, so a line after the cut was not seen. */
    public static final String LOG_TRUNCATED = "LOG_TRUNCATED";
    /** `scan --offline`: something the re-analysis needs was never fetched by the online scan. */
    public static final String NOT_IN_EVIDENCE = "NOT_IN_EVIDENCE";
    /** `scan --offline`: what a re-analysis from stored evidence cannot re-derive (one row per provider). */
    public static final String OFFLINE_REANALYSIS = "OFFLINE_REANALYSIS";
}
