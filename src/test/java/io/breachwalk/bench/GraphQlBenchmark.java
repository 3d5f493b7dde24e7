package io.breachwalk.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwalk.cli.Main;
import io.breachwalk.sim.github.EstateLoader;
import io.breachwalk.sim.github.GitHubSimulator;
import io.breachwalk.source.Retry;
import io.breachwalk.source.RetryPolicy;
import io.breachwalk.source.github.graphql.FileRead;
import io.breachwalk.source.github.graphql.GitHubGraphQl;
import io.breachwalk.source.github.graphql.GitHubGraphQlReads;
import io.breachwalk.source.github.graphql.RepoFile;
import io.breachwalk.source.github.graphql.SuiteJobs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark, not a test (its name does not end in Test, so the suite never runs it): issue 12's estate
 * ({@link BenchEstate}: 300 repositories x 150 runs, 30 commits each, a third running the uploader; or 1,000 x 100)
 * served by the simulator at a latency per request. Two phases, each printing REST requests, GraphQL queries and
 * points, wall time against requests x latency / concurrency, GC and peak heap:
 * <ul>
 *   <li>{@code rest}: today's scan ({@code breachwalk scan}), REST only;</li>
 *   <li>{@code scan}: the real scan with {@code --api graphql} (or the {@code API} given), the staged walk of issue
 *   12, run by {@link SeparateJvmScan}: the simulator in a JVM of its own, the scan in another with
 *   {@code -Xmx SCAN_XMX_MB} (256 unless given), wall time against requests x latency / concurrency plus the
 *   simulator's CPU time; it checks that every job of the uploader's repositories was found RAN;</li>
 *   <li>{@code graphql}: the batched reads the staged walk will make instead: runs listed by REST, then the workflow
 *   file and the Makefile at every distinct commit and the jobs of every run through {@link GitHubGraphQlReads}
 *   (batches across repositories). It checks every item came back known and that the uploader's Makefiles were
 *   read. Analysis, logs and secrets are not part of this phase.</li>
 * </ul>
 * <pre>
 *   mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.breachwalk.bench.GraphQlBenchmark \
 *       REPOS RUNS COMMITS LATENCY_MS CONCURRENCY [rest|graphql|both|scan] [API] [SCAN_XMX_MB]
 * </pre>
 */
