package io.breachwalk.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wrong or dead server URL: the credential check fails within seconds with one line that says why in words, and
 * a provider that could not be reached is recorded as UNREACHABLE, not as a permissions problem.
 */
class UnreachableServerTest {

    record Result(int exit, String out, String err, long millis) {
    }

    static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int exit = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                (System.nanoTime() - start) / 1_000_000);
    }

    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort(); // closed again: nothing listens there
        }
    }

    /** A web server that is not the API: 404 with an HTML page for every path. */
    static HttpServer notFoundServer() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] b = "<html><body><h1>Not Found</h1></body></html>".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/html");
            ex.sendResponseHeaders(404, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        return server;
    }

    private static void saysItInWords(Result r) {
        assertThat(r.err()).doesNotContainPattern("[A-Z][a-z]+Exception").doesNotContain("attempts")
                .doesNotContain("\tat ");
    }

    @Test
    void aClosedGitHubPortFailsTheCredentialCheckWithinSeconds(@TempDir Path dir) throws Exception {
        int port = closedPort();
        Result r = run(Map.of("GITHUB_TOKEN", "ghp_notused"), "scan", "--github-org", "acme", "--github-url",
                "http://127.0.0.1:" + port, "--out", dir.resolve("out").toString(), "--quiet");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.millis()).isLessThan(10_000);
        assertThat(r.err().lines().toList()).containsExactly("breachwalk: cannot reach GitHub at http://127.0.0.1:"
                + port + ": connection refused (check --github-url and the network)");
        saysItInWords(r);
    }

    @Test
    void aClosedJenkinsPortFailsTheProbeWithinSeconds(@TempDir Path dir) throws Exception {
        int port = closedPort();
        Result r = run(Map.of("JENKINS_USER", "auditor", "JENKINS_TOKEN", "t0ken"), "scan", "--jenkins-url",
                "http://127.0.0.1:" + port + "/", "--out", dir.resolve("out").toString(), "--quiet");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.millis()).isLessThan(10_000);
        assertThat(r.err().lines().toList()).containsExactly("breachwalk: cannot reach Jenkins at http://127.0.0.1:"
                + port + "/: connection refused (check --jenkins-url and the network)");
        saysItInWords(r);
    }

    @Test
    void aWebServerThatIsNotTheApiGetsTheEnterpriseServerHint(@TempDir Path dir) throws Exception {
        HttpServer server = notFoundServer();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            Result r = run(Map.of("GITHUB_TOKEN", "ghp_notused"), "scan", "--github-org", "acme", "--github-url", url,
                    "--out", dir.resolve("out").toString(), "--quiet");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err().lines().toList()).containsExactly("breachwalk: " + url + " answered 404 on /user: "
                    + "not the GitHub API; for GitHub Enterprise Server use " + url + "/api/v3");
            Result v3 = run(Map.of("GITHUB_TOKEN", "ghp_notused"), "scan", "--github-org", "acme", "--github-url",
                    url + "/api/v3", "--out", dir.resolve("out2").toString(), "--quiet");
            assertThat(v3.err().strip()).isEqualTo("breachwalk: " + url + "/api/v3 answered 404 on /user: "
                    + "not the GitHub API; check --github-url");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aLoginPageInsteadOfTheApiIsNamedAtOnce(@TempDir Path dir) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] b = "<html><body>Sign in to continue</body></html>".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            Result r = run(Map.of("GITHUB_TOKEN", "ghp_notused"), "scan", "--github-org", "acme", "--github-url", url,
                    "--out", dir.resolve("out").toString(), "--quiet");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.millis()).isLessThan(10_000);
            assertThat(r.err().strip()).isEqualTo("breachwalk: " + url + " answered /user with an HTML page (HTTP 200): "
                    + "not the GitHub API; for GitHub Enterprise Server use " + url + "/api/v3");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anUnreachableJenkinsBesideAWorkingGitHubIsRecordedAsUnreachable(@TempDir Path dir) throws Exception {
        int port = closedPort();
        try (var github = io.breachwalk.sim.github.GitHubSimulator.startDemo()) {
            Map<String, String> env = new HashMap<>(github.env());
            env.put("JENKINS_USER", "auditor");
            env.put("JENKINS_TOKEN", "t0ken");
            Path out = dir.resolve("out");
            Result r = run(env, "scan", "--github-org", "acme", "--github-url", github.url(),
                    "--jenkins-url", "http://127.0.0.1:" + port + "/", "--retries", "1", "--out", out.toString(),
                    "--quiet");
            assertThat(r.err()).contains("cannot reach Jenkins").contains("connection refused");
            saysItInWords(r);
            assertThat(Files.readString(out.resolve("coverage.csv")))
                    .containsPattern("jenkins,,,,UNREACHABLE,\"?the jenkins walk could not run: cannot reach Jenkins "
                            + "[^\n]*connection refused[^\n]*,true")
                    .doesNotContain("ACCESS_DENIED");
        }
    }

    @Test
    void ghTokenIsReadWhenGitHubTokenIsUnset(@TempDir Path dir) throws Exception {
        int port = closedPort();
        // GH_TOKEN passes the "no token" check and reaches the (closed) server.
        Result r = run(Map.of("GH_TOKEN", "gho_notused"), "scan", "--github-org", "acme", "--github-url",
                "http://127.0.0.1:" + port, "--out", dir.resolve("out").toString(), "--quiet");
        assertThat(r.err()).contains("cannot reach GitHub").doesNotContain("gho_notused");
        Result none = run(Map.of(), "scan", "--github-org", "acme", "--out", dir.resolve("out2").toString());
        assertThat(none.err().strip()).startsWith("breachwalk: GITHUB_TOKEN (or GH_TOKEN) is not set");
    }
}
