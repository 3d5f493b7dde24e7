package io.breachwalk.bench;

import com.sun.management.OperatingSystemMXBean;
import io.breachwalk.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real scan ({@code breachwalk scan ARGS...}) in a JVM of its own, started by {@link GraphQlBenchmark} with an
 * {@code -Xmx}, so this JVM's heap is the scan's. It samples the used heap every 100 ms and prints, after the scan,
 * {@code SCAN exit=.. wall-ms=.. sampled-peak-heap=.. pool-peak-heap=.. max-heap=.. cpu-ms=.. gc=.. gc-ms=..} (bytes
 * for the heaps; the pool peak is the sum of the heap pools' peaks, which can exceed any moment's use), then the
 * scan's own output.
 */
public final class ScanProcess {
    private ScanProcess() {}

    public static void main(String[] args) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int exit = Main.run(args, Map.of("GITHUB_TOKEN", "bench-token"),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        sampler.interrupt();
        sampler.join();
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        long poolPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) poolPeak += pool.getPeakUsage().getUsed();
        }
        long gcCount = 0;
        long gcMs = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, b.getCollectionCount());
            gcMs += Math.max(0, b.getCollectionTime());
        }
        long cpuMs = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime()
                / 1_000_000;
        System.out.printf("SCAN exit=%d wall-ms=%d sampled-peak-heap=%d pool-peak-heap=%d max-heap=%d cpu-ms=%d gc=%d "
                        + "gc-ms=%d args=%s%n", exit, wallMs, peak.get(), poolPeak, memory.getHeapMemoryUsage().getMax(),
                cpuMs, gcCount, gcMs, Arrays.toString(args).replace(' ', '_'));
        System.out.print(out.toString(StandardCharsets.UTF_8));
        System.out.flush();
        System.exit(exit);
    }
}