public final class GraphQlBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");

    public static void main(String[] args) throws Exception {
        int repos = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 150;
        int commits = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        long latency = args.length > 3 ? Long.parseLong(args[3]) : 20;
        int concurrency = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        String mode = args.length > 5 ? args[5] : "both";

        if (mode.equals("scan")) {
            // The simulator and the scan each in a JVM of their own: the scan's heap and wall time are its own.
            String api = args.length > 6 ? args[6] : "graphql";
            int scanXmxMb = args.length > 7 ? Integer.parseInt(args[7]) : 256;
            SeparateJvmScan.run(repos, runs, commits, latency, concurrency, api, scanXmxMb);
            return;
        }
        Path dir = Files.createTempDirectory("breachwalk-gql-bench");
        Path estate = dir.resolve("estate.yaml");
        Files.writeString(estate, BenchEstate.yaml(repos, runs, commits, latency));
        try (GitHubSimulator sim = GitHubSimulator.start(EstateLoader.load(estate))) {
            System.out.printf("estate: repos=%d runs/repo=%d commits/repo=%d latency=%dms concurrency=%d%n", repos, runs,
                    commits, latency, concurrency);
            if (mode.equals("rest") || mode.equals("both")) {
                Phase p = Phase.start(sim);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int exit = Main.run(new String[]{"scan", "--github-org", "bench", "--github-url", sim.baseUrl(),
                                "--out", dir.resolve("out").toString(), "--concurrency", String.valueOf(concurrency),
                                "--quiet"},
                        Map.of("GITHUB_TOKEN", "bench-token"), new PrintStream(out, true, StandardCharsets.UTF_8),
                        System.err);
                p.print("rest walk (exit " + exit + ")", latency, concurrency, -1);
                System.out.print(out.toString(StandardCharsets.UTF_8));
            }
            if (mode.equals("graphql") || mode.equals("both")) {
                // Measured without the hourly budget (a large estate needs more than one token-hour of points, and
                // the client would rightly wait for the reset); the points are printed against GitHub's 5,000.
                sim.graphql().setLimit(100_000_000);
                Phase p = Phase.start(sim);
                AtomicLong counted = new AtomicLong();
                RetryPolicy policy = RetryPolicy.defaults().withSeed(1);
                GitHubGraphQl client = new GitHubGraphQl(sim.baseUrl(), "bench-token", GitHubGraphQl.defaultHttpClient(),
                        counted::incrementAndGet, new Retry(policy, null));
                GitHubGraphQlReads reads = new GitHubGraphQlReads(client);
                String result = graphqlPass(sim, reads, repos, concurrency);
                p.print("graphql reads: " + result, latency, concurrency, client.points());
                System.out.printf("  graphql client: queries=%d points=%d (%.2f token-hours at 5,000 points an hour)%n",
                        client.queries(), client.points(), client.points() / 5000.0);
            }
        }
    }

    /**
     * The staged walk's reads: runs of every repository listed by REST (in parallel), then the distinct (commit, path)
     * files of the whole estate through GraphQL (several repositories a query), then the jobs of every run (check
     * suites of any repository a query), each stage cut in slices run in parallel. Returns a check line.
     */
    static String graphqlPass(GitHubSimulator sim, GitHubGraphQlReads reads, int repos, int concurrency)
            throws Exception {
        HttpClient http = GitHubGraphQl.defaultHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<List<RunRef>>> listings = new ArrayList<>();
            for (int r = 0; r < repos; r++) {
                String repo = "repo-" + r;
                listings.add(pool.submit(() -> listRuns(http, sim.baseUrl(), repo)));
            }
            LinkedHashSet<RepoFile> files = new LinkedHashSet<>();
            List<String> suites = new ArrayList<>();
            for (int r = 0; r < repos; r++) {
                for (RunRef run : listings.get(r).get()) {
                    files.add(new RepoFile("bench", "repo-" + r, run.sha(), run.path().replaceAll("@.*$", "")));
                    files.add(new RepoFile("bench", "repo-" + r, run.sha(), "Makefile"));
                    suites.add(run.suite());
                }
            }
            List<RepoFile> fileList = new ArrayList<>(files);
            List<Future<Map<RepoFile, FileRead>>> fileWork = new ArrayList<>();
            for (List<RepoFile> slice : slices(fileList, concurrency)) {
                fileWork.add(pool.submit(() -> reads.filesAt(slice)));
            }
            long unknownFiles = 0;
            long uploaderMakefiles = 0;
            for (Future<Map<RepoFile, FileRead>> f : fileWork) {
                for (FileRead read : f.get().values()) {
                    if (!read.known()) unknownFiles++;
                    if (read.kind() == FileRead.Kind.TEXT && read.file().path().equals("Makefile")
                            && read.text().contains("codecov.io/bash")) uploaderMakefiles++;
                }
            }
            List<Future<Map<String, SuiteJobs>>> jobWork = new ArrayList<>();
            for (List<String> slice : slices(suites, concurrency)) {
                jobWork.add(pool.submit(() -> reads.jobsOfSuites(slice)));
            }
            long unknownSuites = 0;
            long jobs = 0;
            for (Future<Map<String, SuiteJobs>> f : jobWork) {
                for (SuiteJobs s : f.get().values()) {
                    if (!s.known()) unknownSuites++;
                    jobs += s.jobs().size();
                }
            }
            return String.format("runs=%d files=%d jobs=%d unknown-files=%d unknown-suites=%d "
                    + "uploader-makefile-reads=%d", suites.size(), fileList.size(), jobs, unknownFiles, unknownSuites,
                    uploaderMakefiles);
        } finally {
            pool.shutdown();
        }
    }

    /** {@code parts} slices of whole batches of 100 (the last may be shorter), so no query is needlessly small. */
    static <T> List<List<T>> slices(List<T> items, int parts) {
        int batches = (items.size() + 99) / 100;
        int per = Math.max(1, (batches + parts - 1) / parts) * 100;
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += per) {
            out.add(items.subList(i, Math.min(items.size(), i + per)));
        }
        return out;
    }

    /** What the walk keeps of a listed run for these reads (a whole run record is some kilobytes). */
    record RunRef(String sha, String path, String suite) {}

    private static List<RunRef> listRuns(HttpClient http, String base, String repo) throws Exception {
        List<RunRef> out = new ArrayList<>();
        String next = base + "/repos/bench/" + repo + "/actions/runs?per_page=100&created="
                + BenchEstate.SINCE + ".." + BenchEstate.UNTIL;
        while (next != null) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(next))
                    .header("Authorization", "Bearer bench-token").build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode() + " for " + next);
            for (JsonNode run : JSON.readTree(r.body()).path("workflow_runs")) {
                out.add(new RunRef(run.path("head_sha").asText(), run.path("path").asText(),
                        run.path("check_suite_node_id").asText()));
            }
            Matcher m = NEXT.matcher(r.headers().firstValue("Link").orElse(""));
            next = m.find() ? m.group(1) : null;
        }
        return out;
    }

    /** One measured phase: requests by kind, points, wall time, GC and peak heap since it started. */
    private record Phase(GitHubSimulator sim, long startNanos, long gcCount, long gcMillis, long baseHeap) {
        static Phase start(GitHubSimulator sim) {
            sim.clearRequests();
            System.gc();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                pool.resetPeakUsage();
            }
            long[] gc = gc();
            // What is live before the phase is mostly the simulator's estate, served from the same heap.
            long base = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            return new Phase(sim, System.nanoTime(), gc[0], gc[1], base);
        }

        static long[] gc() {
            long count = 0;
            long millis = 0;
            for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
                count += Math.max(0, b.getCollectionCount());
                millis += Math.max(0, b.getCollectionTime());
            }
            return new long[]{count, millis};
        }

        void print(String what, long latency, int concurrency, long points) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            long total = sim.requestCount();
            long graphql = sim.count("^/(api/)?graphql$");
            long rest = total - graphql;
            long gqlPoints = points >= 0 ? points : sim.graphql().points();
            double ideal = total * latency / 1000.0 / concurrency;
            long[] gc = gc();
            System.out.println(what);
            System.out.printf("  rest-requests=%d graphql-queries=%d graphql-points=%d all-requests=%d%n", rest, graphql,
                    gqlPoints, total);
            System.out.printf("  wall=%.1fs requests*latency/concurrency=%.1fs ratio=%.2f%n", seconds, ideal,
                    ideal > 0 ? seconds / ideal : 0);
            System.out.printf("  peak-heap=%dMiB (live at start, mostly the simulator's estate: %dMiB) gc=%d collections, "
                    + "%d ms%n", peak / (1024 * 1024), baseHeap / (1024 * 1024), gc[0] - gcCount, gc[1] - gcMillis);
        }
    }
}
