package io.breachwalk.cli;

import com.sun.net.httpserver.HttpServer;
import io.breachwalk.source.toy.ToyProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new provider is a folder plus one line: the test-only {@link ToyProvider} (its own folder under the test tree's
 * `source/toy`) is registered by adding one entry to the standard list, and `scan` offers its flag, walks it and
 * writes its rows, with no shared file changed.
 */
class ToyProviderTest {

    private static final String JOBS = """
            shop/web\tbuild\t2021-03-01T10:00:00Z\tbash <(curl -s https://codecov.io/bash)\tCODECOV_TOKEN,AWS_KEY
            shop/api\tlint\t2021-03-02T10:00:00Z\tnpm run lint\tNPM_TOKEN
            """;

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        List<Providers.Entry> entries = new ArrayList<>(Providers.STANDARD);
        entries.add(new Providers.Entry(ToyProvider::new, null)); // the one line a new provider adds
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), entries);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void scanHelpListsTheToyFlag() {
        assertThat(run("scan", "--help").out()).contains("--toy-url=URL").contains("scan the toy CI server");
    }

    @Test
    void nothingToScanNamesTheToyFlag(@TempDir Path dir) {
        Run r = run("scan", "--out", dir.resolve("o").toString());
        assertThat(r.exit()).isEqualTo(Exits.USAGE);
        assertThat(r.err()).contains("nothing to scan").contains("--toy-url").contains("--github-org");
    }

    @Test
    void scanWalksTheToyServerAndWritesItsRows(@TempDir Path dir) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jobs", exchange -> {
            byte[] body = JOBS.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Path out = dir.resolve("out");
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/jobs";
            Run r = run("scan", "--toy-url", url, "--out", out.toString(), "--quiet");
            assertThat(r.exit()).as(r.err()).isEqualTo(Exits.ROTATE);
            assertThat(Files.readString(out.resolve("jobs.csv")))
                    .contains("toy,127.0.0.1,shop/web,toy.yml,build,1,build,build,main,,push,2021-03-01T10:00:00Z,")
                    .contains(",RAN,confirmed,line 1: bash <(curl -s https://codecov.io/bash),runs")
                    .doesNotContain("shop/api");
            assertThat(Files.readString(out.resolve("rotation.csv")).lines().filter(l -> l.contains(",toy,")))
                    .hasSize(2).anyMatch(l -> l.contains("CODECOV_TOKEN")).anyMatch(l -> l.contains("AWS_KEY"));
        } finally {
            server.stop(0);
        }
    }
}
