package io.breachwalk.bench;

import io.breachwalk.cli.Main;
import io.breachwalk.sim.github.EstateLoader;
import io.breachwalk.sim.github.GitHubSimulator;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Benchmark, not a test: scans a generated GitHub organization served by the simulator at a simulated latency and
 * prints API requests against a computed lower bound, wall time and peak heap. Run (see README, Benchmarks):
 * <pre>
 *   mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.breachwalk.bench.ScanBenchmark [repos] [runs] [latency-ms] [concurrency]
 * </pre>
 * Each repository has a Codecov workflow and a lint workflow at one commit; {@code runs} runs per repository spread
 * over the window and the 30 days before it (half Codecov, half lint), one job each.
 */
public final class ScanBenchmark {

    static final Instant SINCE = Instant.parse("2021-01-31T00:00:00Z");
    static final Instant UNTIL = Instant.parse("2021-04-02T07:00:00Z");
    static final Instant REACH_BACK = SINCE.minus(Duration.ofDays(30));

    public static void main(String[] args) throws Exception {
        int repos = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        long latency = args.length > 2 ? Long.parseLong(args[2]) : 20;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 4;

        Path dir = Files.createTempDirectory("breachwalk-bench");
        Path estate = dir.resolve("estate.yaml");
        Files.writeString(estate, estateYaml(repos, runs, latency));
        try (GitHubSimulator sim = GitHubSimulator.start(EstateLoader.load(estate))) {
            long bound = lowerBound(repos, runs);
            Runtime.getRuntime().gc();
            long start = System.nanoTime();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int exit = Main.run(new String[]{"scan", "--github-org", "bench", "--github-url", sim.baseUrl(),
                            "--out", dir.resolve("out").toString(), "--concurrency", String.valueOf(concurrency), "--quiet"},
                    Map.of("GITHUB_TOKEN", "bench-token"), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
            double seconds = (System.nanoTime() - start) / 1e9;
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            int requests = sim.requestCount();
            System.out.printf("repos=%d runs/repo=%d latency=%dms concurrency=%d exit=%d%n", repos, runs, latency,
                    concurrency, exit);
            System.out.printf("requests=%d lower-bound=%d ratio=%.2f requests/run=%.3f%n", requests, bound,
                    (double) requests / bound, (double) requests / (repos * (long) runs));
            System.out.printf("wall=%.1fs peak-heap=%dMiB%n", seconds, peak / (1024 * 1024));
            System.out.print(out.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * The fewest requests any correct walk can make: the token check, the organization and its repository pages,
     * then per repository the run listing pages of the reach-back window, each workflow file once, the Makefile that
     * lint.yml's `make lint` runs (followed for the uploader) once, the jobs of each Codecov run, and the repository
     * and organization secret lists.
     */
    static long lowerBound(int repos, int runs) {
        long perRepo = (runs + 99) / 100 + 2 + 1 + codecovRunsInWindow(runs / 2) + 2;
        return 2 + (repos + 99) / 100 + repos * perRepo;
    }

    /** The generator spaces runs evenly from its `from` (created_at = from + span * i / count). */
    static long codecovRunsInWindow(int count) {
        Instant from = REACH_BACK.plusSeconds(3600);
        long span = Duration.between(from, UNTIL.minusSeconds(3600)).getSeconds();
        long inside = 0;
        for (int i = 0; i < count; i++) {
            Instant created = from.plusSeconds(span * i / count);
            if (!created.isBefore(SINCE) && created.isBefore(UNTIL)) {
                inside++;
            }
        }
        return inside;
    }

    public static String estateYaml(int repos, int runs, long latency) {
        StringBuilder y = new StringBuilder();
        y.append("tokens:\n  - {name: bench, value: bench-token, secrets: true, org_secrets: true}\n");
        y.append("rate_limit: {limit: 1000000, reset_seconds: 3600}\n");
        if (latency > 0) {
            y.append("faults: {seed: 1, rate: 1.0, kinds: [slow], slow_ms: ").append(latency).append("}\n");
        }
        y.append("orgs:\n  - login: bench\n    secrets:\n")
                .append("      - {name: NPM_TOKEN, visibility: all, created_at: 2020-01-01T00:00:00Z, updated_at: 2020-01-01T00:00:00Z}\n")
                .append("    repos:\n");
        for (int r = 0; r < repos; r++) {
            y.append("      - name: repo-").append(r).append('\n');
            y.append("        secrets: [{name: CODECOV_TOKEN, created_at: 2020-01-01T00:00:00Z, updated_at: 2020-01-01T00:00:00Z}]\n");
            y.append("        commits:\n          - id: c1\n            date: 2020-12-01T00:00:00Z\n            files:\n");
            y.append("              .github/workflows/ci.yml: |\n")
                    .append("                on: push\n                env: {NPM_TOKEN: \"${{ secrets.NPM_TOKEN }}\"}\n")
                    .append("                jobs:\n                  test:\n                    runs-on: ubuntu-latest\n")
                    .append("                    steps:\n                      - uses: actions/checkout@v2\n")
                    .append("                      - uses: codecov/codecov-action@v1\n")
                    .append("                        with: {token: \"${{ secrets.CODECOV_TOKEN }}\"}\n");
            y.append("              .github/workflows/lint.yml: |\n")
                    .append("                on: push\n                jobs:\n                  lint:\n")
                    .append("                    runs-on: ubuntu-latest\n                    steps:\n")
                    .append("                      - run: make lint\n");
            y.append("        generate:\n");
            for (String wf : new String[]{"ci", "lint"}) {
                String job = wf.equals("ci") ? "test" : "lint";
                String step = wf.equals("ci") ? "Run codecov/codecov-action@v1" : "Run make lint";
                y.append("          - {count: ").append(runs / 2).append(", workflow: .github/workflows/").append(wf)
                        .append(".yml, commit: c1, from: ").append(REACH_BACK.plusSeconds(3600)).append(", to: ")
                        .append(UNTIL.minusSeconds(3600)).append(", jobs: [{name: ").append(job)
                        .append(", steps: [\"").append(step).append("\"]}]}\n");
            }
        }
        return y.toString();
    }
}
