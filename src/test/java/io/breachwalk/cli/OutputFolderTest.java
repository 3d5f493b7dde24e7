package io.breachwalk.cli;

import io.breachwalk.cli.Cli.Result;
import io.breachwalk.sim.DemoEstate;
import io.breachwalk.sim.github.GitHubSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The output folder (issue 9, "never destroy what exists"): `--out .` works and keeps the folder's mode, a finished
 * report is never replaced without --force, a failed start leaves nothing behind, system folders are refused.
 */
class OutputFolderTest {


    static Result run(Map<String, String> env, String... args) {
        return Cli.exec(env, args);
    }

    /** breachwalk in a child JVM whose working folder is {@code cwd}, so that `--out .` means that folder. */
    static Process child(Path cwd, Map<String, String> env, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classpath(), "io.breachwalk.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.endsWith("_TOKEN") || k.equals("JENKINS_USER"));
        pb.environment().putAll(env);
        return pb.start();
    }

    static int childExit(Path cwd, Map<String, String> env, Path log, String... args) throws Exception {
        Process p = child(cwd, env, log, args);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("child finished").isTrue();
        return p.exitValue();
    }

    private static String classpath() {
        String cp = System.getProperty("java.class.path");
        String real = System.getProperty("surefire.test.class.path");
        if (real != null && !real.isBlank()) cp = real;
        List<String> keep = new ArrayList<>();
        for (String e : cp.split(File.pathSeparator)) if (!e.contains("surefire")) keep.add(e);
        return String.join(File.pathSeparator, keep);
    }

