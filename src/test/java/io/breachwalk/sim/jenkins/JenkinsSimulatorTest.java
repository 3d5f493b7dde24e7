package io.breachwalk.sim.jenkins;

import com.cdancy.jenkins.rest.JenkinsClient;
import com.cdancy.jenkins.rest.domain.crumb.Crumb;
import com.cdancy.jenkins.rest.domain.job.BuildInfo;
import com.cdancy.jenkins.rest.domain.job.JobInfo;
import com.cdancy.jenkins.rest.domain.job.JobList;
import com.cdancy.jenkins.rest.domain.job.ProgressiveText;
import com.cdancy.jenkins.rest.domain.job.Workflow;
import com.cdancy.jenkins.rest.domain.system.SystemInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator, seen through the real jenkins-rest client where it covers the call, and plain HTTP otherwise. */
class JenkinsSimulatorTest {
    private static final String USER = "auditor";
    private static final String TOKEN = "11aa22bb33cc44dd55ee66ff77889900aa";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static JenkinsSimulator sim;
    static JenkinsClient client;

    @BeforeAll
    static void start() throws Exception {
        sim = JenkinsSimulator.start(Path.of("src/test/resources/jenkins/sim-basic.yaml"));
        client = JenkinsClient.builder().endPoint(sim.baseUrl().replaceAll("/$", "")).credentials(USER + ":" + TOKEN).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        sim.close();
    }

