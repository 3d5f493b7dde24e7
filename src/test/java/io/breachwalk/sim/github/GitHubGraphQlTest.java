package io.breachwalk.sim.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /graphql over the simulator's estate, driven with plain HTTP and real query text: what the batched walk
 * reads (files at commits, jobs and steps by check suite) must agree with what REST says about the same items.
 */
class GitHubGraphQlTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient http = HttpClient.newHttpClient();
    private static GitHubSimulator sim;

    @BeforeAll
    static void start() {
        sim = GitHubSimulator.start(EstateLoader.loadResource("github/sim-estate.yaml"));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void clean() {
        sim.clearRequests();
        sim.graphql().setLimit(5000);
    }

    private static HttpResponse<String> post(String query) throws Exception {
        return post(query, java.util.Map.of());
    }

    private static HttpResponse<String> post(String query, java.util.Map<String, Object> variables) throws Exception {
        String body = JSON.writeValueAsString(java.util.Map.of("query", query, "variables", variables));
        HttpRequest req = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/graphql"))
                .header("Authorization", "bearer " + sim.token("admin"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode graphql(String query) throws Exception {
        HttpResponse<String> r = post(query);
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static JsonNode rest(String pathAndQuery) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(sim.baseUrl() + pathAndQuery))
                .header("Authorization", "Bearer " + sim.token("admin")).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String suiteOf(long runId) throws Exception {
        return rest("/repos/acme/web/actions/runs/" + runId).path("check_suite_node_id").asText();
    }

    @Test
    void readsFilesAtSeveralCommitsByAliasesInOneQuery() throws Exception {
        List<String> shas = new ArrayList<>();
        for (JsonNode c : rest("/repos/acme/web/commits?per_page=100")) {
            shas.add(c.path("sha").asText());
        }
        String newest = shas.get(0);
        String oldest = shas.get(shas.size() - 1);
        JsonNode r = graphql("""
                query {
                  repository(owner: "acme", name: "web") {
                    atOld: object(expression: "%s:.github/workflows/ci.yml") { ...file }
                    atNew: object(expression: "%s:.github/workflows/ci.yml") { ...file }
                    action: object(expression: "%s:.github/actions/upload/action.yml") { ...file }
                    dir: object(expression: "%s:.github/workflows") { ... on Tree { entries { name type } } }
                  }
                }
                fragment file on Blob { text byteSize isBinary isTruncated oid }
                """.formatted(oldest, newest, newest, oldest));
        assertThat(r.has("errors")).isFalse();
        JsonNode repo = r.path("data").path("repository");
        JsonNode old = repo.path("atOld");
        assertThat(old.path("text").asText()).contains("codecov/codecov-action@v1");
        assertThat(old.path("isBinary").asBoolean()).isFalse();
        assertThat(old.path("isTruncated").asBoolean()).isFalse();
        JsonNode restFile = rest("/repos/acme/web/contents/.github/workflows/ci.yml?ref=" + oldest);
        assertThat(old.path("oid").asText()).isEqualTo(restFile.path("sha").asText());
        assertThat(old.path("byteSize").asInt()).isEqualTo(restFile.path("size").asInt());
        assertThat(repo.get("atNew").isNull()).as("removed at the newest commit: null, no error").isTrue();
        assertThat(repo.path("action").path("text").asText()).contains("composite");
        assertThat(repo.path("dir").path("entries").get(0).path("name").asText()).isEqualTo("ci.yml");
        assertThat(sim.count("/graphql")).isEqualTo(1);
        assertThat(sim.graphql().queries()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aThousandAliasesInOneQueryCostOnePoint() throws Exception {
        JsonNode commits = rest("/repos/acme/web/commits?per_page=100");
        String sha = commits.get(commits.size() - 1).path("sha").asText(); // the oldest: ci.yml is there
        StringBuilder q = new StringBuilder("{ rateLimit { cost nodeCount } repository(owner: \"acme\", name: \"web\") {");
        for (int i = 0; i < 1000; i++) {
            q.append(" f").append(i).append(": object(expression: \"").append(sha)
                    .append(":.github/workflows/ci.yml\") { ... on Blob { oid byteSize isTruncated text } }");
        }
        JsonNode r = graphql(q.append(" } }").toString());
        assertThat(r.has("errors")).as(r.path("errors").toString()).isFalse();
        assertThat(r.path("data").path("repository").size()).isEqualTo(1000);
        assertThat(r.path("data").path("repository").path("f999").path("text").asText()).contains("codecov");
        assertThat(r.path("data").path("rateLimit").path("cost").asInt()).isEqualTo(1);
    }

    @Test
    void readsJobsAndStepsOfSeveralRunsByCheckSuiteNodeIds() throws Exception {
        JsonNode runs = rest("/repos/acme/web/actions/runs?per_page=3").path("workflow_runs");
        List<String> ids = new ArrayList<>();
        runs.forEach(run -> ids.add(run.path("check_suite_node_id").asText()));
        ids.add(suiteOf(102));
        JsonNode r = graphql("""
                {
                  nodes(ids: [%s]) {
                    ... on CheckSuite {
                      databaseId
                      workflowRun { databaseId runNumber }
                      checkRuns(first: 10, filterBy: {checkType: ALL}) {
                        totalCount
                        pageInfo { hasNextPage endCursor }
                        nodes {
                          databaseId name status conclusion startedAt completedAt detailsUrl
                          steps(first: 50) { nodes { name number status conclusion startedAt completedAt } }
                        }
                      }
                    }
                  }
                }
                """.formatted(String.join(", ", ids.stream().map(i -> "\"" + i + "\"").toList())));
        assertThat(r.has("errors")).isFalse();
        JsonNode nodes = r.path("data").path("nodes");
        assertThat(nodes).hasSize(4);
        for (JsonNode suite : nodes) {
            long runId = suite.path("workflowRun").path("databaseId").asLong();
            JsonNode restRun = rest("/repos/acme/web/actions/runs/" + runId);
            assertThat(suite.path("databaseId").asLong()).isEqualTo(restRun.path("check_suite_id").asLong());
            assertThat(suite.path("workflowRun").path("runNumber").asLong()).isEqualTo(restRun.path("run_number").asLong());
            JsonNode jobs = rest("/repos/acme/web/actions/runs/" + runId + "/jobs?filter=all").path("jobs");
            JsonNode checkRuns = suite.path("checkRuns").path("nodes");
            assertThat(suite.path("checkRuns").path("totalCount").asInt()).isEqualTo(jobs.size());
            assertThat(checkRuns).hasSize(jobs.size());
            for (int i = 0; i < jobs.size(); i++) {
                JsonNode job = jobs.get(i);
                JsonNode run = checkRuns.get(i);
                assertThat(run.path("databaseId").asLong()).isEqualTo(job.path("id").asLong());
                assertThat(run.path("name").asText()).isEqualTo(job.path("name").asText());
                assertThat(run.path("status").asText()).isEqualTo(job.path("status").asText().toUpperCase());
                assertThat(run.path("conclusion").asText()).isEqualTo(job.path("conclusion").asText().toUpperCase());
                assertThat(run.path("startedAt").asText()).isEqualTo(job.path("started_at").asText());
                assertThat(run.path("completedAt").asText()).isEqualTo(job.path("completed_at").asText());
                assertThat(run.path("detailsUrl").asText()).isEqualTo(job.path("html_url").asText())
                        .matches(".*/actions/runs/" + runId + "/job/" + job.path("id").asLong());
                JsonNode steps = run.path("steps").path("nodes");
                assertThat(steps).hasSize(job.path("steps").size());
                for (int s = 0; s < steps.size(); s++) {
                    JsonNode a = steps.get(s);
                    JsonNode b = job.path("steps").get(s);
                    assertThat(a.path("name").asText()).isEqualTo(b.path("name").asText());
                    assertThat(a.path("number").asInt()).isEqualTo(b.path("number").asInt());
                    assertThat(a.path("conclusion").asText()).isEqualTo(b.path("conclusion").asText().toUpperCase());
                    assertThat(a.path("startedAt").asText()).isEqualTo(b.path("started_at").asText());
                }
            }
        }
    }

    @Test
    void workflowRunNodeIdsReachTheSuiteAndTheWorkflowFileAtItsCommit() throws Exception {
        JsonNode run = rest("/repos/acme/web/actions/runs/101");
        JsonNode r = graphql("""
                { nodes(ids: ["%s"]) { ... on WorkflowRun { databaseId event workflow { name }
                  checkSuite { id status conclusion commit { oid file(path: "%s") { name object { ... on Blob { text } } } } } } } }
                """.formatted(run.path("node_id").asText(), run.path("path").asText()));
        assertThat(r.has("errors")).as(r.toString()).isFalse();
        JsonNode wr = r.path("data").path("nodes").get(0);
        assertThat(wr.path("databaseId").asLong()).isEqualTo(101);
        assertThat(wr.path("event").asText()).isEqualTo(run.path("event").asText());
        assertThat(wr.path("workflow").path("name").asText()).isEqualTo(run.path("name").asText());
        JsonNode suite = wr.path("checkSuite");
        assertThat(suite.path("id").asText()).isEqualTo(run.path("check_suite_node_id").asText());
        assertThat(suite.path("status").asText()).isEqualTo(run.path("status").asText().toUpperCase());
        assertThat(suite.path("conclusion").asText()).isEqualTo(run.path("conclusion").asText().toUpperCase());
        assertThat(suite.path("commit").path("oid").asText()).isEqualTo(run.path("head_sha").asText());
        assertThat(suite.path("commit").path("file").path("object").path("text").asText()).contains("codecov");
    }

    @Test
    void latestCheckRunByDefaultAndEveryAttemptWithAll() throws Exception {
        String suite = suiteOf(101);
        JsonNode all = rest("/repos/acme/web/actions/runs/101/jobs?filter=all").path("jobs");
        assertThat(all).hasSize(2);
        JsonNode r = graphql("""
                query { node(id: "%s") { ... on CheckSuite {
                  latest: checkRuns(first: 10) { totalCount nodes { databaseId name } }
                  every: checkRuns(first: 10, filterBy: {checkType: ALL}) { totalCount nodes { databaseId name } }
                } } }""".formatted(suite));
        JsonNode node = r.path("data").path("node");
        assertThat(node.path("latest").path("totalCount").asInt()).isEqualTo(1);
        long newest = all.get(1).path("id").asLong();
        assertThat(all.get(1).path("run_attempt").asInt()).isEqualTo(2);
        assertThat(node.path("latest").path("nodes").get(0).path("databaseId").asLong()).isEqualTo(newest);
        assertThat(node.path("every").path("totalCount").asInt()).isEqualTo(2);
        assertThat(node.path("every").path("nodes").findValuesAsText("databaseId"))
                .containsExactly(all.get(0).path("id").asText(), all.get(1).path("id").asText());
    }

    @Test
    void unknownNodeIdIsNullWithNotFoundError() throws Exception {
        String known = suiteOf(102);
        JsonNode r = graphql("{ nodes(ids: [\"" + known + "\", \"CS_bm9zdWNo\"]) { id } }");
        JsonNode nodes = r.path("data").path("nodes");
        assertThat(nodes.get(0).path("id").asText()).isEqualTo(known);
        assertThat(nodes.get(1).isNull()).isTrue();
        JsonNode error = r.path("errors").get(0);
        assertThat(error.path("type").asText()).isEqualTo("NOT_FOUND");
        assertThat(error.path("path").toString()).isEqualTo("[\"nodes\",1]");
        assertThat(error.path("message").asText()).contains("CS_bm9zdWNo");
    }

    @Test
    void variablesCarryIdsAndPageSizesAndMoreThan100IdsAreRefused() throws Exception {
        String query = "query($ids: [ID!]!, $n: Int!) { nodes(ids: $ids) { ... on CheckSuite { checkRuns(first: $n) "
                + "{ totalCount } } } }";
        JsonNode ok = JSON.readTree(post(query, java.util.Map.of("ids", List.of(suiteOf(101)), "n", 5)).body());
        assertThat(ok.path("data").path("nodes").get(0).path("checkRuns").path("totalCount").asInt()).isEqualTo(1);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            ids.add("CS_" + i);
        }
        JsonNode refused = JSON.readTree(post(query, java.util.Map.of("ids", ids, "n", 5)).body());
        assertThat(refused.has("data")).isFalse();
        assertThat(refused.path("errors").get(0).path("type").asText()).isEqualTo("ARGUMENT_LIMIT");
        assertThat(refused.path("errors").get(0).path("message").asText())
                .isEqualTo("You may not provide more than 100 node ids; you provided 101.");
    }

    @Test
    void firstAbove100AndTooManyNodesAreRefusedBeforeRunning() throws Exception {
        long before = sim.graphql().points();
        JsonNode r = graphql("{ node(id: \"" + suiteOf(101) + "\") { ... on CheckSuite { checkRuns(first: 101) "
                + "{ nodes { name } } } } }");
        assertThat(r.has("data")).isFalse();
        assertThat(r.path("errors").get(0).path("type").asText()).isEqualTo("EXCESSIVE_PAGINATION");
        assertThat(r.path("errors").get(0).path("message").asText())
                .isEqualTo("Requesting 101 records on the `checkRuns` connection exceeds the `first` limit of 100 records.");

        JsonNode missing = graphql("{ node(id: \"x\") { ... on CheckSuite { checkRuns { totalCount } } } }");
        assertThat(missing.path("errors").get(0).path("type").asText()).isEqualTo("MISSING_PAGINATION_BOUNDARIES");

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add("\"CS_" + i + "\"");
        }
        JsonNode huge = graphql("{ nodes(ids: [" + String.join(",", ids) + "]) { ... on CheckSuite { checkRuns(first: 100) "
                + "{ nodes { steps(first: 100) { nodes { name } } } } } } }");
        assertThat(huge.path("errors").get(0).path("type").asText()).isEqualTo("MAX_NODE_LIMIT_EXCEEDED");
        assertThat(huge.path("errors").get(0).path("message").asText()).contains("1,010,100").contains("500,000");
        assertThat(sim.graphql().points()).isEqualTo(before);
    }

    @Test
    void rateLimitReportsTheCostAndRemainingFallsBySeparateFromRest() throws Exception {
        String suite = suiteOf(101);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add("\"" + suite + "\"");
        }
        String query = "{ rateLimit { cost limit remaining used nodeCount resetAt } nodes(ids: [" + String.join(",", ids)
                + "]) { ... on CheckSuite { checkRuns(first: 20, filterBy: {checkType: ALL}) "
                + "{ nodes { steps(first: 50) { nodes { name } } } } } } }";
        HttpResponse<String> first = post(query);
        JsonNode a = JSON.readTree(first.body()).path("data").path("rateLimit");
        // 50 checkRuns requests + 50 x 20 steps requests = 1,050 -> 10.5 -> 11 points; 50 + 1,000 + 50,000 nodes
        assertThat(a.path("cost").asInt()).isEqualTo(11);
        assertThat(a.path("nodeCount").asInt()).isEqualTo(51_050);
        assertThat(a.path("limit").asInt()).isEqualTo(5000);
        assertThat(a.path("remaining").asInt()).isEqualTo(5000 - 11);
        assertThat(first.headers().firstValue("X-RateLimit-Resource")).hasValue("graphql");
        assertThat(first.headers().firstValue("X-RateLimit-Remaining")).hasValue(Integer.toString(5000 - 11));

        JsonNode b = graphql("{ rateLimit { cost remaining used } }").path("data").path("rateLimit");
        assertThat(b.path("cost").asInt()).isEqualTo(1);
        assertThat(b.path("remaining").asInt()).isEqualTo(5000 - 12);
        assertThat(b.path("used").asInt()).isEqualTo(12);
        assertThat(sim.count("/graphql")).isEqualTo(2);

        JsonNode dry = graphql("{ rateLimit(dryRun: true) { cost remaining } " + query.substring(query.indexOf("nodes(")));
        assertThat(dry.path("data").path("rateLimit").path("cost").asInt()).isEqualTo(11);
        assertThat(dry.path("data").path("rateLimit").path("remaining").asInt()).as("a dry run is free").isEqualTo(5000 - 12);
        assertThat(dry.path("data").has("nodes")).isFalse();

        sim.graphql().setLimit(11);
        graphql(query);
        JsonNode refused = graphql("{ rateLimit { remaining } }");
        assertThat(refused.path("errors").get(0).path("type").asText()).isEqualTo("RATE_LIMITED");
        assertThat(refused.has("data")).isFalse();
    }

    @Test
    void databaseIdsPastThirtyTwoBitsAreServedWhole() throws Exception {
        JsonNode r = graphql("{ node(id: \"" + suiteOf(101) + "\") { ... on CheckSuite { databaseId } } }");
        assertThat(r.path("data").path("node").path("databaseId").asLong()).isEqualTo(10_000_000_101L);
    }

    @Test
    void archivedJobsAreAbsentAsRestHasThemAndHistoryMatchesTheCommitsApi() throws Exception {
        try (GitHubSimulator history = GitHubSimulator.start(EstateLoader.loadResource("github/history-estate.yaml"))) {
            HttpRequest.Builder auth = HttpRequest.newBuilder().header("Authorization", "Bearer " + history.token("admin"));
            JsonNode runs = JSON.readTree(http.send(auth.copy().uri(URI.create(history.baseUrl()
                    + "/repos/gone/archived-app/actions/runs")).build(), HttpResponse.BodyHandlers.ofString()).body());
            JsonNode run = runs.path("workflow_runs").get(0);
            JsonNode jobs = JSON.readTree(http.send(auth.copy().uri(URI.create(history.baseUrl()
                    + "/repos/gone/archived-app/actions/runs/" + run.path("id").asLong() + "/jobs?filter=all")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(jobs.path("total_count").asInt()).isZero();
            String query = """
                    { node(id: "%s") { ... on CheckSuite { checkRuns(first: 10, filterBy: {checkType: ALL}) { totalCount } } }
                      repository(owner: "gone", name: "matrix-app") { object(expression: "HEAD") { ... on Commit {
                        history(first: 100, path: ".github/workflows", since: "2020-01-01T00:00:00Z") { totalCount nodes { oid } } } } } }
                    """.formatted(run.path("check_suite_node_id").asText());
            String body = JSON.writeValueAsString(java.util.Map.of("query", query));
            JsonNode r = JSON.readTree(http.send(auth.copy().uri(URI.create(history.baseUrl() + "/graphql"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(r.has("errors")).as(r.toString()).isFalse();
            assertThat(r.path("data").path("node").path("checkRuns").path("totalCount").asInt()).isZero();
            JsonNode commits = JSON.readTree(http.send(auth.copy().uri(URI.create(history.baseUrl()
                    + "/repos/gone/matrix-app/commits?path=.github/workflows&since=2020-01-01T00:00:00Z&per_page=100")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            JsonNode nodes = r.path("data").path("repository").path("object").path("history").path("nodes");
            List<String> restShas = new ArrayList<>();
            commits.forEach(c -> restShas.add(c.path("sha").asText()));
            assertThat(nodes.findValuesAsText("oid")).isNotEmpty().isEqualTo(restShas);
        }
    }

    @Test
    void injectedFaultsReachGraphQlClientsAndRestShowsTheGraphQlBudget() throws Exception {
        sim.setFaults(new Estate.Faults(7, 0, List.of(), null, 0, 2, List.of(
                new Estate.FaultRule("^/graphql", "502", 1), new Estate.FaultRule("^/graphql", "rate-limit", 1))));
        try {
            assertThat(post("{ rateLimit { cost } }").statusCode()).isEqualTo(502);
            JsonNode limited = graphql("{ rateLimit { cost } }");
            assertThat(limited.path("errors").get(0).path("type").asText()).isEqualTo("RATE_LIMITED");
        } finally {
            sim.setFaults(Estate.Faults.none());
        }
        JsonNode resources = rest("/rate_limit").path("resources");
        assertThat(resources.path("graphql").path("remaining").asInt()).isZero();
        assertThat(resources.path("core").path("remaining").asInt()).isPositive();
        sim.graphql().setLimit(5000);
        assertThat(graphql("{ rateLimit { remaining } }").path("data").path("rateLimit").path("remaining").asInt())
                .isEqualTo(4999);
    }

    @Test
    void invalidQueriesAnswerGraphQlErrorsWithLocations() throws Exception {
        JsonNode r = graphql("{ repository(owner: \"acme\", name: \"web\") { nosuchfield } }");
        assertThat(r.has("data")).isFalse();
        assertThat(r.path("errors").get(0).path("message").asText())
                .isEqualTo("Field 'nosuchfield' doesn't exist on type 'Repository'");
        assertThat(r.path("errors").get(0).path("extensions").path("code").asText()).isEqualTo("undefinedField");
        assertThat(r.path("errors").get(0).path("path").toString()).isEqualTo("[\"query\",\"repository\",\"nosuchfield\"]");
        assertThat(r.path("errors").get(0).path("locations").get(0).path("line").asInt()).isEqualTo(1);
        JsonNode missing = graphql("{ repository(owner: \"acme\", name: \"nope\") { name } }");
        assertThat(missing.path("data").get("repository").isNull()).isTrue();
        assertThat(missing.path("errors").get(0).path("type").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void aServerWithoutGraphQlAnswers404() throws Exception {
        sim.graphql().setEnabled(false);
        try {
            assertThat(post("{ rateLimit { cost } }").statusCode()).isEqualTo(404);
        } finally {
            sim.graphql().setEnabled(true);
        }
        assertThat(post("{ rateLimit { cost } }").statusCode()).isEqualTo(200);
    }

    @Test
    void answersWithoutTokenAre401() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/graphql"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ rateLimit { cost } }\"}")).build();
        assertThat(http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }
}
