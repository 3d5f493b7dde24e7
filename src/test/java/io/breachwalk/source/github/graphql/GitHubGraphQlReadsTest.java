package io.breachwalk.source.github.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwalk.sim.github.Estate;
import io.breachwalk.sim.github.EstateLoader;
import io.breachwalk.sim.github.GitHubSimulator;
import io.breachwalk.source.Retry;
import io.breachwalk.source.RetryPolicy;
import io.breachwalk.source.Sleeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GraphQL client and its batched reads against the simulator over loopback: each item known or unknown, never
 * "absent" or "no jobs" by mistake; jobs equal REST's jobs API field by field on re-runs, matrices (paged check runs
 * and steps) and archived jobs; batches halve on a 502; the client waits for the points window before it runs dry;
 * a server without GraphQL makes the client unavailable.
 */
class GitHubGraphQlReadsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = GitHubGraphQl.defaultHttpClient();
    private static GitHubSimulator sim;

    @BeforeAll
    static void start() {
        sim = GitHubSimulator.start(EstateLoader.parse(estate()));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void clean() {
        sim.setFaults(Estate.Faults.none());
        sim.graphql().setEnabled(true);
        sim.graphql().setLimit(5000);
        sim.clearRequests();
    }

    /** Re-runs, a 12-job matrix with 60 steps a job (pages of check runs and steps), 150 plain runs, archived jobs. */
    static String estate() {
        StringBuilder y = new StringBuilder("""
                rate_limit: {limit: 100000, reset_seconds: 3600}
                tokens:
                  - {name: admin, value: gql-token}
                orgs:
                  - login: acme
                    repos:
                      - name: app
                        commits:
                          - id: c1
                            date: 2021-01-10T00:00:00Z
                            files:
                              .github/workflows/ci.yml: |
                                on: push
                                jobs: {build: {runs-on: ubuntu-latest, steps: [{uses: codecov/codecov-action@v1}]}}
                              logo.png: "PNG\\0\\0binary"
                          - id: c2
                            date: 2021-02-10T00:00:00Z
                            removed: [.github/workflows/ci.yml]
                            files:
                              Makefile: "lint:\\n\\techo ok\\n"
                        runs:
                          - id: 501
                            workflow: .github/workflows/ci.yml
                            commit: c1
                            created_at: 2021-01-10T00:01:00Z
                            attempts:
                              - jobs:
                                  - {name: build, conclusion: failure, steps: [Run a, {name: Run b, conclusion: failure}]}
                              - started_at: 2021-01-11T12:00:00Z
                                jobs:
                                  - {name: build, steps: [Run a, Run b]}
                              - started_at: 2021-01-12T12:00:00Z
                                jobs:
                                  - {name: build, steps: [Run a, Run b]}
                          - id: 4294967703
                            workflow: .github/workflows/ci.yml
                            commit: c1
                            created_at: 2021-01-12T18:00:00Z
                            jobs: [{id: 5000000001, name: build, steps: [Run a]}]
                            checks: [{id: 5000000002, name: coverage report, steps: []}]
                          - id: 502
                            workflow: .github/workflows/ci.yml
                            commit: c1
                            created_at: 2021-01-13T00:00:00Z
                            jobs:
                """);
        StringBuilder steps = new StringBuilder("[");
        for (int s = 0; s < 60; s++) {
            steps.append(s == 0 ? "" : ", ").append("Step ").append(s);
        }
        steps.append(']');
        for (int j = 1; j <= 12; j++) {
            y.append("              - {name: \"test (").append(j).append(")\", steps: ").append(steps).append("}\n");
        }
        y.append("""
                        generate:
                          - count: 150
                            workflow: .github/workflows/ci.yml
                            commit: c1
                            from: 2021-01-14T00:00:00Z
                            to: 2021-01-30T00:00:00Z
                            jobs: [{name: build, steps: [Run a, Run b]}]
                      - name: old
                        retention: {jobs: archived}
                        commits:
                          - id: o1
                            date: 2021-01-01T00:00:00Z
                            files:
                              .github/workflows/ci.yml: "on: push"
                        runs:
                          - id: 601
                            workflow: .github/workflows/ci.yml
                            commit: o1
                            created_at: 2021-01-02T00:00:00Z
                            jobs: [{name: build, steps: [Run a]}]
                """);
        return y.toString();
    }

    private static Retry retry(Sleeper sleeper, Duration maxWait) {
        RetryPolicy p = RetryPolicy.defaults().withSeed(1).withTimeScale(0.0001).withMaxWait(maxWait)
                .withSleeper(sleeper, Clock.systemUTC());
        return new Retry(p, null);
    }

    private static GitHubGraphQl client(AtomicInteger counter) {
        return new GitHubGraphQl(sim.baseUrl(), sim.token("admin"), HTTP, counter::incrementAndGet,
                retry(Sleeper.REAL, Duration.ofHours(2)));
    }

    private static JsonNode rest(String pathAndQuery) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(sim.baseUrl() + pathAndQuery))
                .header("Authorization", "Bearer " + sim.token("admin")).build();
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(pathAndQuery).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<JsonNode> runs(String repo) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode r = rest("/repos/acme/" + repo + "/actions/runs?per_page=100&page=" + page).path("workflow_runs");
            r.forEach(out::add);
            if (r.size() < 100) return out;
        }
    }

    private static List<JsonNode> restJobs(String repo, long runId) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode r = rest("/repos/acme/" + repo + "/actions/runs/" + runId + "/jobs?filter=all&per_page=100&page="
                    + page).path("jobs");
            r.forEach(out::add);
            if (r.size() < 100) return out;
        }
    }

    private static String sha(String repo, int index) throws Exception {
        JsonNode commits = rest("/repos/acme/" + repo + "/commits?per_page=100");
        return commits.get(commits.size() - 1 - index).path("sha").asText(); // index 0 = oldest
    }

    @Test
    void filesByAliasAreTextAbsentOrBinaryAndAgreeWithRest() throws Exception {
        String c1 = sha("app", 0);
        String c2 = sha("app", 1);
        AtomicInteger counter = new AtomicInteger();
        GitHubGraphQlReads reads = new GitHubGraphQlReads(client(counter));
        FileAt ci1 = new FileAt(c1, ".github/workflows/ci.yml");
        FileAt ci2 = new FileAt(c2, ".github/workflows/ci.yml");
        FileAt make1 = new FileAt(c1, "Makefile");
        FileAt make2 = new FileAt(c2, "Makefile");
        FileAt logo = new FileAt(c1, "logo.png");
        FileAt dir = new FileAt(c1, ".github/workflows");
        Map<FileAt, FileRead> r = reads.filesAt("acme", "app", List.of(ci1, ci2, make1, make2, logo, dir, ci1));

        assertThat(r).hasSize(6);
        assertThat(r.get(ci1).kind()).isEqualTo(FileRead.Kind.TEXT);
        assertThat(r.get(ci1).text()).contains("codecov/codecov-action@v1");
        JsonNode restFile = rest("/repos/acme/app/contents/.github/workflows/ci.yml?ref=" + c1);
        assertThat(r.get(ci1).oid()).isEqualTo(restFile.path("sha").asText());
        assertThat(r.get(ci1).byteSize()).isEqualTo(restFile.path("size").asLong());
        assertThat(r.get(ci2).kind()).as("removed at c2").isEqualTo(FileRead.Kind.ABSENT);
        assertThat(r.get(make1).kind()).isEqualTo(FileRead.Kind.ABSENT);
        assertThat(r.get(make2).text()).isEqualTo("lint:\n\techo ok\n");
        assertThat(r.get(logo).kind()).isEqualTo(FileRead.Kind.BINARY);
        assertThat(r.get(dir).kind()).as("a directory is no file: REST decides").isEqualTo(FileRead.Kind.UNKNOWN);
        assertThat(sim.count("/graphql")).isEqualTo(1);
        assertThat(counter.get()).isEqualTo(1);
        assertThat(reads.client().queries()).isEqualTo(1);
        assertThat(reads.client().points()).isEqualTo(1);
        assertThat(reads.client().remaining()).isEqualTo(4999);

        Map<FileAt, FileRead> missing = reads.filesAt("acme", "nosuchrepo", List.of(ci1));
        assertThat(missing.get(ci1).kind()).as("a NOT_FOUND error is not absence").isEqualTo(FileRead.Kind.UNKNOWN);
    }

    @Test
    void filesOfSeveralRepositoriesShareOneQuery() throws Exception {
        GitHubGraphQlReads reads = new GitHubGraphQlReads(client(new AtomicInteger()));
        RepoFile app = new RepoFile("acme", "app", sha("app", 0), ".github/workflows/ci.yml");
        RepoFile old = new RepoFile("acme", "old", sha("old", 0), ".github/workflows/ci.yml");
        RepoFile gone = new RepoFile("acme", "nosuchrepo", sha("app", 0), ".github/workflows/ci.yml");
        RepoFile absent = new RepoFile("acme", "old", sha("old", 0), "Makefile");
        Map<RepoFile, FileRead> r = reads.filesAt(List.of(app, old, gone, absent));
        assertThat(r.get(app).text()).contains("codecov");
        assertThat(r.get(old).text()).isEqualTo("on: push");
        assertThat(r.get(gone).kind()).isEqualTo(FileRead.Kind.UNKNOWN);
        assertThat(r.get(absent).kind()).isEqualTo(FileRead.Kind.ABSENT);
        assertThat(sim.count("/graphql")).isEqualTo(1);
    }

    @Test
    void jobsOfEveryRunEqualRestJobsFieldByField() throws Exception {
        GitHubGraphQlReads reads = new GitHubGraphQlReads(client(new AtomicInteger()));
        for (String repo : List.of("app", "old")) {
            List<JsonNode> runs = runs(repo);
            List<String> suites = runs.stream().map(r -> r.path("check_suite_node_id").asText()).toList();
            Map<String, SuiteJobs> jobs = reads.jobsOfSuites(suites);
            assertThat(jobs).hasSize(runs.size());
            for (JsonNode run : runs) {
                long runId = run.path("id").asLong();
                SuiteJobs suite = jobs.get(run.path("check_suite_node_id").asText());
                assertThat(suite.known()).as("run %d: %s", runId, suite.reason()).isTrue();
                assertThat(suite.runId()).isEqualTo(runId);
                List<JsonNode> rest = restJobs(repo, runId);
                assertThat(suite.jobs()).as("run %d", runId).hasSize(rest.size());
                for (int i = 0; i < rest.size(); i++) {
                    JsonNode want = rest.get(i);
                    CheckRunJob got = suite.jobs().get(i);
                    assertThat(got.id()).isEqualTo(want.path("id").asLong());
                    assertThat(got.nodeId()).isEqualTo(want.path("node_id").asText());
                    assertThat(got.runId()).isEqualTo(want.path("run_id").asLong());
                    assertThat(got.name()).isEqualTo(want.path("name").asText());
                    assertThat(got.status()).isEqualTo(want.path("status").asText());
                    assertThat(got.conclusion()).isEqualTo(want.path("conclusion").textValue());
                    assertThat(got.startedAt()).isEqualTo(want.path("started_at").textValue());
                    assertThat(got.completedAt()).isEqualTo(want.path("completed_at").textValue());
                    assertThat(got.htmlUrl()).isEqualTo(want.path("html_url").asText());
                    JsonNode steps = want.path("steps");
                    assertThat(got.steps()).hasSize(steps.size());
                    for (int s = 0; s < steps.size(); s++) {
                        CheckRunStep a = got.steps().get(s);
                        JsonNode b = steps.get(s);
                        assertThat(a.number()).isEqualTo(b.path("number").asInt());
                        assertThat(a.name()).isEqualTo(b.path("name").asText());
                        assertThat(a.status()).isEqualTo(b.path("status").asText());
                        assertThat(a.conclusion()).isEqualTo(b.path("conclusion").textValue());
                        assertThat(a.startedAt()).isEqualTo(b.path("started_at").textValue());
                        assertThat(a.completedAt()).isEqualTo(b.path("completed_at").textValue());
                    }
                }
            }
        }
        SuiteJobs rerun = reads.jobsOfSuites(List.of(rest("/repos/acme/app/actions/runs/501")
                .path("check_suite_node_id").asText())).values().iterator().next();
        assertThat(rerun.jobs()).as("every attempt's job").hasSize(3);
        SuiteJobs matrix = reads.jobsOfSuites(List.of(rest("/repos/acme/app/actions/runs/502")
                .path("check_suite_node_id").asText())).values().iterator().next();
        assertThat(matrix.jobs()).hasSize(12);
        assertThat(matrix.jobs().get(11).steps()).hasSize(62);
        assertThat(rest("/repos/acme/old/actions/runs/601/jobs?filter=all").path("total_count").asInt()).isZero();
    }

    /**
     * A check run that a step made through the Checks API lands in the run's check suite but is no job of the run (its
     * detailsUrl is not the run's job page): it is left out, as REST's jobs list leaves it out. Ids past 2^32 stay
     * exact (databaseId is a long).
     */
    @Test
    void checkRunsThatAreNotJobsOfTheRunAreLeftOutAndLongIdsStayExact() throws Exception {
        JsonNode run = rest("/repos/acme/app/actions/runs/4294967703");
        SuiteJobs suite = new GitHubGraphQlReads(client(new AtomicInteger()))
                .jobsOfSuites(List.of(run.path("check_suite_node_id").asText())).values().iterator().next();
        JsonNode restJobs = rest("/repos/acme/app/actions/runs/4294967703/jobs?filter=all").path("jobs");

        assertThat(suite.known()).isTrue();
        assertThat(suite.runId()).isEqualTo(4_294_967_703L);
        assertThat(suite.jobs()).extracting(CheckRunJob::id).containsExactly(5_000_000_001L);
        assertThat(suite.jobs()).extracting(CheckRunJob::name).containsExactly("build");
        assertThat(restJobs).hasSize(1);
        assertThat(restJobs.get(0).path("id").asLong()).isEqualTo(5_000_000_001L);
    }

    @Test
    void anUnknownNodeIsUnknownNotEmpty() throws Exception {
        GitHubGraphQlReads reads = new GitHubGraphQlReads(client(new AtomicInteger()));
        String known = rest("/repos/acme/app/actions/runs/501").path("check_suite_node_id").asText();
        Map<String, SuiteJobs> r = reads.jobsOfSuites(List.of(known, "CS_bm9zdWNo"));
        assertThat(r.get(known).known()).isTrue();
        assertThat(r.get("CS_bm9zdWNo").known()).isFalse();
        assertThat(r.get("CS_bm9zdWNo").reason()).contains("NOT_FOUND");
        assertThat(sim.count("/graphql")).isEqualTo(1);
    }

    @Test
    void a502HalvesTheBatchAndTheHalvesAreAnswered() throws Exception {
        sim.setFaults(new Estate.Faults(7, 0, List.of(), null, 0, 1,
                List.of(new Estate.FaultRule("^/graphql", "502", 1))));
        List<String> suites = runs("app").stream().limit(40).map(r -> r.path("check_suite_node_id").asText()).toList();
        GitHubGraphQlReads reads = new GitHubGraphQlReads(client(new AtomicInteger()), 100, 40, 10, 50);
        Map<String, SuiteJobs> r = reads.jobsOfSuites(suites);
        assertThat(r.values()).allMatch(SuiteJobs::known);
        // one refused query of 40, then two of 20
        assertThat(sim.count("/graphql")).isEqualTo(3);
        assertThat(reads.client().queries()).isEqualTo(3);
    }

    /** Several queries in flight give the same answers, in the order asked, as one query at a time. */
    @Test
    void parallelBatchesAnswerLikeSequentialOnes() throws Exception {
        List<String> suites = new ArrayList<>(runs("app").stream().limit(160)
                .map(r -> r.path("check_suite_node_id").asText()).toList());
        java.util.Collections.reverse(suites);
        GitHubGraphQl sequential = client(new AtomicInteger());
        Map<String, SuiteJobs> one = new GitHubGraphQlReads(sequential, 100, 20, 5, 50, 1).jobsOfSuites(suites);
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        GitHubGraphQl counting = new GitHubGraphQl(sim.baseUrl(), sim.token("admin"), HTTP,
                () -> threads.add(Thread.currentThread().getName()), retry(Sleeper.REAL, Duration.ofHours(2)));
        Map<String, SuiteJobs> four = new GitHubGraphQlReads(counting, 100, 20, 5, 50, 4).jobsOfSuites(suites);

        assertThat(four.keySet()).containsExactlyElementsOf(suites);
        assertThat(four.values()).allMatch(SuiteJobs::known);
        for (String id : suites) {
            assertThat(four.get(id).runId()).isEqualTo(one.get(id).runId());
            assertThat(four.get(id).jobs()).hasSameSizeAs(one.get(id).jobs());
        }
        // Batch sizes grow after answers in the order they come, so the number of queries may differ by a few.
        assertThat(counting.queries()).isBetween(sequential.queries() - 3, sequential.queries() + 3);
        assertThat(threads).as("queries sent from more than one thread").hasSizeGreaterThan(1);
    }

    @Test
    void aTimeoutHalvesTheBatchLikeA502() throws Exception {
        sim.setFaults(new Estate.Faults(7, 0, List.of(), null, 1500, 1,
                List.of(new Estate.FaultRule("^/graphql", "slow", 1))));
        List<String> suites = runs("app").stream().limit(40).map(r -> r.path("check_suite_node_id").asText()).toList();
        GitHubGraphQl client = new GitHubGraphQl(sim.baseUrl(), sim.token("admin"), HTTP, () -> { },
                retry(Sleeper.REAL, Duration.ofHours(1)), Duration.ofMillis(700));
        Map<String, SuiteJobs> r = new GitHubGraphQlReads(client, 100, 40, 5, 50).jobsOfSuites(suites);
        assertThat(r.values()).allMatch(SuiteJobs::known);
        assertThat(client.queries()).as("one timed out, then two halves").isEqualTo(3);
    }

    @Test
    void secondaryLimitsAndAnExhaustedBudgetAreWaitedOut() throws Exception {
        sim.setFaults(new Estate.Faults(7, 0, List.of(), null, 0, 2, List.of(
                new Estate.FaultRule("^/graphql", "secondary-403", 1), new Estate.FaultRule("^/graphql", "rate-limit", 1))));
        List<Duration> slept = new CopyOnWriteArrayList<>();
        Sleeper resetting = d -> {
            slept.add(d);
            sim.graphql().setLimit(5000); // the window turns while we wait
        };
        GitHubGraphQl client = new GitHubGraphQl(sim.baseUrl(), sim.token("admin"), HTTP, () -> { },
                retry(resetting, Duration.ofHours(2)));
        FileAt ci = new FileAt(sha("app", 0), ".github/workflows/ci.yml");
        sim.clearRequests();
        assertThat(new GitHubGraphQlReads(client).filesAt("acme", "app", List.of(ci)).get(ci).kind())
                .isEqualTo(FileRead.Kind.TEXT);
        assertThat(client.queries()).as("403 with Retry-After, RATE_LIMITED, then the answer").isEqualTo(3);
        assertThat(slept).hasSizeGreaterThanOrEqualTo(2);
        assertThat(client.available()).isTrue();
    }

    @Test
    void pointsRunningLowWaitForTheResetBeforeTheNextQuery() throws Exception {
        sim.graphql().setLimit(3);
        List<Duration> slept = new CopyOnWriteArrayList<>();
        Sleeper resetting = d -> {
            slept.add(d);
            sim.graphql().setLimit(3); // the window turns while we wait
        };
        GitHubGraphQl client = new GitHubGraphQl(sim.baseUrl(), sim.token("admin"), HTTP, () -> { },
                retry(resetting, Duration.ofHours(2)));
        GitHubGraphQlReads reads = new GitHubGraphQlReads(client);
        FileAt ci = new FileAt(sha("app", 0), ".github/workflows/ci.yml");
        for (int i = 0; i < 4; i++) {
            assertThat(reads.filesAt("acme", "app", List.of(ci)).get(ci).kind()).isEqualTo(FileRead.Kind.TEXT);
        }
        assertThat(slept).as("one paced wait, before a RATE_LIMITED answer could come").hasSize(1);
        // an hour's window at a time scale of 1/10,000: about 0.36 s
        assertThat(slept.get(0)).isBetween(Duration.ofMillis(300), Duration.ofMillis(400));
        assertThat(sim.count("/graphql")).isEqualTo(4);

        sim.graphql().setLimit(1);
        GitHubGraphQl impatient = new GitHubGraphQl(sim.baseUrl(), sim.token("admin"), HTTP, () -> { },
                retry(resetting, Duration.ofMinutes(1)));
        GitHubGraphQlReads r2 = new GitHubGraphQlReads(impatient);
        sim.clearRequests();
        slept.clear();
        assertThat(r2.filesAt("acme", "app", List.of(ci)).get(ci).known()).isTrue();
        FileRead late = r2.filesAt("acme", "app", List.of(ci)).get(ci);
        assertThat(late.kind()).isEqualTo(FileRead.Kind.UNKNOWN);
        assertThat(late.reason()).contains("max-wait");
        assertThat(slept).isEmpty();
        assertThat(sim.count("/graphql")).as("the query the points cannot pay for is not sent").isEqualTo(1);
        assertThat(impatient.remaining()).isZero();
    }

    @Test
    void aServerWithoutGraphQlMakesTheClientUnavailable() throws Exception {
        sim.graphql().setEnabled(false);
        GitHubGraphQlReads reads = new GitHubGraphQlReads(client(new AtomicInteger()));
        String suite = rest("/repos/acme/app/actions/runs/501").path("check_suite_node_id").asText();
        FileAt ci = new FileAt(sha("app", 0), ".github/workflows/ci.yml");
        sim.clearRequests();
        assertThat(reads.jobsOfSuites(List.of(suite)).get(suite).known()).isFalse();
        assertThat(reads.client().available()).isFalse();
        assertThat(reads.filesAt("acme", "app", List.of(ci)).get(ci).kind()).isEqualTo(FileRead.Kind.UNKNOWN);
        assertThat(reads.history("acme", "app", "HEAD", "Makefile", null, null).known()).isFalse();
        assertThat(sim.count("/graphql")).as("asked once, then REST").isEqualTo(1);
    }

    @Test
    void anUndefinedFieldMarksTheClientUnavailable() throws Exception {
        GitHubGraphQl client = client(new AtomicInteger());
        try {
            client.query("{ " + GitHubGraphQl.RATE_LIMIT + " repository(owner: \"acme\", name: \"app\") { nosuch } }",
                    Map.of(), 1, false);
        } catch (GitHubGraphQl.Unavailable expected) {
            // as an Enterprise Server lacking a field answers
        }
        assertThat(client.available()).isFalse();
        assertThat(client.unavailableReason()).contains("nosuch");
    }

    @Test
    void enterpriseServerUrlsMapToApiGraphql() throws Exception {
        assertThat(GitHubGraphQl.endpoint("https://ghe.example/api/v3/")).isEqualTo("https://ghe.example/api/graphql");
        assertThat(GitHubGraphQl.endpoint("https://api.github.com")).isEqualTo("https://api.github.com/graphql");
        GitHubGraphQl ghes = new GitHubGraphQl(sim.baseUrl() + "/api/v3", sim.token("admin"), HTTP, () -> { },
                retry(Sleeper.REAL, Duration.ofHours(1)));
        FileAt ci = new FileAt(sha("app", 0), ".github/workflows/ci.yml");
        assertThat(new GitHubGraphQlReads(ghes).filesAt("acme", "app", List.of(ci)).get(ci).known()).isTrue();
        assertThat(sim.count("^/api/graphql")).isEqualTo(1);
    }

    @Test
    void historyEqualsTheCommitsApi() throws Exception {
        GitHubGraphQlReads reads = new GitHubGraphQlReads(client(new AtomicInteger()));
        CommitHistory h = reads.history("acme", "app", "HEAD", ".github/workflows/ci.yml",
                Instant.parse("2020-01-01T00:00:00Z"), null);
        assertThat(h.known()).as(h.reason()).isTrue();
        JsonNode rest = rest("/repos/acme/app/commits?path=.github/workflows/ci.yml&since=2020-01-01T00:00:00Z");
        List<String> want = new ArrayList<>();
        rest.forEach(c -> want.add(c.path("sha").asText()));
        assertThat(h.commits().stream().map(CommitHistory.Entry::sha).toList()).isNotEmpty().isEqualTo(want);
        assertThat(h.commits().get(0).committedDate()).isEqualTo(rest.get(0).path("commit").path("committer")
                .path("date").asText());
    }
}
