package io.breachwalk.cli;

/** Exit statuses of DESIGN 5.1. */
final class Exits {
    /** Complete, and no row asks for action. */
    static final int CLEAN = 0;
    /** Complete, and at least one ROTATE, REVIEW or MISSING row asks for action (inspect: something runs it). */
    static final int ROTATE = 1;
    /** Usage or configuration error; also a scan in which a provider could not run (what others found is written). */
    static final int USAGE = 2;
    /** Incomplete: a blocking coverage gap left a project or job unassessed; wins over 1. */
    static final int INCOMPLETE = 3;

    private Exits() {
    }
}
