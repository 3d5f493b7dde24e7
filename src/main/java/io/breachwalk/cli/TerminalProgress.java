package io.breachwalk.cli;

import io.breachwalk.report.Cells;
import io.breachwalk.source.Progress;

import java.io.PrintStream;

/** A one-line progress display on stderr (only when it is a terminal): phase, count, current item, waits. */
final class TerminalProgress implements Progress {
    private static final int WIDTH = 100;

    private final PrintStream err;
    private String label = "";
    private long total = -1;
    private long done;

    TerminalProgress(PrintStream err) {
        this.err = err;
    }

    @Override
    public synchronized void start(String label, long total) {
        this.label = label;
        this.total = total;
        this.done = 0;
        draw("");
    }

    @Override
    public synchronized void step(String detail) {
        if (detail == null || detail.isEmpty()) {
            err.print("\r" + " ".repeat(WIDTH) + "\r");
            err.flush();
            return;
        }
        done++;
        draw(detail);
    }

    @Override
    public synchronized void waiting(String why, long seconds) {
        draw("waiting " + seconds + "s: " + why);
    }

    private void draw(String detail) {
        String count = total >= 0 ? done + "/" + total : String.valueOf(done);
        String line = label + " " + count + " " + Cells.terminal(detail);
        if (line.length() > WIDTH) {
            line = line.substring(0, WIDTH - 1) + "…";
        }
        err.print("\r" + line + " ".repeat(Math.max(0, WIDTH - line.length())));
        err.flush();
    }
}
