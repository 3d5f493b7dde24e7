package io.breachwalk.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link GraphQlBenchmark}'s {@code scan} mode as issue 12's targets name it: the simulator in one JVM
 * ({@link SimulatorProcess}), the real scan in another ({@link ScanProcess}) with a fixed {@code -Xmx}, both on this
 * JVM's classpath. It prints the requests and points the simulator saw, the scan's wall time against
 * 1.5 x (requests x latency / concurrency + the simulator's serving time), where the serving time is the simulator
 * JVM's CPU time during the scan (its injected latency is a sleep), and the scan JVM's peak heap: the largest used
 * heap sampled every 100 ms, and whether the scan completed under the {@code -Xmx} at all.
 */
final class SeparateJvmScan {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SeparateJvmScan() {}

    static void run(int repos, int runs, int commits, long latency, int concurrency, String api, int scanXmxMb)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Path outDir = Files.createTempDirectory("breachwalk-scan-bench").resolve("scan-" + api);
        Process sim = new ProcessBuilder(java, "-Xmx2g", "-cp", cp, SimulatorProcess.class.getName(),
                String.valueOf(repos), String.valueOf(runs), String.valueOf(commits), String.valueOf(latency))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader simOut = new BufferedReader(new InputStreamReader(sim.getInputStream(),
                    StandardCharsets.UTF_8));
            PrintWriter simIn = new PrintWriter(sim.getOutputStream(), true, StandardCharsets.UTF_8);
            String url = null;
            for (String line = simOut.readLine(); line != null; line = simOut.readLine()) {
                if (line.startsWith("URL ")) {
                    url = line.substring(4).trim();
                    break;
                }
            }
            if (url == null) throw new IllegalStateException("the simulator JVM printed no URL");
            System.out.printf("estate: repos=%d runs/repo=%d commits/repo=%d latency=%dms concurrency=%d "
                    + "(simulator and scan in separate JVMs, scan -Xmx%dm)%n", repos, runs, commits, latency,
                    concurrency, scanXmxMb);
            simIn.println("clear");

            long start = System.nanoTime();
            List<String> command = new ArrayList<>(List.of(java, "-Xmx" + scanXmxMb + "m"));
            // Options for the scan JVM only, e.g. a flight recording: BENCH_SCAN_JVM="-XX:StartFlightRecording=..."
            String extra = System.getenv().getOrDefault("BENCH_SCAN_JVM", "").trim();
            if (!extra.isEmpty()) command.addAll(List.of(extra.split("\\s+")));
            command.addAll(List.of("-cp", cp, ScanProcess.class.getName(),
                    "scan", "--github-org", "bench", "--github-url", url, "--out", outDir.toString(),
                    "--concurrency", String.valueOf(concurrency), "--quiet", "--api", api));
            Process scan = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            List<String> scanLines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(scan.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) scanLines.add(line);
            }
            int processExit = scan.waitFor();
            double processSeconds = (System.nanoTime() - start) / 1e9;

            simIn.println("stats");
            Map<String, String> stats = Map.of();
            for (String line = simOut.readLine(); line != null; line = simOut.readLine()) {
                if (line.startsWith("STATS ")) {
                    stats = fields(line);
                    break;
                }
            }
            Map<String, String> s = scanLines.stream().filter(l -> l.startsWith("SCAN ")).findFirst()
                    .map(SeparateJvmScan::fields).orElse(Map.of());

            long total = Long.parseLong(stats.getOrDefault("requests", "0"));
            long graphql = Long.parseLong(stats.getOrDefault("graphql", "0"));
            double simCpu = Long.parseLong(stats.getOrDefault("cpu-ms", "0")) / 1000.0;
            double latencyBound = total * latency / 1000.0 / concurrency;
            // The scan's exit code says whether action is needed; that it completed is its SCAN line (an
            // OutOfMemoryError under the -Xmx ends the JVM before printing it).
            boolean completed = !s.isEmpty();
            double wall = completed ? Long.parseLong(s.get("wall-ms")) / 1000.0 : processSeconds;
            System.out.println("scan --api " + api + " (process exit " + processExit + ", "
                    + (completed ? "completed" : "DID NOT COMPLETE") + " under -Xmx" + scanXmxMb + "m)");
            System.out.printf("  rest-requests=%d graphql-queries=%d graphql-points=%s all-requests=%d%n",
                    total - graphql, graphql, stats.getOrDefault("points", "?"), total);
            System.out.printf("  wall=%.1fs (scan JVM incl. startup %.1fs)%n", wall, processSeconds);
            System.out.printf("  requests*latency/concurrency=%.1fs simulator-serving(cpu)=%.1fs "
                            + "simulator-serving/concurrency=%.1fs%n", latencyBound, simCpu, simCpu / concurrency);
            target("bound with serving cpu", wall, latencyBound + simCpu);
            target("bound with serving cpu/concurrency", wall, latencyBound + simCpu / concurrency);
            if (completed) {
                long sampled = Long.parseLong(s.get("sampled-peak-heap"));
                System.out.printf("  scan-jvm peak-heap sampled every 100ms=%dMiB (heap pools' peaks summed %dMiB, "
                                + "max %dMiB) cpu=%.1fs gc=%s collections, %s ms -> %s%n",
                        sampled >> 20, Long.parseLong(s.get("pool-peak-heap")) >> 20,
                        Long.parseLong(s.get("max-heap")) >> 20, Long.parseLong(s.get("cpu-ms")) / 1000.0,
                        s.get("gc"), s.get("gc-ms"), "completed under -Xmx" + scanXmxMb + "m");
                long expected = 0;
                for (int r = 0; r < repos; r++) {
                    expected += BenchEstate.uploader(r) ? runs : 0;
                }
                long ran = Files.readAllLines(outDir.resolve("jobs.csv")).stream()
                        .filter(l -> l.contains(",RAN,")).count();
                System.out.printf("  jobs RAN=%d expected=%d %s%n", ran, expected,
                        ran == expected ? "(all found)" : "MISMATCH");
                JsonNode spent = JSON.readTree(outDir.resolve("report.json").toFile()).path("scan").path("budgets");
                System.out.println("  report.json budgets: " + spent);
            }
            if (!completed) {
                System.out.printf("  scan-jvm heap target NOT met: the scan did not complete under -Xmx%dm (see its "
                        + "stderr above)%n", scanXmxMb);
            }
            scanLines.stream().filter(l -> !l.startsWith("SCAN ")).forEach(System.out::println);
        } finally {
            if (System.getenv("BENCH_KEEP") == null) {
                deleteTree(outDir.getParent()); // hundreds of MB of evidence a run; BENCH_KEEP=1 keeps it
            } else {
                System.out.println("  output kept in " + outDir);
            }
            sim.getOutputStream().close(); // end of stdin stops the simulator JVM
            if (!sim.waitFor(30, TimeUnit.SECONDS)) sim.destroy();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void target(String what, double wall, double bound) {
        System.out.printf("  %s: 1.5 x %.1fs = %.1fs, wall %.1fs -> %s (ratio %.2f)%n", what, bound, 1.5 * bound,
                wall, wall <= 1.5 * bound ? "met" : "NOT met", wall / bound);
    }

    /** {@code KEY a=1 b=2} as a map. */
    private static Map<String, String> fields(String line) {
        Map<String, String> out = new HashMap<>();
        for (String part : line.split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) out.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return out;
    }
}
