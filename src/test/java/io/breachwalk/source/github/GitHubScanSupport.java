package io.breachwalk.source.github;

import io.breachwalk.cli.Main;
import io.breachwalk.sim.github.GitHubSimulator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Runs the real CLI in-process against a simulator and reads the CSV files it wrote. */
final class GitHubScanSupport {
    private GitHubScanSupport() {}

    record Scan(int exit, String out, String err, Path dir) {
        List<Map<String, String>> csv(String name) throws IOException {
            List<Map<String, String>> rows = new ArrayList<>();
            try (Reader r = Files.newBufferedReader(dir.resolve(name + ".csv"), StandardCharsets.UTF_8)) {
                for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)) {
                    rows.add(rec.toMap());
                }
            }
            return rows;
        }

        List<Map<String, String>> rows(String name, Predicate<Map<String, String>> which) throws IOException {
            return csv(name).stream().filter(which).toList();
        }

        Map<String, String> one(String name, Predicate<Map<String, String>> which) throws IOException {
            List<Map<String, String>> found = rows(name, which);
            if (found.size() != 1) {
                throw new AssertionError("expected one " + name + " row, found " + found.size() + ": " + found);
            }
            return found.get(0);
        }
    }

    static Scan scan(GitHubSimulator sim, String token, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("scan", "--github-url", sim.baseUrl(), "--out", out.toString(),
                "--quiet"));
        args.addAll(List.of(extra));
        return run(args, token == null ? Map.of() : Map.of("GITHUB_TOKEN", token), out);
    }

    static Scan run(List<String> args, Map<String, String> env, Path out) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int exit = Main.run(args.toArray(String[]::new), env, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Scan(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8), out);
    }

    static Predicate<Map<String, String>> is(String... keyValues) {
        return row -> {
            for (int i = 0; i < keyValues.length; i += 2) {
                if (!keyValues[i + 1].equals(row.get(keyValues[i]))) {
                    return false;
                }
            }
            return true;
        };
    }
}
