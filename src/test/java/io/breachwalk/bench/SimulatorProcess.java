package io.breachwalk.bench;

import com.sun.management.OperatingSystemMXBean;
import io.breachwalk.sim.github.EstateLoader;
import io.breachwalk.sim.github.GitHubSimulator;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The GitHub simulator of a benchmark in a JVM of its own, so that the scan's JVM holds only the scan. It writes
 * {@link BenchEstate}'s YAML, starts {@link GitHubSimulator} and prints {@code URL <base url>}; then it answers lines
 * on stdin: {@code clear} forgets the request log and takes the CPU time as the new zero, {@code stats} prints
 * {@code STATS requests=.. graphql=.. points=.. cpu-ms=..}, {@code quit} (or the end of stdin) stops it.
 * <p>
 * The simulator's serving time is measured as this JVM's CPU time since {@code clear}: the injected latency is a
 * sleep and costs none, so what is left is request parsing, routing, JSON rendering, GraphQL execution and its GC.
 * <pre>
 *   java -cp CLASSPATH io.breachwalk.bench.SimulatorProcess REPOS RUNS COMMITS LATENCY_MS
 * </pre>
 */
public final class SimulatorProcess {
    private SimulatorProcess() {}

    public static void main(String[] args) throws Exception {
        int repos = Integer.parseInt(args[0]);
        int runs = Integer.parseInt(args[1]);
        int commits = Integer.parseInt(args[2]);
        long latency = Long.parseLong(args[3]);
        Path dir = Files.createTempDirectory("breachwalk-sim-bench");
        Path estate = dir.resolve("estate.yaml");
        Files.writeString(estate, BenchEstate.yaml(repos, runs, commits, latency));
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (GitHubSimulator sim = GitHubSimulator.start(EstateLoader.load(estate))) {
            System.out.println("URL " + sim.baseUrl());
            System.out.flush();
            long cpuZero = os.getProcessCpuTime();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                if (line.equals("clear")) {
                    sim.clearRequests();
                    cpuZero = os.getProcessCpuTime();
                } else if (line.equals("stats")) {
                    long total = sim.requestCount();
                    long graphql = sim.count("^/(api/)?graphql$");
                    System.out.printf("STATS requests=%d graphql=%d points=%d cpu-ms=%d%n", total, graphql,
                            sim.graphql().points(), (os.getProcessCpuTime() - cpuZero) / 1_000_000);
                    System.out.flush();
                }
            }
        }
    }
}
