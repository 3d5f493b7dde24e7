package io.breachwalk.cli;

import io.breachwalk.sim.github.GitHubSimulator;
import io.breachwalk.sim.jenkins.JenkinsEstate;
import io.breachwalk.sim.jenkins.JenkinsSimulator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CSVs of every simulator estate, compared byte for byte with the ones 0.1.0 wrote (src/test/resources/golden):
 * a refactoring that changes a row fails here. Loopback ports are the one thing that differs between runs; they are
 * written as PORT. tickets.csv is written again with a fixed `--due-from`, since a scan's counts from today.
 * Regenerate on purpose with -Dgolden.write=true and say why in the commit.
 */
class GoldenCsvTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final List<String> FILES = List.of("jobs.csv", "exposures.csv", "rotation.csv", "coverage.csv");

    @TempDir
    Path tmp;

    /** Every GitHub estate through each `--api`: GraphQL batches and REST must give the same rows. */
    static Stream<org.junit.jupiter.params.provider.Arguments> githubEstates() {
        List<org.junit.jupiter.params.provider.Arguments> all = new ArrayList<>();
        for (String estate : List.of("sim-estate", "bulk-estate", "history-estate", "script-estate", "unreadable-estate")) {
            for (String api : List.of("auto", "graphql", "rest")) {
                all.add(org.junit.jupiter.params.provider.Arguments.of(estate, api));
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource
    void githubEstates(String estate, String api) throws IOException {
        try (GitHubSimulator sim = GitHubSimulator.start(Path.of("src/test/resources/github/" + estate + ".yaml"))) {
            List<String> args = new ArrayList<>(List.of("scan", "--github-url", sim.baseUrl(), "--quiet",
                    "--time-scale", "0.001", "--api", api, "--out", tmp.resolve("out").toString()));
            sim.estate().orgs().forEach(o -> args.addAll(List.of("--github-org", o.login())));
            Cli.exec(Map.of("GITHUB_TOKEN", sim.defaultToken()), args.toArray(String[]::new));
        }
        compare("github-" + estate);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sim-basic", "estate-cases", "estate-history", "estate-scripts"})
    void jenkinsEstates(String estate) throws IOException {
        String yaml = Files.readString(Path.of("src/test/resources/jenkins/" + estate + ".yaml"));
        JenkinsEstate.User user = JenkinsSimulator.parse(yaml).users().get(0);
        try (JenkinsSimulator sim = JenkinsSimulator.startYaml(yaml)) {
            Cli.exec(Map.of("JENKINS_USER", user.name(), "JENKINS_TOKEN", user.token()), "scan", "--jenkins-url",
                    sim.baseUrl(), "--quiet", "--time-scale", "0.001", "--out", tmp.resolve("out").toString());
        }
        compare("jenkins-" + estate);
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo"})
    void demo(String name) throws IOException {
        Cli.exec(Map.of(), "demo", "--quiet", "--out", tmp.resolve("out").toString());
        compare(name);
        // The same evidence re-judged offline: the offline path of both providers.
        Cli.exec(Map.of(), "scan", "--offline", tmp.resolve("out/evidence").toString(), "--quiet", "--out",
                tmp.resolve("offline").toString());
        compare(name + "-offline", tmp.resolve("offline"));
    }

    private void compare(String name) throws IOException {
        compare(name, tmp.resolve("out"));
    }

    private void compare(String name, Path out) throws IOException {
        Cli.exec(Map.of(), "tickets", out.resolve("report.json").toString(), "--due-from", "2021-04-15", "--out",
                tmp.resolve("tickets-" + name).toString());
        Path dir = GOLDEN.resolve(name);
        boolean write = Boolean.getBoolean("golden.write");
        List<String> files = new ArrayList<>(FILES);
        files.add("tickets.csv");
        for (String file : files) {
            Path written = file.equals("tickets.csv") ? tmp.resolve("tickets-" + name).resolve(file) : out.resolve(file);
            String actual = Files.readString(written).replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT")
                    .replaceAll("localhost:\\d+", "localhost:PORT");
            Path expected = dir.resolve(file);
            if (write) {
                Files.createDirectories(dir);
                Files.writeString(expected, actual);
            } else {
                assertThat(actual).as(name + "/" + file).isEqualTo(Files.readString(expected));
            }
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.count()).as("golden files of " + name).isEqualTo(files.size());
        }
    }
}