    /** Every file under {@code dir} with its content and modification time: "untouched" means all equal. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                String key = dir.relativize(p).toString();
                files.put(key, Files.isDirectory(p) ? "dir " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p))
                        : EvidenceHash.of(p) + " " + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return files;
    }

    private static final class EvidenceHash {
        static String of(Path p) throws IOException {
            return io.breachwalk.evidence.EvidenceStore.sha256(Files.readAllBytes(p));
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void outDotWritesIntoTheWorkingFolderAndKeepsItsMode(@TempDir Path tmp) throws Exception {
        Path cwd = Files.createDirectory(tmp.resolve("work"));
        Files.setPosixFilePermissions(cwd, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (DemoEstate<GitHubSimulator> github = GitHubSimulator.startDemo()) {
            Path log = tmp.resolve("scan.log");
            int exit = childExit(cwd, github.env(), log, "scan", "--github-repo", "acme/api", "--github-url",
                    github.url(), "--out", ".", "--quiet");
            assertThat(exit).as(Files.readString(log)).isEqualTo(1);
            assertThat(Files.readString(log)).contains("reports    ./ jobs.csv").doesNotContain("internal error");
            for (String f : List.of("jobs.csv", "rotation.csv", "report.json", "tickets.csv", "report.html")) {
                assertThat(cwd.resolve(f)).isRegularFile();
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cwd.resolve(f))))
                        .isEqualTo("rw-------");
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cwd))).isEqualTo("rwxr-xr-x");
            // The evidence folder is this run's own: owner-only.
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cwd.resolve("evidence"))))
                    .isEqualTo("rwx------");
            assertThat(cwd.resolve(".state")).doesNotExist();

            // `x/../y` is `y`, and `inspect` and `tickets` take `.` too.
            Path log2 = tmp.resolve("inspect.log");
            assertThat(childExit(cwd, Map.of(), log2, "inspect", ".", "--out", "x/../y")).as(Files.readString(log2))
                    .isIn(0, 1);
            assertThat(cwd.resolve("y/inspect.csv")).isRegularFile();
            assertThat(cwd.resolve("x")).doesNotExist();
            Path sub = Files.createDirectory(cwd.resolve("t"));
            Path log3 = tmp.resolve("tickets.log");
            assertThat(childExit(sub, Map.of(), log3, "tickets", "..", "--out", ".")).as(Files.readString(log3))
                    .isZero();
            assertThat(Files.readString(log3)).contains("in ./tickets.csv");
            assertThat(sub.resolve("tickets.csv")).isRegularFile();
        }
    }

    @Test
    void aFinishedReportIsReplacedOnlyWithForceAndThenCleanly(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        try (DemoEstate<GitHubSimulator> github = GitHubSimulator.startDemo()) {
            Result first = run(github.env(), "scan", "--github-org", "acme", "--github-url", github.url(),
                    "--out", out.toString(), "--quiet");
            assertThat(first.exit()).as(first.err()).isIn(1, 3);
            Map<String, String> before = snapshot(out);
            assertThat(Files.readString(out.resolve("evidence/index.jsonl"))).contains("/repos/acme/web-app/");

            github.simulator().clearRequests();
            Result again = run(github.env(), "scan", "--github-repo", "acme/api", "--github-url", github.url(),
                    "--out", out.toString(), "--quiet");
            assertThat(again.exit()).isEqualTo(2);
            assertThat(again.err().lines()).hasSize(1);
            assertThat(again.err()).contains(out + " already holds a finished report").contains("--force");
            assertThat(github.simulator().requestCount()).as("no request before the refusal").isZero();
            assertThat(snapshot(out)).isEqualTo(before);

            Result forced = run(github.env(), "scan", "--github-repo", "acme/api", "--github-url",
                    github.url(), "--out", out.toString(), "--quiet", "--force");
            assertThat(forced.exit()).as(forced.err()).isEqualTo(1);
            assertThat(Files.readString(out.resolve("jobs.csv"))).contains("acme/api").doesNotContain("acme/web-app");
            // No evidence of the earlier scan is mixed with the new one.
            assertThat(Files.readString(out.resolve("evidence/index.jsonl"))).contains("/repos/acme/api/")
                    .doesNotContain("/repos/acme/web-app/");
            assertThat(out.resolve(".state")).doesNotExist();

            // A re-analysis is never written into the evidence it reads.
            Result offline = run(Map.of(), "scan", "--offline", out.resolve("evidence").toString(), "--out",
                    out.resolve("evidence/again").toString());
            assertThat(offline.exit()).isEqualTo(2);
            assertThat(offline.err()).contains("is inside the evidence folder");
            assertThat(out.resolve("evidence/again")).doesNotExist();
        }
    }

    @Test
    void filesOfTheReportsNamesThatNoScanWroteAreNeverSetAsideWithoutForce(@TempDir Path tmp) throws Exception {
        // `--out .` in a project of one's own: its guide/ and report.html are not a breachwalk report.
        Path out = Files.createDirectories(tmp.resolve("project"));
        Files.createDirectories(out.resolve("guide"));
        Files.writeString(out.resolve("guide/onboarding.md"), "# our team's guide\n");
        Files.writeString(out.resolve("report.html"), "<p>our own report</p>\n");
        Map<String, String> before = snapshot(out);
        try (DemoEstate<GitHubSimulator> github = GitHubSimulator.startDemo()) {
            Result refused = run(github.env(), "scan", "--github-repo", "acme/api", "--github-url",
                    github.url(), "--out", out.toString(), "--quiet");
            assertThat(refused.exit()).isEqualTo(2);
            assertThat(refused.err().strip()).isEqualTo("breachwalk: " + out + " holds report.html, guide but no "
                    + "finished report: the reports would replace them; give another --out, or add --force to "
                    + "replace them");
            assertThat(github.simulator().requestCount()).as("no request before the refusal").isZero();
            assertThat(snapshot(out)).isEqualTo(before);
        }
    }

    @Test
    void aFailedStartLeavesNothingBehind(@TempDir Path tmp) throws Exception {
        int port = closedPort();
        Result noToken = run(Map.of(), "scan", "--github-org", "acme", "--out", tmp.resolve("o1").toString());
        assertThat(noToken.exit()).isEqualTo(2);
        assertThat(noToken.err()).contains("GITHUB_TOKEN");
        assertThat(tmp.resolve("o1")).doesNotExist();

        Result badUrl = run(Map.of("GITHUB_TOKEN", "x"), "scan", "--github-org", "acme", "--github-url", "not-a-url",
                "--out", tmp.resolve("o4").toString());
        assertThat(badUrl.exit()).isEqualTo(2);
        assertThat(tmp.resolve("o4")).doesNotExist();

        Result unreachable = run(Map.of("GITHUB_TOKEN", "x"), "scan", "--github-org", "acme", "--github-url",
                "http://127.0.0.1:" + port, "--retries", "1", "--out", tmp.resolve("a/b/o3").toString(), "--quiet");
        assertThat(unreachable.exit()).isEqualTo(2);
        assertThat(tmp.resolve("a")).doesNotExist();

        // In a folder that existed: what was there stays, what the run made goes.
        Path existing = Files.createDirectory(tmp.resolve("existing"));
        Files.writeString(existing.resolve("notes.txt"), "mine");
        Result there = run(Map.of("GITHUB_TOKEN", "x"), "scan", "--github-org", "acme", "--github-url",
                "http://127.0.0.1:" + port, "--retries", "1", "--out", existing.toString(), "--quiet");
        assertThat(there.exit()).isEqualTo(2);
        try (Stream<Path> left = Files.list(existing)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
    }

    @Test
    void aForcedRunThatCannotStartPutsTheEarlierReportBack(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        try (DemoEstate<GitHubSimulator> github = GitHubSimulator.startDemo()) {
            assertThat(run(github.env(), "scan", "--github-repo", "acme/api", "--github-url", github.url(),
                    "--out", out.toString(), "--quiet").exit()).isEqualTo(1);
        }
        Map<String, String> before = snapshot(out);
        Result failed = run(Map.of("GITHUB_TOKEN", "x"), "scan", "--github-org", "acme", "--github-url",
                "http://127.0.0.1:" + closedPort(), "--retries", "1", "--out", out.toString(), "--quiet", "--force");
        assertThat(failed.exit()).isEqualTo(2);
        assertThat(snapshot(out)).isEqualTo(before);
    }

    @Test
    void systemFoldersFilesAndTheEvidenceFolderAreRefusedUpFront(@TempDir Path tmp) throws Exception {
        Map<String, String> env = Map.of("GITHUB_TOKEN", "x");
        for (String system : List.of("/tmp", "/", "/usr", "/etc", System.getProperty("user.home"))) {
            Result r = run(env, "scan", "--github-org", "acme", "--out", system);
            assertThat(r.exit()).as(system).isEqualTo(2);
            assertThat(r.err().lines()).hasSize(1);
            assertThat(r.err()).contains("is a system folder");
        }
        Path file = Files.writeString(tmp.resolve("afile"), "x");
        Result scan = run(env, "scan", "--github-org", "acme", "--out", file.toString());
        assertThat(scan.err()).contains("exists and is not a folder");
        assertThat(scan.exit()).isEqualTo(2);
        Result inspect = run(env, "inspect", tmp.toString(), "--out", file.toString());
        assertThat(inspect.err()).contains("exists and is not a folder");
        assertThat(inspect.exit()).isEqualTo(2);
        Result demo = run(Map.of(), "demo", "--out", file.resolve("sub").toString());
        assertThat(demo.exit()).isEqualTo(2);
        assertThat(demo.err().lines()).hasSize(1);
        assertThat(demo.err()).contains("exists and is not a folder").doesNotContain("served");
        assertThat(Files.readString(file)).isEqualTo("x");

    }

    @Test
    void aDifferentInterruptedScanIsSaidAndReplaced(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Files.createDirectories(out.resolve(".state"));
        Files.writeString(out.resolve(".state/journal.jsonl"), "{\"breachwalk_journal\":1,\"scan\":\"another\","
                + "\"about\":\"codecov-2021 scan of --github-org other\"}\n");
        Files.createDirectories(out.resolve("evidence"));
        Files.writeString(out.resolve("evidence/index.jsonl"), "{\"hash\":\"0\",\"url\":\"http://other/\"}\n");
        // A start that fails keeps the interrupted scan resumable: its journal and evidence are as they were.
        Map<String, String> before = snapshot(out);
        Result failed = run(Map.of("GITHUB_TOKEN", "x"), "scan", "--github-org", "acme", "--github-url",
                "http://127.0.0.1:" + closedPort(), "--retries", "1", "--out", out.toString(), "--quiet");
        assertThat(failed.exit()).isEqualTo(2);
        assertThat(snapshot(out)).isEqualTo(before);
        try (DemoEstate<GitHubSimulator> github = GitHubSimulator.startDemo()) {
            Result r = run(github.env(), "scan", "--github-repo", "acme/api", "--github-url", github.url(),
                    "--out", out.toString(), "--quiet");
            assertThat(r.exit()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).startsWith("breachwalk: a different scan was interrupted in " + out
                    + " (codecov-2021 scan of --github-org other, stopped ").contains("); starting afresh");
            assertThat(Files.readString(out.resolve("evidence/index.jsonl"))).doesNotContain("http://other/");
        }
    }

    @Test
    void anInterruptedDemoResumes(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("demo");
        Path journal = out.resolve(".state/journal.jsonl");
        Process p = child(tmp, Map.of(), tmp.resolve("first.log"), "demo", "--out", "demo", "--quiet");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        // Stop it as Ctrl-C would once it has finished a project or two (lines after the header).
        while (p.isAlive() && System.nanoTime() < deadline
                && (!Files.exists(journal) || Files.readAllLines(journal).size() < 2)) {
            Thread.sleep(20);
        }
        if (!p.isAlive()) {
            // Finished before it could be stopped (a very fast machine): nothing to resume, nothing to check.
            return;
        }
        p.destroy();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String first = Files.readString(tmp.resolve("first.log"));
        assertThat(first).contains("breachwalk: interrupted; finished projects are saved in demo")
                .doesNotContain("\n\nbreachwalk: interrupted");
        Result resumed = run(new HashMap<>(), "demo", "--out", out.toString(), "--quiet");
        assertThat(resumed.exit()).as(resumed.err()).isEqualTo(3);
        assertThat(resumed.err()).contains("resuming an interrupted scan in " + out);
        assertThat(out.resolve("report.json")).isRegularFile();
        assertThat(out.resolve(".state")).doesNotExist();
    }
}
