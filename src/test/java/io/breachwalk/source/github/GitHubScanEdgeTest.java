package io.breachwalk.source.github;

import io.breachwalk.sim.github.EstateLoader;
import io.breachwalk.sim.github.GitHubSimulator;
import io.breachwalk.source.github.GitHubScanSupport.Scan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.breachwalk.source.github.GitHubScanSupport.is;
import static org.assertj.core.api.Assertions.assertThat;

/** The 1,000-result cap, a token that may not list secrets, configuration errors, and repeatable output. */
class GitHubScanEdgeTest {
    @TempDir
    Path tmp;

    @Test
    void moreThanOneThousandRunsInTheWindowAreAllFoundAndOnlyCodecovRunsHaveTheirJobsFetched() throws Exception {
        try (GitHubSimulator sim = GitHubSimulator.start(EstateLoader.loadResource("github/bulk-estate.yaml"))) {
            Scan scan = GitHubScanSupport.scan(sim, sim.token("admin"), tmp.resolve("bulk"), "--github-org", "bulk",
                    "--concurrency", "4", "--api", "rest"); // counts the REST walk's jobs requests
            assertThat(scan.exit()).as(scan.err()).isEqualTo(1);
            List<Map<String, String>> jobs = scan.csv("jobs");
            assertThat(jobs).hasSize(1200).allSatisfy(r -> assertThat(r.get("verdict")).isEqualTo("RAN"));
            assertThat(jobs.stream().map(r -> r.get("run_id")).collect(Collectors.toSet())).hasSize(1200);
            assertThat(scan.rows("coverage", is("gap", "RESULT_CAP"))).isEmpty();
            // No listing asked for more than GitHub returns: every listing slice stayed under the cap.
            assertThat(sim.requests().stream().filter(r -> r.path().endsWith("/actions/runs")))
                    .allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
            // Jobs only for the 1,200 Codecov runs, none for the 300 lint runs; each workflow file read once, and the
            // Makefile that lint.yml's `make lint` runs (followed for the uploader) once too.
            assertThat(sim.count("/repos/bulk/monorepo/actions/runs/\\d+/jobs")).isEqualTo(1200);
            assertThat(sim.count("/repos/bulk/monorepo/contents/.*")).isEqualTo(3);
            assertThat(sim.count("/repos/bulk/monorepo/contents/Makefile.*")).isEqualTo(1);
            // Logs expire by age: after the newest one answered 410, older jobs are not asked.
            assertThat(sim.count("/repos/bulk/monorepo/actions/jobs/\\d+/logs")).isEqualTo(1);
            Map<String, String> rot = scan.one("rotation", is("secret_name", "CODECOV_TOKEN"));
            assertThat(rot.get("jobs_exposed")).isEqualTo("1200");
            assertThat(rot.get("status")).isEqualTo("ROTATE");
        }
    }

    @Test
    void tokenThatMayNotListSecretsGivesAGapAndReviewRows() throws Exception {
        try (GitHubSimulator sim = GitHubSimulator.startSample()) {
            Scan scan = GitHubScanSupport.scan(sim, sim.token("ci-reader"), tmp.resolve("reader"),
                    "--github-repo", "acme/web-app");
            // Every secret is REVIEW: not an all-clear, the rows ask for action (exit 1).
            assertThat(scan.exit()).as(scan.err()).isEqualTo(1);
            Map<String, String> gap = scan.one("coverage", is("gap", "SECRETS_UNLISTABLE"));
            assertThat(gap.get("project")).isEqualTo("acme/web-app");
            assertThat(gap.get("blocking")).isEqualTo("false");
            assertThat(gap.get("detail")).contains("403");
            List<Map<String, String>> codecov = scan.rows("exposures", is("secret_name", "CODECOV_TOKEN"));
            assertThat(codecov).isNotEmpty().allSatisfy(r -> {
                assertThat(r.get("secret_scope")).isEqualTo("unresolved");
                assertThat(r.get("exposure")).isEqualTo("STEP");
            });
            Map<String, String> rot = scan.one("rotation", is("secret_name", "CODECOV_TOKEN"));
            assertThat(rot.get("status")).isEqualTo("REVIEW");
            assertThat(rot.get("priority")).isEqualTo("P2"); // a codecov token at STEP, change time unknown or not
            // The verdicts do not depend on secrets access.
            assertThat(scan.rows("jobs", is("verdict", "RAN"))).hasSize(6);
        }
    }

