package io.breachwalk.sim.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The commits, branches and pulls APIs and the retention of the simulator (issue 10). */
class SimulatorHistoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient http = HttpClient.newHttpClient();
    private static GitHubSimulator sim;

    @BeforeAll
    static void start() {
        sim = GitHubSimulator.start(EstateLoader.loadResource("github/history-estate.yaml"));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static HttpResponse<String> get(String pathOrUrl) throws Exception {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : sim.baseUrl() + pathOrUrl;
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer "
                + sim.token("admin")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void commitsFollowTheBranchFilterByPathAndDateAndPageWithLinks() throws Exception {
        List<String> dates = new ArrayList<>();
        String next = "/repos/gone/branches-app/commits?sha=addcov&path=.github/workflows&per_page=1";
        while (next != null) {
            HttpResponse<String> r = get(next);
            assertThat(r.statusCode()).isEqualTo(200);
            JSON.readTree(r.body()).forEach(c -> dates.add(c.at("/commit/committer/date").asText()));
            next = r.headers().firstValue("Link").filter(l -> l.contains("rel=\"next\""))
                    .map(l -> l.replaceAll("^<([^>]+)>; rel=\"next\".*", "$1")).orElse(null);
        }
        // addcov: f1 <- x1 <- r0, newest first; release's rel1 is not on it.
        assertThat(dates).containsExactly("2021-03-10T10:00:00Z", "2021-03-01T10:00:00Z", "2020-12-01T10:00:00Z");
        JsonNode before = JSON.readTree(get("/repos/gone/branches-app/commits?sha=release&path=.github/workflows"
                + "&until=2021-01-31T00:00:00Z&per_page=1").body());
        assertThat(before).hasSize(1);
        assertThat(before.at("/0/commit/committer/date").asText()).isEqualTo("2021-01-20T10:00:00Z");
        assertThat(JSON.readTree(get("/repos/gone/branches-app/commits?sha=main&path=README.md").body())).isEmpty();
    }

    @Test
    void branchesPullsAndRetention() throws Exception {
        JsonNode branches = JSON.readTree(get("/repos/gone/branches-app/branches").body());
        assertThat(branches).extracting(b -> b.path("name").asText()).containsExactly("addcov", "main", "release");
        JsonNode pulls = JSON.readTree(get("/repos/gone/branches-app/pulls?state=all&sort=updated&direction=desc").body());
        assertThat(pulls.at("/0/head/ref").asText()).isEqualTo("addcov");
        assertThat(pulls.at("/0/updated_at").asText()).isEqualTo("2021-03-12T12:00:00Z");
        // Expired runs: only those from retained_from on are listed; archived jobs: an empty list.
        JsonNode runs = JSON.readTree(get("/repos/gone/expired-app/actions/runs").body());
        assertThat(runs.path("total_count").asInt()).isEqualTo(1);
        assertThat(runs.at("/workflow_runs/0/id").asLong()).isEqualTo(9101);
        JsonNode jobs = JSON.readTree(get("/repos/gone/archived-app/actions/runs/3101/jobs").body());
        assertThat(jobs.path("total_count").asInt()).isZero();
    }
}
