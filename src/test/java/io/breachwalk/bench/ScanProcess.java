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

    /**
     * CPU time (user + system) of this JVM's threads from /proc, grouped by name without digits, so that the JIT
     * compiler and GC threads (invisible to ThreadMXBean) are counted too. Empty where /proc is missing.
     */
    static Map<String, Long> threadCpu() {
        sampleThreads();
        Map<String, Long> out = new java.util.TreeMap<>();
        synchronized (THREADS) {
            THREADS.values().forEach(t -> out.merge(t.getKey(), t.getValue(), Long::sum));
        }
        return out;
    }

    /** Last seen (name group, CPU ms) by thread id: threads that ended keep what they used when last sampled. */
    private static final Map<String, Map.Entry<String, Long>> THREADS = new java.util.HashMap<>();

    private static void sampleThreads() {
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) return;
        long tick = 10; // ms per clock tick (USER_HZ is 100 on Linux)
        for (java.io.File task : tasks) {
            try {
                String stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * tick;
                synchronized (THREADS) {
                    THREADS.put(task.getName(), Map.entry(name.replaceAll("[0-9#]+", "").trim(), ms));
                }
            } catch (java.io.IOException | RuntimeException e) {
                // a thread that ended meanwhile
            }
        }
    }

    public static void main(String[] args) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                sampleThreads();
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
        threadCpu().forEach((group, ms) -> System.out.printf("THREADS %s cpu-ms=%d%n", group.replace(' ', '_'), ms));
        System.out.print(out.toString(StandardCharsets.UTF_8));
        System.out.flush();
        System.exit(exit);
    }
}
