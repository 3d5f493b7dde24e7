package io.breachwalk.source.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.playbook.PlaybookLoader;
import io.breachwalk.playbook.Window;
import io.breachwalk.sim.jenkins.JenkinsSimulator;
import io.breachwalk.source.Findings;
import io.breachwalk.source.jenkins.pipeline.JobConfig;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.breachwalk.source.jenkins.JenkinsScanTest.csv;
import static io.breachwalk.source.jenkins.JenkinsScanTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** Large histories, hostile config.xml, huge logs, bad credentials and wrong URLs. */
class JenkinsWalkEdgeTest {
    static final Window WINDOW = new Window(Instant.parse("2021-01-31T00:00:00Z"), Instant.parse("2021-04-02T07:00:00Z"));

    @Test
    void tenThousandBuildJobCostsAFewDozenRequestsNotTenThousand() throws Exception {
        try (JenkinsSimulator sim = JenkinsSimulator.startYaml("""
                jobs:
                  - name: monorepo
                    generate:
                      - {count: 10000, from: 2018-01-01T00:00:00Z, to: 2024-01-01T00:00:00Z}
                """)) {
            Findings findings = new Findings();
            JenkinsHttp http = new JenkinsHttp(sim.baseUrl(), null, null, findings, new io.breachwalk.source.Retry(io.breachwalk.source.RetryPolicy.defaults(), null));
            BuildWindow.Result r = new BuildWindow(http, "job/monorepo/").find(WINDOW);
            // The truth, from one full listing.
            JsonNode all = http.json("job/monorepo/api/json?tree=allBuilds[number,timestamp]");
            long expected = 0;
            for (JsonNode b : all.path("allBuilds")) {
                if (WINDOW.contains(Instant.ofEpochMilli(b.path("timestamp").asLong()))) expected++;
            }
            assertThat(expected).isGreaterThan(200);
            assertThat(r.inWindow()).hasSize((int) expected);
            assertThat(r.after().timestamp()).isAfterOrEqualTo(WINDOW.until());
            assertThat(r.before().timestamp()).isBefore(WINDOW.since());
            assertThat(r.requests()).isLessThan(30);
            assertThat(r.newest()).isEqualTo(10000);
        }
    }

    @Test
    void windowAtTheVeryStartAndPastTheEndOfHistory() throws Exception {
        try (JenkinsSimulator sim = JenkinsSimulator.startYaml("""
                jobs:
                  - name: young
                    generate:
                      - {count: 250, from: 2021-03-01T00:00:00Z, to: 2021-06-01T00:00:00Z}
                  - name: old
                    generate:
                      - {count: 30, from: 2020-01-01T00:00:00Z, to: 2020-06-01T00:00:00Z}
                """)) {
            JenkinsHttp http = new JenkinsHttp(sim.baseUrl(), null, null, new Findings(), new io.breachwalk.source.Retry(io.breachwalk.source.RetryPolicy.defaults(), null));
            BuildWindow.Result young = new BuildWindow(http, "job/young/").find(WINDOW);
            assertThat(young.before()).isNull();
            assertThat(young.inWindow()).isNotEmpty();
            assertThat(young.inWindow().get(young.inWindow().size() - 1).number()).isEqualTo(1);
            BuildWindow.Result old = new BuildWindow(http, "job/old/").find(WINDOW);
            assertThat(old.inWindow()).isEmpty();
            assertThat(old.before().number()).isEqualTo(30);
        }
    }

