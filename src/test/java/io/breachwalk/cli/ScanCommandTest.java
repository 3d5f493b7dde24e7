package io.breachwalk.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage and configuration errors: one line naming the input and what to do, exit 2, no stack trace. */
class ScanCommandTest {

    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, Map.of("GITHUB_TOKEN", "ghp_notused"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryProvidersFlagsAndCredentials() {
        Result help = run("scan", "--help");
        assertThat(help.exit()).isZero();
        // Each provider brings its flags and says where its credentials come from; nothing is left unfilled.
        assertThat(help.out().replaceAll("\\s+", " ")).contains("Credentials come from the environment: GITHUB_TOKEN (or GH_TOKEN); "
                + "JENKINS_USER and JENKINS_TOKEN; GITLAB_TOKEN.").doesNotContain("null").doesNotContain("${")
                .contains("--github-org=ORG").contains("--jenkins-url=URL").contains("--gitlab-group=PATH");
        // Provider flags sit between --force and the shared tuning options.
        assertThat(help.out().indexOf("--force ")).isLessThan(help.out().indexOf("--github-org=ORG  "));
        assertThat(help.out().indexOf("--gitlab-project=PATH")).isLessThan(help.out().indexOf("--concurrency=N  "));
    }

    @Test
    void offlineTakesNoTargetsAndSaysWhichFlagsThoseAre(@TempDir Path dir) {
        Result r = run("scan", "--offline", dir.toString(), "--jenkins-url", "https://ci.example/", "--out",
                dir.resolve("out").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("breachwalk: --offline re-analyses stored evidence; it takes no "
                + "targets (--github-org, --github-repo, --jenkins-url, --gitlab-group or --gitlab-project)");
    }

    @Test
    void aMalformedPlaybookIsOneLineWithItsLine(@TempDir Path dir) throws Exception {
        Path playbook = dir.resolve("mine.yaml");
        Files.writeString(playbook, "id: mine\ntitle: Mine\nwindow: {since: 2021-01-31T00:00:00Z, until: nope}\n"
                + "indicators: {scripts: [{how: x, affected: true, pattern: x}]}\n");
        Result r = run("scan", "--playbook", playbook.toString(), "--github-org", "acme", "--out",
                dir.resolve("out").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("mine.yaml: line 3").contains("until").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void nothingToScanAndBadTimesAreUsageErrors(@TempDir Path dir) {
        Result nothing = run("scan", "--out", dir.resolve("o").toString());
        assertThat(nothing.exit()).isEqualTo(2);
        assertThat(nothing.err()).contains("nothing to scan").contains("--github-org");
        Result badTime = run("scan", "--github-org", "acme", "--since", "last tuesday");
        assertThat(badTime.exit()).isEqualTo(2);
        assertThat(badTime.err()).contains("--since").contains("ISO-8601");
        Result inverted = run("scan", "--github-org", "acme", "--since", "2021-05-01", "--until", "2021-04-01",
                "--out", dir.resolve("o2").toString());
        assertThat(inverted.exit()).isEqualTo(2);
        assertThat(inverted.err()).contains("must be before");
    }

    @Test
    void oneUnusableProviderDoesNotLoseWhatTheOtherFound(@TempDir Path dir) throws Exception {
        try (var github = io.breachwalk.sim.github.GitHubSimulator.startDemo();
             var jenkins = io.breachwalk.sim.jenkins.JenkinsSimulator.startDemo()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Map<String, String> env = new java.util.HashMap<>(github.env());
            env.put("JENKINS_USER", "auditor");
            env.put("JENKINS_TOKEN", "wrong-token-0000");
            Path outDir = dir.resolve("out");
            int exit = Main.run(new String[]{"scan", "--github-org", "acme", "--github-url",
                            github.url(), "--jenkins-url", jenkins.url(), "--out", outDir.toString(), "--quiet"},
                    env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(exit).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8).lines()).hasSize(1)
                    .first().asString().contains("Jenkins").doesNotContain("wrong-token-0000");
            assertThat(Files.readString(outDir.resolve("jobs.csv"))).contains("github-actions,").doesNotContain("jenkins,");
            assertThat(Files.readString(outDir.resolve("coverage.csv")))
                    .containsPattern("jenkins,,,,ACCESS_DENIED,[^\n]*,true");
            // The result line agrees with exit 2: the walk stopped, the others' results are there.
            String summary = out.toString(StandardCharsets.UTF_8);
            assertThat(summary).contains("  result     STOPPED: the jenkins walk could not run: ")
                    .contains("what the other providers found is in " + outDir + "/").doesNotContain("INCOMPLETE");
            assertThat(Files.readString(outDir.resolve("report.json"))).contains("\"exit_status\" : 2");
            assertThat(Files.readString(outDir.resolve("report.html"))).contains("class=\"result result-2\"")
                    .contains("Stopped: the jenkins walk could not run: ");
        }
    }

    @Test
    void exitStatusSaysWhetherThereIsSomethingToRotate(@TempDir Path dir) throws Exception {
        try (var github = io.breachwalk.sim.github.GitHubSimulator.startDemo()) {
            String[] common = {"scan", "--github-url", github.url(), "--github-repo", "acme/web-app", "--quiet"};
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int rotate = Main.run(concat(common, "--out", dir.resolve("a").toString()), github.env(),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
            assertThat(rotate).isEqualTo(1);
            assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("result     complete; action needed: \\d+ to rotate");
            assertThat(Files.readString(dir.resolve("a/rotation.csv"))).contains(",ROTATE,");

            out.reset();
            // Before the sample's runs: nothing ran, so nothing to rotate and nothing left open.
            int clean = Main.run(concat(common, "--since", "2020-01-01T00:00:00Z", "--until", "2020-02-01T00:00:00Z",
                            "--out", dir.resolve("b").toString()), github.env(),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
            assertThat(clean).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("complete; nothing to rotate or review");
            assertThat(Files.readString(dir.resolve("b/rotation.csv")).lines()).hasSize(1);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void playbooksListsAndShowsTheBundledOne() {
        Result list = run("playbooks");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("codecov-2021").contains("2021-01-31T00:00:00Z");
        Result show = run("playbooks", "show", "codecov-2021");
        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("(valid)").contains("codecov/codecov-action");
        Result unknown = run("playbooks", "show", "no-such");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no-such");
    }
}
