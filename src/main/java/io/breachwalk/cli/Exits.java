package io.breachwalk.cli;

/** Exit statuses of DESIGN 5.1. */
final class Exits {
    static final int CLEAN = 0;
    static final int ROTATE = 1;
    static final int USAGE = 2;
    static final int INCOMPLETE = 3;

    private Exits() {
    }
}