    @Test
    void rejectedTokenIsOneLineAndExitTwo() {
        try (GitHubSimulator sim = GitHubSimulator.startSample()) {
            Scan scan = GitHubScanSupport.scan(sim, "not-a-valid-token", tmp.resolve("bad"), "--github-org", "acme");
            assertThat(scan.exit()).isEqualTo(2);
            assertThat(scan.err().strip()).isEqualTo("breachwalk: GitHub rejected the token in GITHUB_TOKEN "
                    + "(401 Bad credentials) at " + sim.baseUrl());
            assertThat(scan.err()).doesNotContain("not-a-valid-token").doesNotContain("\tat ");
        }
    }

    @Test
    void unknownOrganizationIsOneLineAndExitTwo() {
        try (GitHubSimulator sim = GitHubSimulator.startSample()) {
            Scan scan = GitHubScanSupport.scan(sim, sim.token("demo"), tmp.resolve("org"), "--github-org", "nope");
            assertThat(scan.exit()).isEqualTo(2);
            assertThat(scan.err().strip()).isEqualTo("breachwalk: GitHub organization 'nope' was not found at "
                    + sim.baseUrl() + " (or the token in GITHUB_TOKEN cannot see it)");
        }
    }

    @Test
    void unreachableUrlIsOneLineAndExitTwo() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Scan scan = GitHubScanSupport.run(List.of("scan", "--github-url", "http://127.0.0.1:" + port, "--github-org",
                "acme", "--out", tmp.resolve("down").toString(), "--quiet"), Map.of("GITHUB_TOKEN", "x"), tmp);
        assertThat(scan.exit()).isEqualTo(2);
        assertThat(scan.err().lines().toList()).hasSize(1);
        assertThat(scan.err()).startsWith("breachwalk: cannot reach GitHub at http://127.0.0.1:" + port);
    }

    @Test
    void missingTokenIsOneLineAndExitTwo() {
        try (GitHubSimulator sim = GitHubSimulator.startSample()) {
            Scan scan = GitHubScanSupport.scan(sim, null, tmp.resolve("none"), "--github-org", "acme");
            assertThat(scan.exit()).isEqualTo(2);
            assertThat(scan.err().strip()).startsWith("breachwalk: GITHUB_TOKEN (or GH_TOKEN) is not set");
            assertThat(sim.requestCount()).isZero();
        }
    }

    @Test
    void twoScansOfTheSameEstateWriteIdenticalCsvFiles() throws Exception {
        try (GitHubSimulator a = GitHubSimulator.startSample(); GitHubSimulator b = GitHubSimulator.startSample()) {
            Scan first = GitHubScanSupport.scan(a, a.token("demo"), tmp.resolve("one"), "--github-org", "acme");
            Scan second = GitHubScanSupport.scan(b, b.token("demo"), tmp.resolve("two"), "--github-org", "acme",
                    "--concurrency", "1");
            for (String f : Set.of("jobs.csv", "exposures.csv", "rotation.csv", "coverage.csv")) {
                assertThat(Files.readString(second.dir().resolve(f))).as(f)
                        .isEqualTo(Files.readString(first.dir().resolve(f)));
            }
            // 18 judged from their workflow files, mobile's job whose workflow file is missing (UNKNOWN), and legacy's
            // coverage job read from the commit history.
            assertThat(first.csv("jobs")).hasSize(20);
        }
    }
}
