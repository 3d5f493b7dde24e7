package io.breachwalk.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwalk.cli.Main;
import io.breachwalk.sim.github.GitHubSimulator;
import io.breachwalk.sim.DemoEstate;
import io.breachwalk.sim.jenkins.JenkinsSimulator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6, evidence: a scan of the sample estates keeps what every verdict rests on, and `scan --offline` re-derives
 * the reports from that folder alone, with the simulators stopped.
 */
class EvidenceScanTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The text a verdict quotes from a file: `file@sha:line TEXT`, `shell step N line M: TEXT`, `consoleText line N: TEXT`. */
    private static final List<Pattern> QUOTES = List.of(
            Pattern.compile("consoleText line \\d+(?: \\(stage '[^']*'\\))?: (.+)$"),
            Pattern.compile("shell step \\d+ line \\d+: (.+)$"),
            Pattern.compile("\\S+@[0-9a-f?]{1,40}:\\d+ (.+)$"),
            Pattern.compile("\\):\\d+ (.+)$"));

    private record Scan(int exit, Path out, String stdout, String stderr, Map<String, String> env) {}

    /** Scans the sample estates into each folder in turn, against the same simulators (URLs in answers hold ports). */
    private static List<Scan> scanSamples(Path... outs) throws Exception {
        try (DemoEstate<GitHubSimulator> github = GitHubSimulator.startDemo();
             DemoEstate<JenkinsSimulator> jenkins = JenkinsSimulator.startDemo()) {
            List<Scan> scans = new ArrayList<>();
            for (Path out : outs) {
                scans.add(scanSamples(github, jenkins, out));
            }
            return scans;
        }
    }

    private static Scan scanSamples(DemoEstate<GitHubSimulator> github, DemoEstate<JenkinsSimulator> jenkins, Path out) {
        {
            Map<String, String> env = new HashMap<>(github.env());
            env.putAll(jenkins.env());
            List<String> args = new ArrayList<>(List.of("scan", "--quiet", "--out", out.toString()));
            args.addAll(github.scanArgs());
            args.addAll(jenkins.scanArgs());
            return run(args, env, out);
        }
    }

    private static Scan run(List<String> args, Map<String, String> env, Path out) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int exit = Main.run(args.toArray(String[]::new), env, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Scan(exit, out, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8), env);
    }

    @Test
    void aScanKeepsTheEvidenceOfEveryVerdictAndOfflineReproducesTheReports(@TempDir Path dir) throws Exception {
        List<Scan> scans = scanSamples(dir.resolve("out"), dir.resolve("again"));
        Scan online = scans.get(0);
        assertThat(online.exit()).as(online.stderr()).isEqualTo(3); // the sample estates hold deliberate blocking gaps
        Path evidence = online.out().resolve("evidence");
        assertThat(evidence).isDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(evidence))).isEqualTo("rwx------");

        // Files are named by their hash only, owner-only, and hold exactly what their name says.
        Set<String> hashes = storedHashes(evidence);
        assertThat(hashes).hasSizeGreaterThan(20);
        for (String h : hashes) {
            Path f = evidence.resolve(h);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
            assertThat(EvidenceStore.sha256(Files.readAllBytes(f))).isEqualTo(h);
        }

        // The index lists every file with its source; no URL carries a token or user info.
        List<String> index = Files.readAllLines(evidence.resolve(EvidenceStore.INDEX));
        Set<String> indexed = new TreeSet<>();
        for (String line : index) {
            JsonNode e = JSON.readTree(line);
            indexed.add(e.path("hash").asText());
            assertThat(e.path("kind").asText()).isNotEmpty();
            assertThat(e.path("retrieved_at").asText()).endsWith("Z");
            assertThat(e.path("size").asLong()).isEqualTo(Files.size(evidence.resolve(e.path("hash").asText())));
            String url = e.path("url").asText();
            assertThat(url).doesNotContainPattern("://[^/]*:[^/]*@");
            for (String v : online.env().values()) {
                if (v.length() >= 6) {
                    assertThat(url).doesNotContain(v);
                }
            }
        }
        assertThat(indexed).isEqualTo(hashes);
        // No credential the scan was given is in any evidence file.
        for (String h : hashes) {
            String content = Files.readString(evidence.resolve(h));
            for (Map.Entry<String, String> v : online.env().entrySet()) {
                if (v.getKey().endsWith("TOKEN")) {
                    assertThat(content).doesNotContain(v.getValue());
                }
            }
        }

        // Every RAN / NOT_RUN row links a stored file that holds the line its evidence quotes.
        JsonNode links = JSON.readTree(online.out().resolve("report.json").toFile()).path("evidence");
        List<CSVRecord> jobs = rows(online.out().resolve("jobs.csv"));
        int checked = 0;
        for (CSVRecord row : jobs) {
            if (row.get("verdict").equals("UNKNOWN")) continue;
            String key = String.join("|", row.get("provider"), row.get("host"), row.get("project"), row.get("run_id"),
                    row.get("run_attempt"), row.get("job_id"));
            JsonNode linked = links.path(key);
            assertThat(linked.isArray() && linked.size() > 0).as("evidence of " + key).isTrue();
            List<String> quotes = quotes(row.get("evidence"));
            assertThat(quotes).as("quoted lines in " + row.get("evidence")).isNotEmpty();
            boolean found = false;
            for (JsonNode h : linked) {
                String content = normal(Files.readString(evidence.resolve(h.asText())));
                for (String q : quotes) {
                    found |= content.contains(q);
                }
            }
            assertThat(found).as(key + ": no linked file holds any of " + quotes).isTrue();
            checked++;
        }
        assertThat(checked).isGreaterThan(15);

        // Scanning again stores the same files under the same names and links them the same way.
        Scan again = scans.get(1);
        assertThat(storedHashes(again.out().resolve("evidence"))).isEqualTo(hashes);
        assertThat(JSON.readTree(again.out().resolve("report.json").toFile()).path("evidence")).isEqualTo(links);

        // Offline, with the simulators stopped: the same rows, and not one request.
        Scan offline = run(List.of("scan", "--quiet", "--offline", evidence.toString(), "--out",
                dir.resolve("offline").toString()), Map.of(), dir.resolve("offline"));
        assertThat(offline.exit()).as(offline.stderr()).isEqualTo(3);
        for (String csv : List.of("jobs.csv", "exposures.csv", "rotation.csv")) {
            assertThat(Files.readString(offline.out().resolve(csv))).as(csv)
                    .isEqualTo(Files.readString(online.out().resolve(csv)));
        }
        JsonNode summary = JSON.readTree(offline.out().resolve("report.json").toFile()).path("summary");
        assertThat(summary.path("api_requests").asLong()).isZero();
        assertThat(rows(offline.out().resolve("coverage.csv"))).extracting(r -> r.get("gap")).contains("OFFLINE_REANALYSIS");
        assertThat(offline.out().resolve("evidence")).doesNotExist();
    }

    @Test
    void aCorrectedPlaybookOfflineChangesTheVerdicts(@TempDir Path dir) throws Exception {
        Scan online = scanSamples(dir.resolve("out")).get(0);
        // A playbook that holds codecov-action@v1 not affected (only the pinned v1.x.y releases are).
        Path playbooks = Files.createDirectories(dir.resolve("playbooks"));
        for (String f : List.of("codecov-2021.yaml", "codecov-2021.codecov-action-commits.tsv")) {
            Files.copy(Path.of("playbooks", f), playbooks.resolve(f));
        }
        Path yaml = playbooks.resolve("codecov-2021.yaml");
        String text = Files.readString(yaml);
        assertThat(text).contains("\"v0.*\", \"v1\", ");
        Files.writeString(yaml, text.replace("\"v0.*\", \"v1\", ", "\"v0.*\", "));

        Scan offline = run(List.of("scan", "--quiet", "--offline", online.out().resolve("evidence").toString(),
                "--playbook", yaml.toString(), "--out", dir.resolve("offline").toString()), Map.of(), dir.resolve("offline"));
        assertThat(offline.stderr()).doesNotContain("Exception");
        List<CSVRecord> before = rows(online.out().resolve("jobs.csv"));
        List<CSVRecord> after = rows(offline.out().resolve("jobs.csv"));
        Predicate v1 = r -> r.get("evidence").matches(".*codecov/codecov-action@v1(\"|$| ).*");
        assertThat(before.stream().filter(v1::test).count()).isGreaterThan(3);
        assertThat(after.stream().filter(v1::test)).isEmpty();
        // Everything else stands: the Jenkins and bash-uploader rows are the same.
        assertThat(after.stream().map(CSVRecord::toList).toList())
                .isEqualTo(before.stream().filter(r -> !v1.test(r)).map(CSVRecord::toList).toList());
        assertThat(rows(offline.out().resolve("exposures.csv")).size())
                .isLessThan(rows(online.out().resolve("exposures.csv")).size());
        assertThat(JSON.readTree(offline.out().resolve("report.json").toFile()).path("summary").path("api_requests").asLong())
                .isZero();
    }

    private interface Predicate {
        boolean test(CSVRecord r);
    }

    private static List<String> quotes(String evidence) {
        List<String> out = new ArrayList<>();
        for (String part : evidence.split("; ")) {
            for (Pattern p : QUOTES) {
                Matcher m = p.matcher(part);
                if (m.find()) {
                    String q = m.group(1).replaceAll(" \\(inside .*$", "").replaceAll(" -> .*$", "")
                            .replaceAll("\\.\\.\\.$", "");
                    q = normal(q);
                    out.add(q.length() > 60 ? q.substring(0, 60) : q);
                    break;
                }
            }
        }
        return out;
    }

    /** Whitespace collapsed and XML entities read (config.xml holds `&quot;`), as the evidence column shows them. */
    private static String normal(String s) {
        return s.replace("&quot;", "\"").replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&").replaceAll("\\s+", " ").trim();
    }

    private static Set<String> storedHashes(Path evidence) throws Exception {
        try (Stream<Path> files = Files.list(evidence)) {
            return new TreeSet<>(files.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9a-f]{64}")).toList());
        }
    }

    private static List<CSVRecord> rows(Path csv) throws Exception {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(csv))).getRecords();
    }
}
