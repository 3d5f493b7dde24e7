package io.breachwalk.cli;

import io.breachwalk.sim.github.GitHubSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `--api`: the GraphQL read-ahead sends fewer requests than the REST walk for the same rows (the rows themselves are
 * compared with the golden files by GoldenCsvTest), and a wrong value is a usage error that names the choices.
 */
class GitHubApiChoiceTest {
    private static final Path BULK = Path.of("src/test/resources/github/bulk-estate.yaml");

    @TempDir
    Path tmp;

    private record Counts(long rest, long graphql, String jobs, String coverage, String report, String summary) {}

    private Counts scan(String api) throws Exception {
        return scan(api, true);
    }

    private Counts scan(String api, boolean graphqlServed) throws Exception {
        try (GitHubSimulator sim = GitHubSimulator.start(BULK)) {
            sim.graphql().setEnabled(graphqlServed);
            Path out = tmp.resolve(api);
            List<String> args = new ArrayList<>(List.of("scan", "--github-url", sim.baseUrl(), "--quiet",
                    "--time-scale", "0.001", "--api", api, "--out", out.toString()));
            sim.estate().orgs().forEach(o -> args.addAll(List.of("--github-org", o.login())));
            Cli.Result r = Cli.exec(Map.of("GITHUB_TOKEN", sim.defaultToken()), args.toArray(String[]::new));
            long graphql = sim.graphql().queries();
            return new Counts(sim.requestCount() - graphql, graphql, Files.readString(out.resolve("jobs.csv")),
                    Files.readString(out.resolve("coverage.csv")), Files.readString(out.resolve("report.json")), r.out());
        }
    }

    @Test
    void graphqlSendsFewerRestRequestsForTheSameRows() throws Exception {
        Counts rest = scan("rest");
        Counts graphql = scan("graphql");
        assertThat(rest.graphql()).isZero();
        assertThat(graphql.graphql()).isPositive();
        assertThat(graphql.rest()).isLessThan(rest.rest());
        assertThat(graphql.rest() + graphql.graphql()).isLessThan(rest.rest());
        assertThat(graphql.jobs()).isEqualTo(rest.jobs());
        // Both budgets in the scan block, counted as the simulator saw them.
        com.fasterxml.jackson.databind.JsonNode spent = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(graphql.report()).path("scan").path("budgets").path("github-actions");
        assertThat(spent.path("rest_requests").asLong()).isEqualTo(graphql.rest());
        assertThat(spent.path("graphql_queries").asLong()).isEqualTo(graphql.graphql());
        assertThat(spent.path("graphql_points").asLong()).isPositive();
        assertThat(spent.path("graphql_remaining").asLong()).isPositive();
        assertThat(graphql.summary()).contains("budgets").contains("GraphQL queries");
        System.out.printf("bulk estate: rest %d requests; graphql %d REST + %d GraphQL (%d points)%n", rest.rest(),
                graphql.rest(), graphql.graphql(), spent.path("graphql_points").asLong());
    }

    /**
     * An organization larger than the read-ahead's chunks (100 repositories are listed and read ahead together, the
     * next chunk while the walk takes one): every repository is walked once, with the same rows as the REST walk.
     */
    @Test
    void anEstateOfSeveralReadAheadChunksGivesTheRestWalksRows() throws Exception {
        String estate = io.breachwalk.bench.BenchEstate.yaml(230, 2, 1, 0);
        Map<String, String> jobs = new java.util.HashMap<>();
        Map<String, String> coverage = new java.util.HashMap<>();
        for (String api : List.of("rest", "graphql")) {
            try (GitHubSimulator sim = GitHubSimulator.start(io.breachwalk.sim.github.EstateLoader.parse(estate))) {
                Path out = tmp.resolve("chunks-" + api);
                Cli.Result r = Cli.exec(Map.of("GITHUB_TOKEN", "bench-token"), "scan", "--github-url",
                        sim.baseUrl(), "--github-org", "bench", "--quiet", "--api", api, "--out", out.toString());
                assertThat(r.out()).contains("examined   github-actions  230 projects, 460 runs");
                jobs.put(api, Files.readString(out.resolve("jobs.csv")));
                coverage.put(api, Files.readString(out.resolve("coverage.csv")));
            }
        }
        assertThat(jobs.get("graphql").lines().filter(l -> l.contains(",RAN,")).count())
                .as("every third repository runs the uploader").isEqualTo(77 * 2);
        assertThat(jobs.get("graphql")).isEqualTo(jobs.get("rest"));
        assertThat(coverage.get("graphql")).isEqualTo(coverage.get("rest"));
    }

    @Test
    void withoutGraphQlTheSameRowsComeThroughRest() throws Exception {
        Counts rest = scan("rest");
        Counts auto = scan("auto", false);
        Counts graphql = scan("graphql", false);
        assertThat(auto.jobs()).isEqualTo(rest.jobs());
        assertThat(auto.coverage()).isEqualTo(rest.coverage());
        assertThat(graphql.jobs()).isEqualTo(rest.jobs());
        assertThat(graphql.coverage()).contains("--api graphql: GraphQL is not available");
    }

    @Test
    void aWrongApiIsAUsageErrorNamingTheChoices() {
        Cli.Result r = Cli.exec(Map.of("GITHUB_TOKEN", "x"), "scan", "--github-org", "acme", "--api", "soap", "--out",
                tmp.resolve("bad").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--api").contains("auto, graphql or rest").contains("soap");
    }
}