    @Test
    void configXmlWithAnExternalEntityIsRefusedUnreadAndReported(@TempDir Path dir) throws Exception {
        Path canary = dir.resolve("canary.txt");
        Files.writeString(canary, "CANARY-7f3a9 secret file content");
        String yaml = """
                jobs:
                  - name: hostile
                    config: |
                      <?xml version="1.0"?>
                      <!DOCTYPE project [<!ENTITY xxe SYSTEM "%s">]>
                      <project><builders><hudson.tasks.Shell><command>echo &xxe;
                      curl -s https://codecov.io/bash | bash</command></hudson.tasks.Shell></builders></project>
                    builds:
                      - {number: 1, timestamp: 2021-02-02T00:00:00Z, logGone: true}
                """.formatted(canary.toUri());
        try (JenkinsSimulator sim = JenkinsSimulator.startYaml(yaml)) {
            Path out = dir.resolve("out");
            JenkinsScanTest.Run r = run(new String[]{"scan", "--jenkins-url", sim.baseUrl(), "--out", out.toString(), "--quiet"}, Map.of());
            assertThat(r.exit()).as(r.err()).isEqualTo(3);
            List<CSVRecord> gaps = csv(out.resolve("coverage.csv"));
            assertThat(gaps).anySatisfy(g -> {
                assertThat(g.get("gap")).isEqualTo("UNPARSABLE_CONFIG");
                assertThat(g.get("detail")).contains("DOCTYPE");
            });
            List<CSVRecord> jobs = csv(out.resolve("jobs.csv"));
            assertThat(jobs).singleElement().satisfies(j -> assertThat(j.get("verdict")).isEqualTo("UNKNOWN"));
            try (var files = Files.list(out)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(f)).as(f.toString()).doesNotContain("CANARY-7f3a9");
                }
            }
        }
        // And the parser itself, directly: an internal entity is refused as well.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JobConfig.parse(
                        "<!DOCTYPE p [<!ENTITY a \"aaaa\">]><project><description>&a;</description></project>"))
                .isInstanceOf(JobConfig.UnreadableConfig.class).hasMessageContaining("DOCTYPE");
    }

    @Test
    void multiMegabyteLogThroughTheWalk(@TempDir Path dir) throws Exception {
        try (JenkinsSimulator sim = JenkinsSimulator.startYaml("""
                jobs:
                  - name: chatty
                    shell: "curl -s https://codecov.io/bash | bash"
                    builds:
                      - {number: 1, timestamp: 2021-03-03T00:00:00Z, logPadLines: 120000, log: "+ curl -s https://codecov.io/bash"}
                """)) {
            Path out = dir.resolve("out");
            JenkinsScanTest.Run r = run(new String[]{"scan", "--jenkins-url", sim.baseUrl(), "--out", out.toString(), "--quiet"}, Map.of());
            assertThat(r.exit()).as(r.err()).isIn(0, 1);
            CSVRecord job = csv(out.resolve("jobs.csv")).get(0);
            assertThat(job.get("verdict")).isEqualTo("RAN");
            assertThat(job.get("evidence")).startsWith("consoleText line 12000");
        }
    }

    /** Scans a 64 MiB log in a JVM with a 24 MiB heap: it can only pass if the log is streamed. */
    @Test
    void consoleScanStreamsInBoundedMemory() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx24m", "-cp", System.getProperty("java.class.path"),
                BigLog.class.getName()).redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("hits=1").contains("lines=800001");
    }

    /** Run in a child JVM by {@link #consoleScanStreamsInBoundedMemory}. */
    public static final class BigLog {
        public static void main(String[] args) throws Exception {
            IndicatorMatcher m = new IndicatorMatcher(PlaybookLoader.loadBundled("codecov-2021"));
            ConsoleScan.Result r = ConsoleScan.scan(new Generated(800_000), m);
            System.out.println("hits=" + r.hits().size() + " lines=" + r.lines());
        }
    }

    /** 800,000 lines of about 84 bytes, then the echoed curl: 64 MiB produced on the fly. */
    static final class Generated extends InputStream {
        private final int lines;
        private int line;
        private byte[] current = new byte[0];
        private int pos;

        Generated(int lines) { this.lines = lines; }

        @Override
        public int read() throws IOException {
            if (pos >= current.length) {
                if (line > lines) return -1;
                String s = line == lines ? "+ curl -s https://codecov.io/bash\n"
                        : "[INFO] Downloaded from central: https://repo.example.org/org/example/lib-" + line + "/1.0/x.jar\n";
                current = s.getBytes(StandardCharsets.UTF_8);
                pos = 0;
                line++;
            }
            return current[pos++] & 0xff;
        }
    }

    @Test
    void wrongCredentialsGiveOneLineAndExit2(@TempDir Path dir) throws Exception {
        try (JenkinsSimulator sim = JenkinsSimulator.startYaml("users: [{name: auditor, token: right}]\njobs: []\n")) {
            JenkinsScanTest.Run r = run(new String[]{"scan", "--jenkins-url", sim.baseUrl(), "--out", dir.toString(), "--quiet"},
                    Map.of("JENKINS_USER", "auditor", "JENKINS_TOKEN", "wrong"));
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err().strip().lines()).singleElement().asString()
                    .contains("rejected the credentials").contains("401").doesNotContain("wrong");
        }
    }

    @Test
    void unreachableUrlGivesOneLineAndExit2(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        JenkinsScanTest.Run r = run(new String[]{"scan", "--jenkins-url", "http://127.0.0.1:" + port + "/", "--out",
                dir.toString(), "--quiet"}, JenkinsScanTest.ENV);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip().lines()).singleElement().asString().contains("cannot reach Jenkins");
    }

    @Test
    void urlThatIsNotJenkinsGivesOneLineAndExit2(@TempDir Path dir) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] b = "<html><body>Welcome to nginx!</body></html>".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            JenkinsScanTest.Run r = run(new String[]{"scan", "--jenkins-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/",
                    "--out", dir.toString(), "--quiet"}, JenkinsScanTest.ENV);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err().strip().lines()).singleElement().asString().contains("does not look like Jenkins");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void jenkinsJobLimitsTheWalk(@TempDir Path dir) throws Exception {
        try (JenkinsSimulator sim = JenkinsSimulator.start(Path.of("src/test/resources/jenkins/estate-cases.yaml"))) {
            Path out = dir.resolve("out");
            JenkinsScanTest.Run r = run(new String[]{"scan", "--jenkins-url", sim.baseUrl(), "--jenkins-job", "platform/api",
                    "--out", out.toString(), "--quiet"}, JenkinsScanTest.ENV);
            // Jenkins keeps no change times: credentials are REVIEW, never ROTATE, and REVIEW asks for action.
            assertThat(r.exit()).as(r.err()).isEqualTo(1);
            assertThat(csv(out.resolve("jobs.csv"))).extracting(j -> j.get("project")).containsOnly("platform/api");
            // Folder credentials still resolve though the folder itself was not walked.
            assertThat(csv(out.resolve("exposures.csv"))).anySatisfy(e -> {
                assertThat(e.get("secret_name")).isEqualTo("platform-npm");
                assertThat(e.get("scope_owner")).isEqualTo("platform");
            });
            // A folder of its own: `out` holds a finished report, which a second scan may not replace without --force.
            Path badOut = dir.resolve("bad");
            JenkinsScanTest.Run bad = run(new String[]{"scan", "--jenkins-url", sim.baseUrl(), "--jenkins-job", "nope/x",
                    "--out", badOut.toString(), "--quiet"}, JenkinsScanTest.ENV);
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.err()).contains("--jenkins-job nope/x: no such job or folder");
            assertThat(badOut).as("a scan that could not start leaves no folder").doesNotExist();
        }
    }
}
