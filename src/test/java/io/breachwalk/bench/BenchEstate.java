package io.breachwalk.bench;

import java.time.Duration;
import java.time.Instant;

/**
 * The estate of issue 12's targets, as simulator YAML: {@code repos} repositories, each with {@code commits} commits
 * inside the window and {@code runs} runs spread evenly over those commits, all in the window. The workflow's one job
 * runs {@code make test}, so the walk reads the Makefile at every commit: every third repository has one whose
 * {@code test} target runs the Codecov bash uploader, the others have none (a 404 per commit by REST). Every commit
 * changes a source file, so each commit is a distinct (commit, path) read. Secrets as in {@link ScanBenchmark}.
 */
public final class BenchEstate {
    public static final Instant SINCE = ScanBenchmark.SINCE;
    public static final Instant UNTIL = ScanBenchmark.UNTIL;

    private BenchEstate() {}

    /** Whether repository {@code r} runs the uploader (a third of them). */
    public static boolean uploader(int r) {
        return r % 3 == 0;
    }

    public static String yaml(int repos, int runs, int commits, long latencyMs) {
        if (runs < commits) throw new IllegalArgumentException("at least one run per commit");
        StringBuilder y = new StringBuilder();
        y.append("tokens:\n  - {name: bench, value: bench-token, secrets: true, org_secrets: true}\n");
        y.append("rate_limit: {limit: 10000000, reset_seconds: 3600}\n");
        if (latencyMs > 0) {
            y.append("faults: {seed: 1, rate: 1.0, kinds: [slow], slow_ms: ").append(latencyMs).append("}\n");
        }
        y.append("orgs:\n  - login: bench\n    secrets:\n")
                .append("      - {name: NPM_TOKEN, visibility: all, created_at: 2020-01-01T00:00:00Z, updated_at: 2020-01-01T00:00:00Z}\n")
                .append("    repos:\n");
        Instant from = SINCE.plusSeconds(3600);
        long slice = Duration.between(from, UNTIL.minusSeconds(3600)).getSeconds() / commits;
        // Flow style and short names: the simulator's YAML reader takes at most 3 Mi characters, and 1,000
        // repositories must fit.
        for (int r = 0; r < repos; r++) {
            y.append("      - name: repo-").append(r).append('\n');
            y.append("        secrets: [{name: CODECOV_TOKEN, created_at: 2020-01-01T00:00:00Z}]\n");
            y.append("        commits:\n");
            for (int c = 0; c < commits; c++) {
                Instant at = from.plusSeconds(slice * c).minusSeconds(60);
                y.append("          - {id: c").append(c).append(", date: ").append(at).append(", files: {v: \"")
                        .append(c).append('"');
                if (c == 0) {
                    y.append(", .github/workflows/ci.yml: \"{on: push, jobs: {test: {runs-on: x, steps: [{run: make test, "
                            + "env: {T: '${{ secrets.CODECOV_TOKEN }}'}}]}}}\"");
                    if (uploader(r)) {
                        y.append(", Makefile: \"test:\\n\\tbash <(curl -s https://codecov.io/bash)\\n\"");
                    }
                }
                y.append("}}\n");
            }
            y.append("        generate:\n");
            for (int c = 0; c < commits; c++) {
                int count = runs / commits + (c < runs % commits ? 1 : 0);
                Instant start = from.plusSeconds(slice * c);
                y.append("          - {count: ").append(count).append(", workflow: .github/workflows/ci.yml, commit: c")
                        .append(c).append(", from: ").append(start).append(", to: ").append(start.plusSeconds(slice - 60))
                        .append(", jobs: [{name: test, steps: [make]}]}\n");
            }
        }
        return y.toString();
    }
}
