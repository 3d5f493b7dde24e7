package io.breachwalk.sim.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kohsuke.github.GHContent;
import org.kohsuke.github.GHFileNotFoundException;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GHWorkflowJob;
import org.kohsuke.github.GHWorkflowRun;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.HttpException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulator must answer like api.github.com: checked through the real github-api client and plain HTTP. */
class GitHubSimulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static GitHubSimulator sim;
    private static GitHub gh;
    private static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws IOException {
        sim = GitHubSimulator.start(EstateLoader.loadResource("github/sim-estate.yaml"));
        gh = new GitHubBuilder().withEndpoint(sim.baseUrl()).withOAuthToken(sim.token("admin")).build();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void clean() {
        sim.clearRequests();
        sim.setFaults(Estate.Faults.none());
    }

    private static HttpResponse<String> get(String pathAndQuery, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + pathAndQuery))
                .header("Accept", "application/vnd.github+json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    @Test
    void githubApiListsOrganizationRepositoriesAndReadsUser() throws IOException {
        assertThat(gh.getMyself().getLogin()).isEqualTo("sec-team");
        List<String> names = new ArrayList<>();
        gh.getOrganization("acme").listRepositories().forEach(r -> names.add(r.getFullName()));
        assertThat(names).containsExactly("acme/docs", "acme/web");
        GHRepository web = gh.getRepository("acme/web");
        assertThat(web.isPrivate()).isTrue();
        assertThat(web.getDefaultBranch()).isEqualTo("main");
    }

    @Test
    void githubApiReadsFileAtCommitAndGets404WhenAbsent() throws Exception {
        GHRepository web = gh.getRepository("acme/web");
        String c1 = EstateLoader.sha("acme/web", "c1");
        String c3 = EstateLoader.sha("acme/web", "c3");
        GHContent ci = web.getFileContent(".github/workflows/ci.yml", c1);
        try (InputStream in = ci.read()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("codecov/codecov-action@v1");
        }
        // c2 keeps c1's workflow (carried over) but removed README.md; c3 removed the workflow.
        String c2 = EstateLoader.sha("acme/web", "c2");
        assertThat(web.getFileContent(".github/workflows/ci.yml", c2).getContent()).contains("name: CI");
        assertThatThrownBy(() -> web.getFileContent("README.md", c2)).isInstanceOf(GHFileNotFoundException.class);
        assertThatThrownBy(() -> web.getFileContent(".github/workflows/ci.yml", c3))
                .isInstanceOf(GHFileNotFoundException.class);
        // A directory lists its children, as the contents API does.
        JsonNode dir = json(get("/repos/acme/web/contents/.github?ref=" + c2, sim.token("admin")));
        assertThat(dir.isArray()).isTrue();
        assertThat(dir.findValuesAsText("name")).containsExactly("actions", "workflows");
    }

    @Test
    void createdFilterIsCappedAtOneThousandResultsWhileTotalCountIsFull() throws Exception {
        HttpResponse<String> first = get("/repos/acme/web/actions/runs?created=2021-02-01..2021-03-31&per_page=100",
                sim.token("admin"));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(json(first).get("total_count").asInt()).isEqualTo(1201);
        String link = first.headers().firstValue("Link").orElseThrow();
        assertThat(link).contains("rel=\"next\"").contains("page=10>; rel=\"last\"")
                .contains("/repositories/");
        // Follow Link next to the end: exactly 1,000 distinct runs come back, then nothing.
        Set<Long> ids = new HashSet<>();
        String next = sim.baseUrl() + "/repos/acme/web/actions/runs?created=2021-02-01..2021-03-31&per_page=100";
        int pages = 0;
        while (next != null) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(next))
                    .header("Authorization", "token " + sim.token("admin")).build(), HttpResponse.BodyHandlers.ofString());
            json(r).get("workflow_runs").forEach(run -> ids.add(run.get("id").asLong()));
            next = nextLink(r.headers().firstValue("Link").orElse(""));
            pages++;
        }
        assertThat(pages).isEqualTo(10);
        assertThat(ids).hasSize(1000);
        JsonNode beyond = json(get("/repos/acme/web/actions/runs?created=2021-02-01..2021-03-31&per_page=100&page=11",
                sim.token("admin")));
        assertThat(beyond.get("workflow_runs")).isEmpty();
        assertThat(beyond.get("total_count").asInt()).isEqualTo(1201);
        // Without a filter there is no cap: all 1,202 runs are reachable.
        JsonNode lastPage = json(get("/repos/acme/web/actions/runs?per_page=100&page=13", sim.token("admin")));
        assertThat(lastPage.get("workflow_runs")).hasSize(2);
    }

    @Test
    void githubApiSeesTheCapToo() throws IOException {
        List<GHWorkflowRun> runs = gh.getRepository("acme/web").queryWorkflowRuns()
                .created("2021-02-01..2021-03-31").list().withPageSize(100).toList();
        assertThat(runs).hasSize(1000);
        // The newest come first, so the oldest generated ones are the ones hidden.
        assertThat(runs.get(0).getCreatedAt()).isAfter(runs.get(999).getCreatedAt());
    }

    @Test
    void createdFilterSyntaxes() throws Exception {
        String t = sim.token("admin");
        // run 101 was created 2021-01-10T00:01:00Z
        assertThat(totalCount("created=2021-01-10", t)).isEqualTo(1);
        assertThat(totalCount("created=%3E%3D2021-01-10T00:01:00Z", t)).isEqualTo(1202);
        assertThat(totalCount("created=%3E2021-01-10T00:01:00Z", t)).isEqualTo(1201);
        assertThat(totalCount("created=%3C2021-01-10T00:01:00Z", t)).isEqualTo(0);
        assertThat(totalCount("created=%3C%3D2021-01-10T00:01:00Z", t)).isEqualTo(1);
        assertThat(totalCount("created=*..2021-02-11T00:00:00Z", t)).isEqualTo(2);
        assertThat(totalCount("created=2021-02-11T01:00:00%2B01:00..*", t)).isEqualTo(1201);
        assertThat(get("/repos/acme/web/actions/runs?created=yesterday", t).statusCode()).isEqualTo(422);
    }

    private static int totalCount(String query, String token) throws Exception {
        return json(get("/repos/acme/web/actions/runs?" + query, token)).get("total_count").asInt();
    }

    @Test
    void attemptsAndJobsFilters() throws Exception {
        String t = sim.token("admin");
        JsonNode run = json(get("/repos/acme/web/actions/runs/101", t));
        assertThat(run.get("run_attempt").asInt()).isEqualTo(2);
        assertThat(run.get("run_started_at").asText()).isEqualTo("2021-02-05T12:00:00Z");
        assertThat(run.get("created_at").asText()).isEqualTo("2021-01-10T00:01:00Z");
        assertThat(run.get("path").asText()).isEqualTo(".github/workflows/ci.yml");
        JsonNode first = json(get("/repos/acme/web/actions/runs/101/attempts/1", t));
        assertThat(first.get("run_attempt").asInt()).isEqualTo(1);
        assertThat(first.get("conclusion").asText()).isEqualTo("failure");
        assertThat(first.get("previous_attempt_url").isNull()).isTrue();
        assertThat(get("/repos/acme/web/actions/runs/101/attempts/3", t).statusCode()).isEqualTo(404);

        JsonNode latest = json(get("/repos/acme/web/actions/runs/101/jobs", t));
        assertThat(latest.get("total_count").asInt()).isEqualTo(1);
        assertThat(latest.get("jobs").get(0).get("run_attempt").asInt()).isEqualTo(2);
        JsonNode all = json(get("/repos/acme/web/actions/runs/101/jobs?filter=all", t));
        assertThat(all.get("jobs").findValuesAsText("run_attempt")).containsExactly("1", "2");
        JsonNode a1 = json(get("/repos/acme/web/actions/runs/101/attempts/1/jobs", t)).get("jobs").get(0);
        assertThat(a1.get("steps").findValuesAsText("name"))
                .containsExactly("Set up job", "Run actions/checkout@v2", "Run codecov/codecov-action@v1", "Complete job");
        assertThat(a1.get("steps").get(2).get("conclusion").asText()).isEqualTo("failure");
        assertThat(a1.get("steps").get(2).get("number").asInt()).isEqualTo(3);
    }

    @Test
    void githubApiListsAllJobsAndDownloadsLogsThenMeets410And404() throws IOException {
        GHRepository web = gh.getRepository("acme/web");
        GHWorkflowRun run = web.getWorkflowRun(101);
        List<GHWorkflowJob> jobs = run.listAllJobs().toList();
        assertThat(jobs).hasSize(2);
        GHWorkflowJob latest = jobs.get(1);
        assertThat(latest.getSteps()).extracting(GHWorkflowJob.Step::getName).contains("Run codecov/codecov-action@v1");
        String log = latest.downloadLogs(in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
        assertThat(log).contains("==> GitHub Actions detected.");
        // Attempt 1's log is not in the estate: expired, 410 Gone.
        assertThatThrownBy(() -> jobs.get(0).downloadLogs(in -> "x"))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.getResponseCode()).isEqualTo(410));
        GHWorkflowJob forkJob = web.getWorkflowRun(102).listJobs().toList().get(0);
        assertThatThrownBy(() -> forkJob.downloadLogs(in -> "x")).isInstanceOf(GHFileNotFoundException.class);
        // Fork pull request: head_repository differs from the repository.
        assertThat(web.getWorkflowRun(102).getHeadRepository().getFullName()).isEqualTo("mallory/web");
    }

    @Test
    void tokensAndPermissions() throws Exception {
        assertThat(get("/user", "not-a-token").statusCode()).isEqualTo(401);
        assertThat(json(get("/user", "not-a-token")).get("message").asText()).isEqualTo("Bad credentials");
        assertThatThrownBy(() -> new GitHubBuilder().withEndpoint(sim.baseUrl()).withOAuthToken("wrong").build()
                .getMyself()).isInstanceOfSatisfying(HttpException.class,
                e -> assertThat(e.getResponseCode()).isEqualTo(401));
        assertThatThrownBy(() -> gh.getOrganization("nope")).isInstanceOf(GHFileNotFoundException.class);
        assertThat(get("/repos/acme/missing", sim.token("admin")).statusCode()).isEqualTo(404);
        // Private repository: invisible without a token.
        assertThat(get("/repos/acme/web", null).statusCode()).isEqualTo(404);
        assertThat(get("/repos/acme/docs", null).statusCode()).isEqualTo(200);

        HttpResponse<String> denied = get("/repos/acme/web/actions/secrets", sim.token("reader"));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(json(denied).get("message").asText()).isEqualTo("Resource not accessible by integration");
        assertThat(get("/orgs/acme/actions/secrets", sim.token("reader")).statusCode()).isEqualTo(403);
        assertThat(get("/repos/acme/web/environments/production/secrets", sim.token("reader")).statusCode()).isEqualTo(403);
        // The reader may still walk runs.
        assertThat(get("/repos/acme/web/actions/runs/101", sim.token("reader")).statusCode()).isEqualTo(200);
    }

    @Test
    void secretsEndpointsGiveNamesAndTimesOnly() throws Exception {
        String t = sim.token("admin");
        JsonNode repo = json(get("/repos/acme/web/actions/secrets", t));
        assertThat(repo.get("total_count").asInt()).isEqualTo(1);
        JsonNode s = repo.get("secrets").get(0);
        assertThat(s.get("name").asText()).isEqualTo("AWS_ACCESS_KEY_ID");
        assertThat(s.get("updated_at").asText()).isEqualTo("2020-02-01T00:00:00Z");
        assertThat(s.has("value")).isFalse();

        JsonNode envs = json(get("/repos/acme/web/environments", t));
        assertThat(envs.get("environments").findValuesAsText("name")).containsExactly("production");
        JsonNode envSecrets = json(get("/repos/acme/web/environments/production/secrets", t));
        assertThat(envSecrets.get("secrets").get(0).get("updated_at").asText()).isEqualTo("2021-05-01T00:00:00Z");

        // web is private and selected for DEPLOY_KEY; docs is public and not selected.
        assertThat(json(get("/repos/acme/web/actions/organization-secrets", t)).get("secrets").findValuesAsText("name"))
                .containsExactlyInAnyOrder("NPM_TOKEN", "DEPLOY_KEY", "INTERNAL_ONLY");
        assertThat(json(get("/repos/acme/docs/actions/organization-secrets", t)).get("secrets").findValuesAsText("name"))
                .containsExactly("NPM_TOKEN");
        JsonNode org = json(get("/orgs/acme/actions/secrets", t));
        assertThat(org.get("secrets").findValuesAsText("visibility")).containsExactly("all", "selected", "private");
        assertThat(org.get("secrets").get(1).get("selected_repositories_url").asText())
                .endsWith("/orgs/acme/actions/secrets/DEPLOY_KEY/repositories");
        JsonNode selected = json(get("/orgs/acme/actions/secrets/DEPLOY_KEY/repositories", t));
        assertThat(selected.get("repositories").findValuesAsText("full_name")).containsExactly("acme/web");
        assertThat(get("/orgs/acme/actions/secrets/NPM_TOKEN/repositories", t).statusCode()).isEqualTo(409);
    }

    @Test
    void workflowsByIdAndFileName() throws Exception {
        String t = sim.token("admin");
        JsonNode byName = json(get("/repos/acme/web/actions/workflows/ci.yml", t));
        assertThat(byName.get("path").asText()).isEqualTo(".github/workflows/ci.yml");
        JsonNode byId = json(get("/repos/acme/web/actions/workflows/" + byName.get("id").asLong(), t));
        assertThat(byId.get("name").asText()).isEqualTo("ci");
        assertThat(gh.getRepository("acme/web").getWorkflow(byName.get("id").asLong()).getPath())
                .isEqualTo(".github/workflows/ci.yml");
    }

    @Test
    void rateLimitHeadersOnEveryAnswerAndPrimaryLimitEnforced() throws Exception {
        HttpResponse<String> r = get("/repos/acme/nothing-here", sim.token("reader"));
        assertThat(r.headers().firstValue("X-RateLimit-Limit")).contains("5000");
        assertThat(r.headers().firstValue("X-RateLimit-Remaining")).isPresent();
        assertThat(r.headers().firstValue("X-RateLimit-Reset")).isPresent();
        try {
            sim.setRateLimit(3);
            for (int i = 0; i < 3; i++) {
                assertThat(get("/repos/acme/docs", sim.token("admin")).statusCode()).isEqualTo(200);
            }
            HttpResponse<String> over = get("/repos/acme/docs", sim.token("admin"));
            assertThat(over.statusCode()).isEqualTo(403);
            assertThat(over.headers().firstValue("X-RateLimit-Remaining")).contains("0");
            assertThat(json(over).get("message").asText()).startsWith("API rate limit exceeded");
            // /rate_limit itself is free and tells the truth.
            JsonNode limit = json(get("/rate_limit", sim.token("admin")));
            assertThat(limit.at("/resources/core/remaining").asInt()).isZero();
            assertThat(gh.getRateLimit().getCore().getLimit()).isEqualTo(3);
        } finally {
            sim.setRateLimit(5000);
        }
    }

    @Test
    void conditionalRequestGets304() throws Exception {
        HttpResponse<String> r = get("/repos/acme/docs", sim.token("admin"));
        String etag = r.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/repos/acme/docs"))
                .header("Authorization", "token " + sim.token("admin")).header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
    }

    @Test
    void requestLogRecordsPathsStatusesAndTokenNamesNeverValues() throws Exception {
        get("/repos/acme/web/actions/runs/101", sim.token("admin"));
        get("/repos/acme/web/actions/runs/999", sim.token("admin"));
        assertThat(sim.requestCount()).isEqualTo(2);
        assertThat(sim.count("/repos/acme/web/actions/runs/\\d+")).isEqualTo(2);
        assertThat(sim.requests()).extracting(RecordedRequest::status).containsExactly(200, 404);
        assertThat(sim.requests()).extracting(RecordedRequest::token).containsOnly("admin");
        assertThat(sim.requests().toString()).doesNotContain(sim.token("admin"));
    }

    @Test
    void seededFaultsAreReproducibleAndCoverEveryKind() throws Exception {
        String t = sim.token("admin");
        sim.setFaults(new Estate.Faults(7, 0, List.of(), null, 300, 2, List.of(
                new Estate.FaultRule("/repos/acme/docs$", "502", 1),
                new Estate.FaultRule("/orgs/acme$", "secondary-429", 1),
                new Estate.FaultRule("/orgs/acme/repos", "secondary-403", 1),
                // java.net.http retries a GET once when the connection drops before any answer: reset twice.
                new Estate.FaultRule("/repos/acme/web/environments$", "reset", 2),
                new Estate.FaultRule("/repos/acme/web/actions/secrets$", "truncated", 1),
                new Estate.FaultRule("/repos/acme/web/actions/workflows$", "slow", 1))));
        assertThat(get("/repos/acme/docs", t).statusCode()).isEqualTo(502);
        assertThat(get("/repos/acme/docs", t).statusCode()).isEqualTo(200); // only the first one fails
        HttpResponse<String> limited = get("/orgs/acme", t);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("2");
        HttpResponse<String> limited403 = get("/orgs/acme/repos", t);
        assertThat(limited403.statusCode()).isEqualTo(403);
        assertThat(limited403.headers().firstValue("Retry-After")).contains("2");
        assertThatThrownBy(() -> get("/repos/acme/web/environments", t)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get("/repos/acme/web/actions/secrets", t)).isInstanceOf(IOException.class);
        long start = System.nanoTime();
        assertThat(get("/repos/acme/web/actions/workflows", t).statusCode()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
        // github-api's abuse-limit handler waits out Retry-After and retries.
        sim.setFaults(new Estate.Faults(7, 0, List.of(), null, 0, 1, List.of(
                new Estate.FaultRule("/repos/acme/docs$", "secondary-429", 1))));
        assertThat(gh.getRepository("acme/docs").getName()).isEqualTo("docs");

        // Random faults: the same seed gives the same outcome for the same request sequence.
        List<Integer> a = randomRun(t, 42);
        List<Integer> b = randomRun(t, 42);
        assertThat(a).isEqualTo(b).contains(500).contains(200);
    }

    private List<Integer> randomRun(String token, long seed) throws Exception {
        sim.setFaults(new Estate.Faults(seed, 0.3, List.of("500"), "/actions/runs", 0, 1, List.of()));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            statuses.add(get("/repos/acme/web/actions/runs?per_page=1&page=" + (i % 10 + 1), token).statusCode());
        }
        return statuses;
    }

    @Test
    void sampleEstateLoadsFromTheClasspath() {
        try (GitHubSimulator demo = GitHubSimulator.startSample()) {
            assertThat(demo.estate().orgs()).extracting(Estate.Org::login).containsExactly("acme");
            assertThat(demo.estate().repo("acme", "web-app")).isPresent();
            assertThat(demo.baseUrl()).startsWith("http://127.0.0.1:");
            assertThat(demo.defaultToken()).isEqualTo(demo.token("demo"));
        }
    }

    private static String nextLink(String link) {
        Matcher m = Pattern.compile("<([^>]+)>; rel=\"next\"").matcher(link);
        return m.find() ? m.group(1) : null;
    }
}