    @Test
    void baseUrlCarriesTheContextPath() {
        assertThat(sim.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+/jenkins/");
    }

    @Test
    void listsJobsAndFoldersThroughJenkinsRest() {
        JobList root = client.api().jobsApi().jobList("");
        assertThat(root.clazz()).isEqualTo("hudson.model.Hudson");
        assertThat(root.jobs()).extracting(j -> j.name() + " " + j.clazz()).containsExactly(
                "legacy-build hudson.model.FreeStyleProject",
                "team com.cloudbees.hudson.plugins.folder.Folder",
                "secret-stuff com.cloudbees.hudson.plugins.folder.Folder");
        JobList team = client.api().jobsApi().jobList("team");
        assertThat(team.jobs()).extracting(j -> j.clazz()).containsExactly(
                "org.jenkinsci.plugins.workflow.job.WorkflowJob",
                "org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject",
                "hudson.matrix.MatrixProject");
    }

    @Test
    void jobInfoShowsOnlyTheNewest100Builds() {
        JobInfo info = client.api().jobsApi().jobInfo("team", "api");
        // 450 generated, 11 discarded (1-10 and 200).
        assertThat(info.builds()).hasSize(100);
        assertThat(info.builds().get(0).number()).isEqualTo(450);
        assertThat(info.lastBuild().number()).isEqualTo(450);
        assertThat(info.nextBuildNumber()).isEqualTo(451);
    }

    @Test
    void allBuildsRangesPageThroughEveryRetainedBuild() throws Exception {
        List<Integer> numbers = new ArrayList<>();
        for (int from = 0; ; from += 100) {
            JsonNode page = getJson("job/team/job/api/api/json?tree=allBuilds[number,timestamp,result,url]{"
                    + from + "," + (from + 100) + "}");
            JsonNode builds = page.get("allBuilds");
            if (builds.isEmpty()) break;
            builds.forEach(b -> numbers.add(b.get("number").asInt()));
            assertThat(builds.get(0).fieldNames()).toIterable()
                    .containsExactlyInAnyOrder("_class", "number", "timestamp", "result", "url");
        }
        assertThat(numbers).hasSize(439).doesNotContain(1, 10, 200).contains(11, 199, 201, 450);
        assertThat(numbers).isSortedAccordingTo((a, b) -> b - a);
        // Without a tree, allBuilds is not exported at all.
        assertThat(getJson("job/team/job/api/api/json").has("allBuilds")).isFalse();
        // Build 150 is the last one in February (the generator numbers in time order).
        JsonNode b150 = getJson("job/team/job/api/150/api/json?tree=number,timestamp");
        assertThat(Instant.ofEpochMilli(b150.get("timestamp").asLong())).isBefore(Instant.parse("2021-03-01T00:00:00Z"));
        JsonNode b151 = getJson("job/team/job/api/151/api/json?tree=timestamp");
        assertThat(Instant.ofEpochMilli(b151.get("timestamp").asLong())).isAfterOrEqualTo(Instant.parse("2021-05-01T00:00:00Z"));
    }

    @Test
    void nestedTreeWalksFoldersInOneCall() throws Exception {
        JsonNode root = getJson("api/json?tree=jobs[name,_class,jobs[name,jobs[name,url]]]");
        JsonNode mb = root.get("jobs").get(1).get("jobs").get(1);
        assertThat(mb.get("name").asText()).isEqualTo("mb");
        assertThat(mb.get("jobs").get(1).get("name").asText()).isEqualTo("feature%2Fx");
        assertThat(mb.get("jobs").get(1).get("url").asText()).endsWith("/jenkins/job/team/job/mb/job/feature%252Fx/");
        // The double-encoded URL resolves to the branch job.
        assertThat(getJson("job/team/job/mb/job/feature%252Fx/api/json?tree=fullName").get("fullName").asText())
                .isEqualTo("team/mb/feature%2Fx");
        // depth=0: nested jobs show only their summary fields.
        JsonNode plain = getJson("api/json");
        assertThat(plain.get("jobs").get(0).fieldNames()).toIterable().containsExactlyInAnyOrder("_class", "name", "url", "color");
    }

    @Test
    void buildCarriesGitDataAndPasswordParametersWithoutValues() throws Exception {
        BuildInfo b = client.api().jobsApi().buildInfo(null, "legacy-build", 7);
        assertThat(b.number()).isEqualTo(7);
        assertThat(b.timestamp()).isEqualTo(Instant.parse("2021-02-15T10:00:00Z").toEpochMilli());
        assertThat(b.actions().get(0).parameters()).extracting(p -> p.name() + "=" + p.value())
                .containsExactly("DEPLOY_PASSWORD=null");
        JsonNode raw = getJson("job/legacy-build/7/api/json?tree=actions[_class,parameters[name,value],"
                + "lastBuiltRevision[SHA1,branch[name]],remoteUrls]");
        JsonNode data = null;
        for (JsonNode a : raw.get("actions")) {
            if ("hudson.plugins.git.util.BuildData".equals(a.path("_class").asText())) data = a;
        }
        assertThat(data).isNotNull();
        assertThat(data.get("lastBuiltRevision").get("SHA1").asText()).isEqualTo("1111111111111111111111111111111111111111");
        assertThat(data.get("lastBuiltRevision").get("branch").get(0).get("name").asText()).isEqualTo("refs/remotes/origin/master");
        assertThat(data.get("remoteUrls").get(0).asText()).isEqualTo("https://github.com/acme/legacy.git");
    }

    @Test
    void consoleTextStreamsAndGoneLogsAre404() throws Exception {
        HttpResponse<String> log = get("job/legacy-build/7/consoleText");
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.body()).contains("+ bash <(curl -s https://codecov.io/bash) -t ****", "Bash-20210129-7c25fce",
                "Finished: SUCCESS");
        assertThat(get("job/legacy-build/6/consoleText").statusCode()).isEqualTo(404);
        assertThat(client.api().jobsApi().buildInfo(null, "legacy-build", 5)).isNull();
        ProgressiveText pt = client.api().jobsApi().progressiveText(null, "legacy-build", 7, 0);
        assertThat(pt.text()).contains("Bash-20210129-7c25fce");
        assertThat(pt.size()).isEqualTo(log.body().getBytes(StandardCharsets.UTF_8).length);
        assertThat(pt.hasMoreData()).isFalse();
    }

    @Test
    void pipelineLogWeavesStagesAndWfapiDescribesThem() throws Exception {
        String log = get("job/team/job/api/20/consoleText").body();
        assertThat(log).contains("[Pipeline] { (Coverage)\n+ curl -s https://codecov.io/bash\n[Pipeline] }");
        Workflow wf = client.api().jobsApi().workflow("team", "api", 20);
        assertThat(wf.stages()).extracting(s -> s.name() + " " + s.status()).containsExactly("Coverage SUCCESS");
    }

