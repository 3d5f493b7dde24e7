package io.breachwalk.source;

import java.util.concurrent.ThreadFactory;

/**
 * Threads for the walk's pools (listing, analysis, read-ahead, report writers): daemons, so that a scan that ends or
 * fails never waits for a pool someone forgot to shut down, named so that a thread dump says what each one does.
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
