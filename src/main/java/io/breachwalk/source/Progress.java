package io.breachwalk.source;

/** Progress reporting for long walks; the CLI draws it on stderr when that is a terminal. */
public interface Progress {
    /** A new phase with a known (or -1 unknown) number of units, e.g. repositories of an organization. */
    void start(String label, long total);

    void step(String detail);

    /** Shown while the walk waits, e.g. for a rate-limit reset. */
    void waiting(String why, long seconds);

    /** A run (a build) was examined: counted as it happens (the findings count only finished projects). */
    default void examinedRun() {
    }

    /** A job of a run was judged. */
    default void examinedJob() {
    }

    Progress NONE = new Progress() {
        @Override
        public void start(String label, long total) {
        }

        @Override
        public void step(String detail) {
        }

        @Override
        public void waiting(String why, long seconds) {
        }
    };
}