    @Test
    void configXmlForFreestylePipelineFolderAndMultibranch() {
        String free = client.api().jobsApi().config(null, "legacy-build");
        assertThat(free).contains("<hudson.tasks.Shell>", "bash &lt;(curl -s https://codecov.io/bash)",
                "SecretBuildWrapper", "<credentialsId>codecov-token</credentialsId>", "PasswordParameterDefinition");
        String pipe = client.api().jobsApi().config("team", "api");
        assertThat(pipe).contains("CpsScmFlowDefinition", "<scriptPath>Jenkinsfile</scriptPath>", "<url>file://");
        String folder = client.api().jobsApi().config(null, "team");
        assertThat(folder).contains("com.cloudbees.hudson.plugins.folder.Folder", "npm-publish");
        String branch = client.api().jobsApi().config("team/mb", "main");
        assertThat(branch).contains("SCMBinder");
    }

    @Test
    void jenkinsfileAtTheRevisionIsInTheSimulatedRepo() throws Exception {
        String sha = sim.commitSha("api", "c2");
        assertThat(sha).matches("[0-9a-f]{40}");
        JsonNode b = getJson("job/team/job/api/20/api/json?tree=actions[lastBuiltRevision[SHA1],remoteUrls]");
        assertThat(b.toString()).contains(sha, sim.repoUrl("api"));
        try (org.eclipse.jgit.lib.Repository repo = new org.eclipse.jgit.storage.file.FileRepositoryBuilder()
                .setGitDir(Path.of(URI.create(sim.repoUrl("api")).getPath(), ".git").toFile()).build()) {
            assertThat(repo.resolve(sha)).isNotNull();
        }
    }

    @Test
    void credentialStoresListIdsAndTypesOnly() throws Exception {
        JsonNode sys = getJson("credentials/store/system/domain/_/api/json?tree=credentials[id,typeName]");
        assertThat(sys.get("credentials")).extracting(c -> c.get("id").asText() + ":" + c.get("typeName").asText())
                .containsExactly("codecov-token:Secret text", "deploy-key:SSH Username with private key");
        JsonNode folder = getJson("job/team/credentials/store/folder/domain/_/api/json");
        assertThat(folder.get("credentials").get(0).get("id").asText()).isEqualTo("npm-publish");
        assertThat(folder.get("_class").asText()).isEqualTo("com.cloudbees.plugins.credentials.CredentialsStoreAction$DomainWrapper");
    }

    @Test
    void crumbIssuerAndVersionHeader() throws Exception {
        Crumb crumb = client.api().crumbIssuerApi().crumb();
        assertThat(crumb.value()).hasSize(32);
        JsonNode json = getJson("crumbIssuer/api/json");
        assertThat(json.get("crumbRequestField").asText()).isEqualTo("Jenkins-Crumb");
        SystemInfo info = client.api().systemApi().systemInfo();
        assertThat(info.jenkinsVersion()).isEqualTo("2.263.4");
        assertThat(get("api/json").headers().firstValue("X-Jenkins")).contains("2.263.4");
    }

