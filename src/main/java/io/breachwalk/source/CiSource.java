package io.breachwalk.source;

/**
 * One CI provider's walk: list the runs or builds of the window, decide per job whether it ran the compromised step,
 * and record jobs, exposures and gaps in the context's {@link Findings}. Only this stage (and secret resolution inside
 * it) talks to the provider.
 */
public interface CiSource {

    /** The provider column value: `github-actions`, `jenkins`, ... */
    String provider();

    /**
     * Walks the provider. A failure in one project is a gap in {@code ctx.findings()} and the walk goes on; a
     * {@link SourceException} means the whole source is unusable (rejected credentials, unreachable URL).
     */
    void walk(ScanContext ctx) throws SourceException;

    /**
     * Whom the provider's credential check resolved the scan to (GitHub login, Jenkins user), for the report's
     * `scan` block; empty before the walk or when the provider does not say. Never a token.
     */
    default String identity() {
        return "";
    }
}
