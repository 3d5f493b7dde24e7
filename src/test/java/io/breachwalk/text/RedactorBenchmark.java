package io.breachwalk.text;

import io.breachwalk.exposure.SecretTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A benchmark, not a test: prints how long redacting 20,000 workflow-run-like JSON answers takes with the former
 * redactor ({@link ReferenceRedactor}) and the current one (prefilters): the evidence store redacts every stored
 * answer, which made redaction a third of a scan's CPU. Run:
 * {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.breachwalk.text.RedactorBenchmark}
 */
public final class RedactorBenchmark {
    private RedactorBenchmark() {
    }

    public static void main(String[] args) {
        List<Pattern> shapes = SecretTypes.bundled().valuePatterns();
        Redactor fast = new Redactor(List.of("s3cr3t-Value"), shapes);
        ReferenceRedactor reference = new ReferenceRedactor(List.of("s3cr3t-Value"), shapes);
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            runs.add(runJson(i));
        }
        for (int round = 0; round < 2; round++) { // the first round warms up the JIT
            long t0 = System.nanoTime();
            long refChars = 0;
            for (String run : runs) {
                refChars += reference.redact(run).length();
            }
            long t1 = System.nanoTime();
            long fastChars = 0;
            for (String run : runs) {
                fastChars += fast.redact(run).length();
            }
            long t2 = System.nanoTime();
            if (fastChars != refChars) {
                throw new IllegalStateException("the redactors disagree");
            }
            System.out.printf("redact %d run JSONs (%d chars each): before %d ms, after %d ms%n", runs.size(),
                    runs.get(0).length(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        }
    }

    private static String runJson(int i) {
        long id = 9_000_000_000L + i * 7919L;
        String repo = "https://api.github.com/repos/acme/service-" + (i % 40);
        return "{\"id\":" + id + ",\"name\":\"CI\",\"node_id\":\"WFR_kwLOAbCdEf" + Long.toHexString(id)
                + "\",\"head_branch\":\"main\",\"head_sha\":\"" + String.format("%040x", id * 31)
                + "\",\"path\":\".github/workflows/ci.yml\",\"display_title\":\"Bump the dependencies (#" + i
                + ")\",\"run_number\":" + (i % 5000) + ",\"event\":\"push\",\"status\":\"completed\","
                + "\"conclusion\":\"success\",\"workflow_id\":" + (1000 + i % 7) + ",\"check_suite_id\":" + (id + 1)
                + ",\"url\":\"" + repo + "/actions/runs/" + id + "\",\"html_url\":\"https://github.com/acme/service-"
                + (i % 40) + "/actions/runs/" + id + "\",\"pull_requests\":[],\"created_at\":\"2026-11-0"
                + (1 + i % 9) + "T10:1" + (i % 10) + ":22Z\",\"updated_at\":\"2026-11-0" + (1 + i % 9)
                + "T10:2" + (i % 10) + ":02Z\",\"actor\":{\"login\":\"dev" + (i % 13) + "\",\"id\":" + (4000 + i % 13)
                + ",\"avatar_url\":\"https://avatars.githubusercontent.com/u/" + (4000 + i % 13) + "?v=4\","
                + "\"url\":\"https://api.github.com/users/dev" + (i % 13) + "\",\"type\":\"User\"},"
                + "\"run_attempt\":1,\"run_started_at\":\"2026-11-01T10:11:22Z\",\"jobs_url\":\"" + repo
                + "/actions/runs/" + id + "/jobs\",\"logs_url\":\"" + repo + "/actions/runs/" + id + "/logs\","
                + "\"check_suite_url\":\"" + repo + "/check-suites/" + (id + 1) + "\",\"artifacts_url\":\"" + repo
                + "/actions/runs/" + id + "/artifacts\",\"cancel_url\":\"" + repo + "/actions/runs/" + id
                + "/cancel\",\"rerun_url\":\"" + repo + "/actions/runs/" + id + "/rerun\",\"workflow_url\":\""
                + repo + "/actions/workflows/" + (1000 + i % 7) + "\",\"head_commit\":{\"id\":\""
                + String.format("%040x", id * 31) + "\",\"message\":\"Bump the dependencies\",\"timestamp\":"
                + "\"2026-11-01T10:10:00Z\",\"author\":{\"name\":\"Dev\",\"email\":\"dev@example.com\"}},"
                + "\"repository\":{\"id\":" + (77 + i % 40) + ",\"full_name\":\"acme/service-" + (i % 40)
                + "\",\"private\":true,\"url\":\"" + repo + "\",\"hooks_url\":\"" + repo + "/hooks\"}}";
    }
}