    @Test
    void authenticationAndPermissions() throws Exception {
        assertThat(send("api/json", "auditor:wrong").statusCode()).isEqualTo(401);
        assertThat(send("api/json", null).statusCode()).isEqualTo(403);
        assertThat(get("job/secret-stuff/api/json").statusCode()).isEqualTo(403);
        assertThat(get("job/secret-stuff/job/hidden/config.xml").statusCode()).isEqualTo(403);
        assertThat(get("job/nope/api/json").statusCode()).isEqualTo(404);
        // A password may be used instead of the token; POSTs then need a crumb.
        HttpRequest post = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "job/legacy-build/build"))
                .header("Authorization", basic("auditor:hunter2")).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> r = HTTP.send(post, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("No valid crumb");
    }

    @Test
    void matrixConfigurationsAreChildJobs() throws Exception {
        JsonNode m = getJson("job/team/job/matrix/api/json?tree=activeConfigurations[name,url]");
        assertThat(m.get("activeConfigurations")).extracting(c -> c.get("name").asText()).containsExactly("jdk=8", "jdk=11");
        String log = get("job/team/job/matrix/jdk=11/3/consoleText").body();
        assertThat(log).contains("+ curl -s https://codecov.io/bash");
        assertThat(get("job/team/job/matrix/3/consoleText").body()).contains("Triggering jdk=8");
    }

    @Test
    void requestLogCountsEveryRequest() throws Exception {
        sim.clearRequests();
        get("api/json");
        get("job/nope/api/json");
        assertThat(sim.requestCount()).isEqualTo(2);
        assertThat(sim.requests()).extracting(JenkinsSimulator.Request::status).containsExactly(200, 404);
        assertThat(sim.requests().get(0).user()).isEqualTo("auditor");
    }

    @Test
    void multiMegabyteLogIsStreamed() throws Exception {
        try (JenkinsSimulator big = JenkinsSimulator.startYaml("""
                jobs:
                  - name: big
                    builds:
                      - {number: 1, timestamp: 2021-02-02T00:00:00Z, logPadLines: 60000, log: "+ curl -s https://codecov.io/bash"}
                """)) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(big.baseUrl() + "job/big/1/consoleText")).build();
            HttpResponse<java.io.InputStream> r = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
            long bytes = 0;
            boolean found = false;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    bytes += line.length() + 1;
                    found |= line.startsWith("+ curl -s https://codecov.io/bash");
                }
            }
            assertThat(bytes).isGreaterThan(5_000_000);
            assertThat(found).isTrue();
            assertThat(r.headers().firstValue("Content-Length")).isEmpty();
        }
    }

    @Test
    void seededFaultsAreReproducible() throws Exception {
        String yaml = """
                faults: {seed: 7, rate: 0.3, kinds: ["429", "503", "500"], retryAfterSeconds: 2}
                jobs: [{name: a, builds: [{number: 1, timestamp: 2021-02-02T00:00:00Z}]}]
                """;
        List<Integer> first = new ArrayList<>();
        List<Integer> second = new ArrayList<>();
        for (List<Integer> out : List.of(first, second)) {
            try (JenkinsSimulator s = JenkinsSimulator.startYaml(yaml)) {
                for (int i = 0; i < 40; i++) {
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "job/a/" + (i % 3)
                            + "/api/json")).build(), HttpResponse.BodyHandlers.ofString());
                    out.add(r.statusCode());
                    if (r.statusCode() == 429 || r.statusCode() == 503) {
                        assertThat(r.headers().firstValue("Retry-After")).contains("2");
                    }
                }
            }
        }
        assertThat(first).isEqualTo(second);
        assertThat(first).contains(429, 503, 500).contains(200);
    }

    @Test
    void faultRulesForceResetsAndTruncation() throws Exception {
        String yaml = """
                faults:
                  rules:
                    - {path: "/job/a/api/json", kind: reset, times: 3}
                    - {path: "^/api/json", kind: truncate, times: 3}
                jobs: [{name: a}]
                """;
        try (JenkinsSimulator s = JenkinsSimulator.startYaml(yaml)) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(s.baseUrl() + "job/a/api/json")).build();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> HTTP.send(req, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.io.IOException.class);
            // The JDK client may retry a GET once on its own; the log shows every attempt as status 0.
            assertThat(s.requests()).extracting(JenkinsSimulator.Request::status).contains(0);
            HttpRequest tree = HttpRequest.newBuilder(URI.create(s.baseUrl() + encodeTree("api/json?tree=jobs[name]"))).build();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> HTTP.send(tree, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static HttpResponse<String> get(String path) throws Exception {
        return send(path, USER + ":" + TOKEN);
    }

    private static JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> send(String path, String userToken) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + encodeTree(path)));
        if (userToken != null) b.header("Authorization", basic(userToken));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Brackets and braces of a tree query are not legal in a URI: percent-encode them, as any client must. */
    static String encodeTree(String path) {
        return path.replace("[", "%5B").replace("]", "%5D").replace("{", "%7B").replace("}", "%7D");
    }

    private static String basic(String userToken) {
        return "Basic " + Base64.getEncoder().encodeToString(userToken.getBytes(StandardCharsets.UTF_8));
    }
}
