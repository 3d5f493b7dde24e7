package io.breachwalk.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwalk.cli.Main;
import io.breachwalk.sim.github.EstateLoader;
import io.breachwalk.sim.github.GitHubSimulator;
import io.breachwalk.source.Retry;
import io.breachwalk.source.RetryPolicy;
import io.breachwalk.source.github.graphql.FileAt;
import io.breachwalk.source.github.graphql.FileRead;
import io.breachwalk.source.github.graphql.GitHubGraphQl;
import io.breachwalk.source.github.graphql.GitHubGraphQlReads;
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
 *   <li>{@code graphql}: the batched reads the walk will make instead: runs listed by REST, then the workflow file
 *   and the Makefile at every distinct commit and the jobs of every run through {@link GitHubGraphQlReads}, repositories
 *   in parallel. It checks every item came back known and that the uploader's Makefiles were read.</li>
 * </ul>
 * <pre>
 *   mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.breachwalk.bench.GraphQlBenchmark \
 *       REPOS RUNS COMMITS LATENCY_MS CONCURRENCY [rest|graphql|both]
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
                Phase p = Phase.start(sim);
                AtomicLong counted = new AtomicLong();
                RetryPolicy policy = RetryPolicy.defaults().withSeed(1);
                GitHubGraphQl client = new GitHubGraphQl(sim.baseUrl(), "bench-token", GitHubGraphQl.defaultHttpClient(),
                        counted::incrementAndGet, new Retry(policy, null));
                GitHubGraphQlReads reads = new GitHubGraphQlReads(client);
                String result = graphqlPass(sim, reads, repos, concurrency);
                p.print("graphql reads: " + result, latency, concurrency, client.points());
                System.out.printf("  graphql client: queries=%d points=%d remaining=%d%n", client.queries(),
                        client.points(), client.remaining());
            }
        }
    }

    /** Runs listed by REST, then files and jobs through GraphQL, repositories in parallel; returns a check line. */
    static String graphqlPass(GitHubSimulator sim, GitHubGraphQlReads reads, int repos, int concurrency)
            throws Exception {
        HttpClient http = GitHubGraphQl.defaultHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicLong unknownFiles = new AtomicLong();
        AtomicLong unknownJobs = new AtomicLong();
        AtomicLong jobs = new AtomicLong();
        AtomicLong uploaderMakefiles = new AtomicLong();
        AtomicLong runCount = new AtomicLong();
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int r = 0; r < repos; r++) {
                String repo = "repo-" + r;
                boolean uploader = BenchEstate.uploader(r);
                work.add(pool.submit(() -> {
                    List<JsonNode> runs = listRuns(http, sim.baseUrl(), repo);
                    runCount.addAndGet(runs.size());
                    LinkedHashSet<FileAt> files = new LinkedHashSet<>();
                    List<String> suites = new ArrayList<>();
                    for (JsonNode run : runs) {
                        String sha = run.path("head_sha").asText();
                        files.add(new FileAt(sha, run.path("path").asText().replaceAll("@.*$", "")));
                        files.add(new FileAt(sha, "Makefile"));
                        suites.add(run.path("check_suite_node_id").asText());
                    }
                    Map<FileAt, FileRead> read = reads.filesAt("bench", repo, new ArrayList<>(files));
                    for (FileRead f : read.values()) {
                        if (!f.known()) unknownFiles.incrementAndGet();
                        if (uploader && f.file().path().equals("Makefile") && f.kind() == FileRead.Kind.TEXT
                                && f.text().contains("codecov.io/bash")) uploaderMakefiles.incrementAndGet();
                    }
                    for (SuiteJobs s : reads.jobsOfSuites(suites).values()) {
                        if (!s.known()) unknownJobs.incrementAndGet();
                        jobs.addAndGet(s.jobs().size());
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return String.format("runs=%d jobs=%d unknown-files=%d unknown-suites=%d uploader-makefile-reads=%d",
                runCount.get(), jobs.get(), unknownFiles.get(), unknownJobs.get(), uploaderMakefiles.get());
    }

    private static List<JsonNode> listRuns(HttpClient http, String base, String repo) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String next = base + "/repos/bench/" + repo + "/actions/runs?per_page=100&created="
                + BenchEstate.SINCE + ".." + BenchEstate.UNTIL;
        while (next != null) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(next))
                    .header("Authorization", "Bearer bench-token").build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode() + " for " + next);
            JSON.readTree(r.body()).path("workflow_runs").forEach(out::add);
            Matcher m = NEXT.matcher(r.headers().firstValue("Link").orElse(""));
            next = m.find() ? m.group(1) : null;
        }
        return out;
    }

    /** One measured phase: requests by kind, points, wall time, GC and peak heap since it started. */
    private record Phase(GitHubSimulator sim, long startNanos, long gcCount, long gcMillis) {
        static Phase start(GitHubSimulator sim) {
            sim.clearRequests();
            System.gc();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                pool.resetPeakUsage();
            }
            long[] gc = gc();
            return new Phase(sim, System.nanoTime(), gc[0], gc[1]);
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
            System.out.printf("  peak-heap=%dMiB gc=%d collections, %d ms%n", peak / (1024 * 1024), gc[0] - gcCount,
                    gc[1] - gcMillis);
        }
    }
}
