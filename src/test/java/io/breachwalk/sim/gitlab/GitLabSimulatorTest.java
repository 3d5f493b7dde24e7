package io.breachwalk.sim.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwalk.sim.DemoEstate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Drives the GitLab simulator's endpoints with plain HTTP, as any client would. */
class GitLabSimulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static GitLabSimulator sample;

    @BeforeAll
    static void start() {
        sample = GitLabSimulator.startSample();
    }

    @AfterAll
    static void stop() {
        sample.close();
    }

    private static HttpResponse<String> get(GitLabSimulator sim, String token, String pathAndQuery) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/api/v4" + pathAndQuery)).GET();
        if (token != null) {
            b.header("PRIVATE-TOKEN", sim.token(token));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        assertThat(r.statusCode()).as(r.uri() + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String enc(String path) {
        return URLEncoder.encode(path, StandardCharsets.UTF_8);
    }

    private static List<Long> ids(JsonNode list) {
        List<Long> out = new ArrayList<>();
        list.forEach(n -> out.add(n.get("id").asLong()));
        return out;
    }

    private static long projectId(String path) throws Exception {
        return json(get(sample, "demo", "/projects/" + enc(path))).get("id").asLong();
    }

    @Test
    void answers401WithoutOrWithAnUnknownToken() throws Exception {
        assertThat(get(sample, null, "/version").statusCode()).isEqualTo(401);
        HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(URI.create(sample.baseUrl() + "/api/v4/user"))
                .header("PRIVATE-TOKEN", "glpat-nope").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(bad.body()).get("message").asText()).isEqualTo("401 Unauthorized");
        assertThat(json(get(sample, "demo", "/version")).get("version").asText()).startsWith("16.");
        assertThat(json(get(sample, "demo", "/user")).get("is_admin").asBoolean()).isTrue();
    }

    @Test
    void groupsByPathWithSubgroupsAndTheirProjects() throws Exception {
        JsonNode group = json(get(sample, "demo", "/groups/acme-platform"));
        assertThat(group.get("full_path").asText()).isEqualTo("acme-platform");
        JsonNode sub = json(get(sample, "demo", "/groups/" + enc("acme-platform/backend")));
        assertThat(sub.get("parent_id").asLong()).isEqualTo(group.get("id").asLong());
        assertThat(json(get(sample, "demo", "/groups/acme-platform/subgroups"))).hasSize(1);
        assertThat(json(get(sample, "demo", "/groups/" + group.get("id").asLong() + "/descendant_groups"))).hasSize(1);

        List<String> direct = new ArrayList<>();
        json(get(sample, "demo", "/groups/acme-platform/projects")).forEach(p -> direct.add(p.get("path_with_namespace").asText()));
        assertThat(direct).containsExactlyInAnyOrder("acme-platform/web", "acme-platform/docs-site");
        List<String> all = new ArrayList<>();
        json(get(sample, "demo", "/groups/acme-platform/projects?include_subgroups=true"))
                .forEach(p -> all.add(p.get("path_with_namespace").asText()));
        assertThat(all).containsExactlyInAnyOrder("acme-platform/web", "acme-platform/docs-site",
                "acme-platform/backend/api", "acme-platform/backend/monorepo");
        assertThat(get(sample, "demo", "/groups/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void projectCarriesItsConfigPathAndNamespace() throws Exception {
        JsonNode api = json(get(sample, "demo", "/projects/" + enc("acme-platform/backend/api")));
        assertThat(api.get("ci_config_path").asText()).isEqualTo("ci/pipeline.yml");
        assertThat(api.get("namespace").get("full_path").asText()).isEqualTo("acme-platform/backend");
        assertThat(api.get("namespace").get("kind").asText()).isEqualTo("group");
        JsonNode web = json(get(sample, "demo", "/projects/" + api.get("id").asLong()));
        assertThat(web.get("path_with_namespace").asText()).isEqualTo("acme-platform/backend/api");
        assertThat(json(get(sample, "demo", "/projects/" + enc("acme-platform/web"))).get("ci_config_path").isNull())
                .isTrue();
    }

    @Test
    void childPipelinesAreHiddenUnlessAskedForAndBridgesPointAtThem() throws Exception {
        long id = projectId("acme-platform/backend/monorepo");
        assertThat(ids(json(get(sample, "demo", "/projects/" + id + "/pipelines")))).containsExactly(1100000301L);
        JsonNode children = json(get(sample, "demo", "/projects/" + id + "/pipelines?source=parent_pipeline"));
        assertThat(ids(children)).containsExactly(1100000302L);
        assertThat(children.get(0).get("source").asText()).isEqualTo("parent_pipeline");
        JsonNode bridges = json(get(sample, "demo", "/projects/" + id + "/pipelines/1100000301/bridges"));
        assertThat(bridges).hasSize(1);
        assertThat(bridges.get(0).get("name").asText()).isEqualTo("frontend");
        assertThat(bridges.get(0).get("downstream_pipeline").get("id").asLong()).isEqualTo(1100000302L);
        JsonNode childJobs = json(get(sample, "demo", "/projects/" + id + "/pipelines/1100000302/jobs"));
        String trace = get(sample, "demo", "/projects/" + id + "/jobs/" + childJobs.get(0).get("id").asLong() + "/trace").body();
        assertThat(trace).contains("codecov.io/bash");
    }

    @Test
    void retriedJobsOnlyWithIncludeRetried() throws Exception {
        long id = projectId("acme-platform/backend/api");
        JsonNode latest = json(get(sample, "demo", "/projects/" + id + "/pipelines/1100000201/jobs"));
        assertThat(latest).hasSize(2);
        JsonNode all = json(get(sample, "demo", "/projects/" + id + "/pipelines/1100000201/jobs?include_retried=true"));
        assertThat(all).hasSize(3);
        List<String> statuses = new ArrayList<>();
        all.forEach(j -> statuses.add(j.get("name").asText() + ":" + j.get("status").asText()));
        assertThat(statuses).containsExactly("build:success", "coverage:failed", "coverage:success");
    }

    @Test
    void manualJobNeverStartedAndErasedTraceIsGone() throws Exception {
        long id = projectId("acme-platform/web");
        JsonNode jobs = json(get(sample, "demo", "/projects/" + id + "/pipelines/1100000104/jobs"));
        JsonNode test = jobs.get(0);
        JsonNode deploy = jobs.get(1);
        assertThat(deploy.get("status").asText()).isEqualTo("manual");
        assertThat(deploy.get("started_at").isNull()).isTrue();
        assertThat(test.get("erased_at").isNull()).isFalse();
        assertThat(get(sample, "demo", "/projects/" + id + "/jobs/" + test.get("id").asLong() + "/trace").statusCode())
                .isEqualTo(404);
        assertThat(json(get(sample, "demo", "/projects/" + id + "/deployments?environment=production"))).hasSize(2);
    }

    @Test
    void variablesNeedAMaintainerAndInstanceVariablesAnAdmin() throws Exception {
        long id = projectId("acme-platform/web");
        assertThat(get(sample, "developer", "/projects/" + id + "/variables").statusCode()).isEqualTo(403);
        assertThat(get(sample, "developer", "/groups/acme-platform/variables").statusCode()).isEqualTo(403);
        JsonNode vars = json(get(sample, "maintainer", "/projects/" + id + "/variables"));
        assertThat(vars).hasSize(3);
        JsonNode scoped = vars.get(2);
        assertThat(scoped.get("key").asText()).isEqualTo("PROD_DB_PASSWORD");
        assertThat(scoped.get("environment_scope").asText()).isEqualTo("production");
        assertThat(scoped.get("value").asText()).isEqualTo("SIMVALUE-PROD_DB_PASSWORD");
        assertThat(vars.get(1).get("variable_type").asText()).isEqualTo("file");
        assertThat(vars.get(1).get("protected").asBoolean()).isTrue();
        assertThat(json(get(sample, "maintainer", "/groups/" + enc("acme-platform/backend") + "/variables"))).hasSize(1);
        assertThat(get(sample, "maintainer", "/admin/ci/variables").statusCode()).isEqualTo(403);
        assertThat(json(get(sample, "demo", "/admin/ci/variables")).get(0).get("key").asText())
                .isEqualTo("INSTANCE_SENTRY_DSN");
        assertThat(json(get(sample, "demo", "/projects/" + id + "/protected_branches")).get(0).get("name").asText())
                .isEqualTo("main");
    }

    @Test
    void filesAtACommitAndTheCommitHistory() throws Exception {
        long id = projectId("acme-platform/backend/api");
        JsonNode pipeline = json(get(sample, "demo", "/projects/" + id + "/pipelines/1100000201"));
        String sha = pipeline.get("sha").asText();
        HttpResponse<String> inc = get(sample, "demo", "/projects/" + id + "/repository/files/" + enc("ci/coverage.yml")
                + "/raw?ref=" + sha);
        assertThat(inc.statusCode()).isEqualTo(200);
        assertThat(inc.body()).contains("codecov.sh");
        assertThat(get(sample, "demo", "/projects/" + id + "/repository/files/.gitlab-ci.yml/raw?ref=" + sha)
                .statusCode()).isEqualTo(404);
        JsonNode commits = json(get(sample, "demo", "/projects/" + id
                + "/repository/commits?ref_name=main&path=ci&since=2021-01-01T00:00:00Z&until=2021-04-01T00:00:00Z"));
        assertThat(commits).hasSize(1);
        assertThat(commits.get(0).get("id").asText()).isEqualTo(sha);
    }

    @Test
    void paginatesWithGitLabHeadersAndFiltersByTime() throws Exception {
        try (GitLabSimulator sim = GitLabSimulator.start(Path.of("src/test/resources/gitlab/many-pipelines.yaml"))) {
            HttpResponse<String> p1 = get(sim, "t", "/projects/" + enc("big/busy") + "/pipelines?per_page=500");
            assertThat(json(p1)).hasSize(100);
            assertThat(p1.headers().firstValue("x-per-page")).hasValue("100");
            assertThat(p1.headers().firstValue("x-page")).hasValue("1");
            assertThat(p1.headers().firstValue("x-next-page")).hasValue("2");
            assertThat(p1.headers().firstValue("x-total")).hasValue("151");
            assertThat(p1.headers().firstValue("x-total-pages")).hasValue("2");
            assertThat(p1.headers().firstValue("link").orElseThrow()).contains("page=2").contains("rel=\"next\"");
            assertThat(p1.headers().firstValue("ratelimit-limit")).hasValue("2000");
            HttpResponse<String> p2 = get(sim, "t", "/projects/" + enc("big/busy") + "/pipelines?per_page=100&page=2");
            assertThat(json(p2)).hasSize(51);
            assertThat(p2.headers().firstValue("x-next-page")).hasValue("");
            assertThat(p2.headers().firstValue("link").orElseThrow()).doesNotContain("rel=\"next\"");
            // Newest id first by default; the generated pipelines run on after the listed ones.
            assertThat(json(p2).get(50).get("id").asLong()).isEqualTo(1L);

            JsonNode window = json(get(sim, "t", "/projects/" + enc("big/busy")
                    + "/pipelines?per_page=100&updated_after=2021-01-01T00:00:00Z&updated_before=2021-01-31T00:00:00Z"));
            assertThat(ids(window)).containsExactly(1L);
        }
    }

    @Test
    void answers429WithRetryAfterAndInjected5xx() throws Exception {
        try (GitLabSimulator sim = GitLabSimulator.start(Path.of("src/test/resources/gitlab/many-pipelines.yaml"))) {
            String list = "/projects/" + enc("big/busy") + "/pipelines?ref=flaky";
            HttpResponse<String> first = get(sim, "t", list);
            assertThat(first.statusCode()).isEqualTo(429);
            assertThat(first.headers().firstValue("retry-after")).hasValue("3");
            assertThat(get(sim, "t", list).statusCode()).isEqualTo(200);
            assertThat(get(sim, "t", "/projects/" + enc("big/busy") + "/pipelines/1").statusCode()).isEqualTo(502);
            assertThat(get(sim, "t", "/projects/" + enc("big/busy") + "/pipelines/1").statusCode()).isEqualTo(200);

            sim.setRateLimit(2);
            assertThat(get(sim, "t", "/version").statusCode()).isEqualTo(200);
            HttpResponse<String> last = get(sim, "t", "/version");
            assertThat(last.headers().firstValue("ratelimit-remaining")).hasValue("0");
            HttpResponse<String> limited = get(sim, "t", "/version");
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(Long.parseLong(limited.headers().firstValue("retry-after").orElseThrow())).isPositive();
            assertThat(sim.count(".*/version")).isEqualTo(3);
        }
    }

    @Test
    void demoScansTheSampleGroupWithItsToken() {
        try (DemoEstate<GitLabSimulator> demo = GitLabSimulator.startDemo()) {
            assertThat(demo.scanArgs()).containsExactly("--gitlab-url", demo.url(), "--gitlab-group", "acme-platform");
            assertThat(demo.env()).containsOnlyKeys("GITLAB_TOKEN");
            assertThat(demo.simulator().provider()).isEqualTo("gitlab-ci");
        }
    }

    @Test
    void dropsTheTotalsAboveTenThousandResults() throws Exception {
        GitLabEstate estate = GitLabEstateLoader.parse("""
                tokens: [{name: t, value: glpat-sim-many}]
                groups:
                  - path: g
                    projects:
                      - path: p
                        commits: [{id: c1}]
                        generate: [{count: 10001, commit: c1, from: 2021-01-01T00:00:00Z, to: 2021-03-01T00:00:00Z}]
                """);
        try (GitLabSimulator sim = GitLabSimulator.start(estate)) {
            HttpResponse<String> r = get(sim, "t", "/projects/" + enc("g/p") + "/pipelines?per_page=100&page=3");
            assertThat(json(r)).hasSize(100);
            assertThat(r.headers().firstValue("x-total")).isEmpty();
            assertThat(r.headers().firstValue("x-total-pages")).isEmpty();
            assertThat(r.headers().firstValue("x-next-page")).hasValue("4");
            assertThat(r.headers().firstValue("link").orElseThrow()).doesNotContain("rel=\"last\"");
        }
    }

    @Test
    void rejectsUnknownKeys() {
        assertThatThrownBy(() -> GitLabEstateLoader.parse("groups: [{path: g, projets: []}]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown key projets");
    }
}
