package io.breachwalk.source.gitlab;

import io.breachwalk.sim.gitlab.GitLabEstate;
import io.breachwalk.sim.gitlab.GitLabSimulator;
import io.breachwalk.source.gitlab.GitLabScanTest.Scan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The GitLab walk when the server pushes back: rate limits and server errors are waited out, a bad token stops it. */
class GitLabFaultsTest {

    private static final String SMALL = """
            tokens:
              - {name: maintainer, value: glpat-maintainer, username: bot, role: maintainer}
            groups:
              - path: acme
                projects:
                  - path: web
                    default_branch: main
                    variables:
                      - {key: CODECOV_TOKEN, variable_type: env_var}
                    commits:
                      - id: c1
                        date: 2021-01-01T00:00:00Z
                        files:
                          .gitlab-ci.yml: |
                            test:
                              script:
                                - bash <(curl -s https://codecov.io/bash)
                    pipelines:
                      - id: 7
                        ref: main
                        commit: c1
                        created_at: 2021-02-10T10:00:00Z
                        jobs:
                          - {id: 70, name: test, status: success, trace: "$ bash <(curl -s https://codecov.io/bash)\\n"}
            """;

    private static GitLabSimulator start(Path tmp) throws IOException {
        Path estate = tmp.resolve("estate.yaml");
        Files.writeString(estate, SMALL);
        return GitLabSimulator.start(estate);
    }

    @Test
    void rateLimitAndServerErrorsAreRetried(@TempDir Path tmp) throws IOException {
        try (GitLabSimulator sim = start(tmp)) {
            sim.setFaults(new GitLabEstate.Faults(1, List.of(
                    new GitLabEstate.FaultRule("/pipelines\\?", "429", 1),
                    new GitLabEstate.FaultRule("/trace", "502", 1),
                    new GitLabEstate.FaultRule("/variables", "503", 1))));
            Scan s = GitLabScanTest.scan(sim, sim.token("maintainer"), tmp.resolve("out"), "--gitlab-group", "acme",
                    "--time-scale", "0");
            assertThat(s.err()).isEmpty();
            assertThat(s.job("70").get("verdict")).isEqualTo("RAN");
            assertThat(s.job("70").get("confidence")).isEqualTo("confirmed");
            assertThat(s.secrets("70")).contains("project:acme/web:CODECOV_TOKEN:STEP");
            assertThat(s.rows("coverage", r -> r.get("blocking").equals("true"))).isEmpty();
        }
    }

    /** A spent rate-limit window (429, `RateLimit-Remaining: 0`, `RateLimit-Reset`) is waited out on every call. */
    @Test
    void spentRateLimitWindowIsWaitedOut(@TempDir Path tmp) throws IOException {
        Path estate = tmp.resolve("estate.yaml");
        Files.writeString(estate, "rate_limit: {limit: 6, reset_seconds: 1}\n" + SMALL);
        try (GitLabSimulator sim = GitLabSimulator.start(estate)) {
            Scan s = GitLabScanTest.scan(sim, sim.token("maintainer"), tmp.resolve("out"), "--gitlab-group", "acme");
            assertThat(s.err()).isEmpty();
            assertThat(sim.requests()).anyMatch(r -> r.status() == 429);
            assertThat(s.job("70").get("verdict")).isEqualTo("RAN");
            assertThat(s.secrets("70")).contains("project:acme/web:CODECOV_TOKEN:STEP");
            assertThat(s.rows("coverage", r -> r.get("blocking").equals("true"))).isEmpty();
        }
    }

    /** With a token the walk reads through gitlab4j-api (which asks for page 1 explicitly); instance variables raw. */
    @Test
    void coveredCallsGoThroughGitLab4jTheRestStaysRaw(@TempDir Path tmp) throws IOException {
        try (GitLabSimulator sim = start(tmp)) {
            Scan s = GitLabScanTest.scan(sim, sim.token("maintainer"), tmp.resolve("out"), "--gitlab-group", "acme",
                    "--time-scale", "0");
            assertThat(s.err()).isEmpty();
            assertThat(s.job("70").get("verdict")).isEqualTo("RAN");
            List<String> asked = sim.requests().stream().map(r -> r.pathAndQuery()).toList();
            assertThat(asked).anyMatch(q -> q.contains("/pipelines?") && q.contains("updated_after=")
                    && firstPage(q) && !q.contains("created_before"));
            assertThat(asked).anyMatch(q -> q.contains("/jobs?") && q.contains("include_retried=true")
                    && firstPage(q));
            assertThat(asked).anyMatch(q -> q.contains("/projects/") && q.contains("/variables") && firstPage(q));
            assertThat(asked).filteredOn(q -> q.contains("/admin/ci/variables")).allMatch(q -> !firstPage(q));
        }
    }

    private static boolean firstPage(String pathAndQuery) {
        return pathAndQuery.matches(".*[?&]page=1(&.*)?");
    }

    @Test
    void rejectedTokenIsAConfigurationError(@TempDir Path tmp) throws IOException {
        try (GitLabSimulator sim = start(tmp)) {
            Scan s = GitLabScanTest.scan(sim, "glpat-wrong", tmp.resolve("out"), "--gitlab-group", "acme");
            assertThat(s.exit()).isEqualTo(2);
            assertThat(s.err()).contains("GitLab rejected the token in GITLAB_TOKEN").doesNotContain("glpat-wrong");
        }
    }

    @Test
    void urlWithoutATargetIsAUsageError(@TempDir Path tmp) throws IOException {
        try (GitLabSimulator sim = start(tmp)) {
            Scan s = GitLabScanTest.scan(sim, sim.token("maintainer"), tmp.resolve("out"));
            assertThat(s.exit()).isEqualTo(2);
            assertThat(s.err()).contains("--gitlab-url needs --gitlab-group or --gitlab-project");
        }
    }

    @Test
    void unknownGroupSaysSo(@TempDir Path tmp) throws IOException {
        try (GitLabSimulator sim = start(tmp)) {
            Scan s = GitLabScanTest.scan(sim, sim.token("maintainer"), tmp.resolve("out"), "--gitlab-group", "nope");
            assertThat(s.exit()).isEqualTo(2);
            assertThat(s.err()).contains("GitLab group 'nope' was not found");
        }
    }
}
