package io.breachwalk.source;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Drives one {@link CiSource}, live or offline, the same way for every provider: lists its units, then per unit not
 * finished by an earlier run of the scan (the journal), opens a {@link Findings.Unit}, counts the project, judges it
 * and commits it whole. The pool of {@code concurrency} daemon threads either judges units side by side or is lent
 * to the source to spread one unit's work; daemon threads, so an interrupted scan is never held up by them.
 */
public final class UnitDriver {

    private UnitDriver() {
    }

    /** Walks the source to the end; a {@link SourceException} from listing means the source is unusable. */
    public static <U> void run(CiSource<U> source, ScanContext ctx) throws SourceException {
        ExecutorService pool = null;
        try {
            List<U> units = source.units(ctx);
            ctx.progress().start(source.unitLabel(), units.size());
            pool = Executors.newFixedThreadPool(Math.max(1, ctx.concurrency()),
                    DaemonThreads.named(source.provider() + "-walk"));
            if (source.parallelUnits()) {
                ExecutorService p = pool;
                List<Future<?>> futures = new ArrayList<>();
                for (U unit : units) {
                    futures.add(pool.submit(() -> one(source, unit, ctx, p)));
                }
                for (Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(source.provider() + " walk interrupted", e);
                    } catch (ExecutionException e) {
                        throw new IllegalStateException(source.unitLabel() + ": a unit failed: " + e.getCause(), e.getCause());
                    }
                }
            } else {
                for (U unit : units) {
                    one(source, unit, ctx, pool);
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
            source.close();
        }
    }

    private static <U> void one(CiSource<U> source, U unit, ScanContext ctx, ExecutorService pool) {
        String name = source.unitName(unit);
        if (ctx.findings().isDone(source.provider(), name)) {
            return; // finished by an interrupted earlier scan into the same folder
        }
        Findings.Unit sink = ctx.findings().unit(source.provider(), name);
        sink.examinedProject(source.provider());
        ctx.progress().step(name);
        source.judge(unit, sink, ctx, pool);
        sink.commit();
    }
}
