package io.breachwalk.source.github;

import io.breachwalk.sim.github.Estate;
import io.breachwalk.sim.github.GitHubSimulator;
import io.breachwalk.source.github.GitHubScanSupport.Scan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.breachwalk.source.github.GitHubScanSupport.is;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Issue 6, hostile input: JSON that is not what the API promised. The simulator answers every request of one
 * repository (mal/bad) that matches a rule with a malformed 200 (a proxy's HTML login page, JSON cut short, a list
 * that is an object, ids that are strings, absurd total_count, null steps, unparsable timestamps, file content that is
 * binary). The scan must not crash, must say what it could not read as a coverage gap a person can act on, must ask a
 * bounded number of times, and must leave the other repository's rows exactly as in a clean scan.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitHubMalformedAnswersTest {
    private static final String RUNS = "/repos/mal/bad/actions/runs\\?";
    private static final String JOBS = "/repos/mal/bad/actions/runs/\\d+/jobs";
    private static final String CONTENTS = "/repos/mal/bad/contents/";
    private static final int RETRIES = 3;

    private Path tmp;
    private GitHubSimulator sim;
    private Scan clean;

    @BeforeAll
    void cleanScan() throws IOException {
        tmp = Files.createTempDirectory("malformed");
        Path file = tmp.resolve("estate.yaml");
        Files.writeString(file, estate());
        sim = GitHubSimulator.start(file);
        clean = scan("clean");
        assertThat(clean.err()).isEmpty();
        assertThat(clean.rows("jobs", is("project", "mal/bad"))).hasSize(2);
        assertThat(clean.rows("jobs", is("project", "mal/good"))).hasSize(2);
        assertThat(clean.rows("coverage", is("project", "mal/bad"))).isEmpty();
    }

    @AfterAll
    void stop() {
        sim.close();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(delimiter = '|', textBlock = """
            html-200            | RUNS     | API_ERROR          | true  | project | an HTML page
            html-200            | JOBS     | API_ERROR          | true  | run     | an HTML page
            html-200            | CONTENTS | API_ERROR          | true  | run     | an HTML page
            json-truncated      | JOBS     | API_ERROR          | true  | run     | cut short
            json-truncated      | CONTENTS | API_ERROR          | true  | run     | cut short
            json-list-object    | RUNS     | API_ERROR          | true  | project | workflow_runs
            json-list-object    | JOBS     | API_ERROR          | true  | run     | jobs
            json-id-string      | RUNS     | API_ERROR          | true  | project | "abc"
            json-id-string      | JOBS     | API_ERROR          | true  | run     | "abc"
            json-count-negative | RUNS     | -                  | false | none    | -
            json-count-huge     | RUNS     | -                  | false | none    | -
            json-steps-null     | JOBS     | API_ERROR          | false | run     | steps
            json-bad-times      | RUNS     | -                  | false | none    | -
            json-bad-times      | JOBS     | API_ERROR          | true  | run     | "yesterday"
            binary-content      | CONTENTS | UNPARSABLE_CONFIG  | true  | run     | not UTF-8 text
            """)
    void malformedAnswerIsAGapAndTheOtherRepositoryIsUntouched(String kind, String where, String gap, boolean blocking,
                                                               String scope, String detail) throws Exception {
        String match = switch (where) {
            case "RUNS" -> RUNS;
            case "JOBS" -> JOBS;
            default -> CONTENTS;
        };
        sim.setFaults(new Estate.Faults(1, 0, List.of(), null, 0, 1,
                List.of(new Estate.FaultRule(match, kind, 1000))));
        Scan scan;
        try {
            sim.clearRequests();
            scan = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> scan(kind + "-" + where));
        } finally {
            sim.setFaults(Estate.Faults.none());
        }
        // No crash, nothing but the usual on stderr: no stack trace, no exception class.
        assertThat(scan.exit()).as(scan.err()).isIn(1, 3);
        assertThat(scan.err()).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("jackson");

        // The other repository: rows identical to the clean scan.
        for (String report : List.of("jobs", "exposures", "coverage")) {
            assertThat(scan.rows(report, is("project", "mal/good"))).as(report)
                    .isEqualTo(clean.rows(report, is("project", "mal/good")));
        }

        // Retries are bounded: at most RETRIES attempts for each request the clean scan made there.
        Pattern p = Pattern.compile(match);
        long asked = sim.count(r -> p.matcher(r.pathAndQuery()).find());
        assertThat(asked).as("requests matching " + match).isPositive().isLessThanOrEqualTo(RETRIES * 2L + 2);

        List<Map<String, String>> gaps = scan.rows("coverage", is("project", "mal/bad"));
        if (gap.equals("-")) {
            // Harmless lies (a total_count the pages contradict, timestamps the jobs do not need): same rows.
            assertThat(gaps).isEmpty();
            assertThat(scan.rows("jobs", is("project", "mal/bad"))).isEqualTo(clean.rows("jobs", is("project", "mal/bad")));
            return;
        }
        // Besides the gap for the malformed answer, only what follows from it (null steps leave a skipped step
        // unproven, so that job's log is asked for: LOGS_EXPIRED when it has none).
        assertThat(gaps).as(gaps.toString()).allSatisfy(g -> assertThat(g.get("gap")).isIn(gap, "LOGS_EXPIRED"));
        gaps = gaps.stream().filter(g -> g.get("gap").equals(gap)).toList();
        assertThat(gaps).as(gaps.toString()).isNotEmpty().allSatisfy(g -> {
            assertThat(g.get("gap")).isEqualTo(gap);
            assertThat(g.get("blocking")).isEqualTo(Boolean.toString(blocking));
            assertThat(g.get("detail")).contains(detail)
                    .doesNotContain("com.fasterxml").doesNotContain("Exception").doesNotContain("\n")
                    .doesNotContain("<html").doesNotContain("Source: ");
            if (scope.equals("run")) {
                assertThat(g.get("run_id")).isIn("21", "22");
            } else {
                assertThat(g.get("run_id")).isEmpty();
            }
        });
        if (scope.equals("run")) {
            // Each run is named: both runs of mal/bad have a gap (or a verdict that says what it rests on).
            assertThat(gaps.stream().map(g -> g.get("run_id")).distinct()).hasSize(2);
        }
    }

    private Scan scan(String name) {
        // The REST answers are what is malformed here: the REST walk reads them (GraphQL has its own tests).
        return GitHubScanSupport.scan(sim, sim.token("admin"), tmp.resolve(name), "--github-org", "mal", "--api", "rest",
                "--retries", Integer.toString(RETRIES), "--time-scale", "0.001", "--concurrency", "2");
    }

    private static String estate() {
        return """
                web_url: https://github.example
                tokens:
                  - {name: admin, value: sim-admin-token-malformed, login: sec-team}
                orgs:
                  - login: mal
                    repos:
                %s%s""".formatted(repo("bad", 21), repo("good", 11));
    }

    private static String repo(String name, int firstRun) {
        return """
                      - name: %s
                        secrets: [{name: CODECOV_TOKEN, created_at: 2020-06-01T00:00:00Z, updated_at: 2020-06-01T00:00:00Z}]
                        commits:
                          - id: c1
                            date: 2021-01-10T00:00:00Z
                            files:
                              .github/workflows/ci.yml: |
                                jobs:
                                  test:
                                    runs-on: ubuntu-latest
                                    steps:
                                      - uses: actions/checkout@v2
                                      - uses: codecov/codecov-action@v1
                                        with: {token: "${{ secrets.CODECOV_TOKEN }}"}
                        runs:
                          - id: %d
                            workflow: .github/workflows/ci.yml
                            commit: c1
                            created_at: 2021-02-05T12:00:00Z
                            jobs:
                              - name: test
                                started_at: 2021-02-05T12:00:10Z
                                steps: [Run actions/checkout@v2, Run codecov/codecov-action@v1]
                                log: "2021-02-05T12:00:20.0000000Z ==> Uploading reports to codecov.io\\n"
                          - id: %d
                            workflow: .github/workflows/ci.yml
                            commit: c1
                            created_at: 2021-02-06T12:00:00Z
                            jobs:
                              - name: test
                                started_at: 2021-02-06T12:00:10Z
                                steps: [Run actions/checkout@v2, {name: Run codecov/codecov-action@v1, conclusion: skipped}]
                """.formatted(name, firstRun, firstRun + 1);
    }
}
