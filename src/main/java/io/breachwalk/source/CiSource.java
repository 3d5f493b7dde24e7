package io.breachwalk.source;

import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * One CI provider's walk, split into units of work (repositories, Jenkins jobs) and the judging of one unit: list the
 * units, then decide per job of a unit whether it ran the compromised step and record jobs, exposures and gaps in the
 * unit's sink. {@link UnitDriver} holds what is the same for every provider: the pool, progress, resume and commit.
 * Only this stage (and secret resolution inside it) talks to the provider.
 *
 * @param <U> what one unit of work is to this provider (a repository, a job reference, stored records)
 */
public interface CiSource<U> {

    /** The provider column value: `github-actions`, `jenkins`, ... */
    String provider();

    /**
     * Whom the provider's credential check resolved the scan to (GitHub login, Jenkins user), for the report's
     * `scan` block; empty before the walk or when the provider does not say. Never a token.
     */
    default String identity() {
        return "";
    }

    /** The progress label of the units phase, e.g. "GitHub repositories". */
    String unitLabel();

    /**
     * What the walk spent of its API budgets (e.g. {@code rest_requests}, {@code graphql_points}), for report.json's
     * `scan` block; empty when the provider does not count them.
     */
    default java.util.Map<String, Object> budgets() {
        return java.util.Map.of();
    }

    /**
     * Lists the units to judge. Problems that concern the scan rather than one unit are gaps in
     * {@code ctx.findings()}; a {@link SourceException} means the whole source is unusable (rejected credentials,
     * unreachable URL).
     */
    List<U> units(ScanContext ctx) throws SourceException;

    /** The unit's project name: its key in the resume journal and its {@link Findings.Unit}. */
    String unitName(U unit);

    /**
     * Judges one unit into {@code sink}; a failure inside is a gap in the sink, and the walk goes on. {@code pool}
     * (the scan's {@code concurrency} threads) may spread the unit's own work, e.g. a repository's runs, when
     * {@link #parallelUnits()} is false.
     */
    void judge(U unit, Findings.Unit sink, ScanContext ctx, ExecutorService pool);

    /** Whether units are judged concurrently on the pool (Jenkins jobs), or one at a time (GitHub repositories). */
    boolean parallelUnits();

    /** Releases what {@link #units} opened (clients); called once after the last unit, also after a failure. */
    default void close() {
    }
}
