package io.breachwalk.cli;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The output contract a responder's scripts and ticket imports rest on (DESIGN 5.2, docs/outputs.md), checked on what
 * the CLI writes for the sample estate: the documented columns in their order, secret_id recomputed from its formula,
 * rotation rows most urgent first, times in UTC to the second, and two runs writing the same CSV bytes.
 */
class OutputContractTest {

    @TempDir
    static Path tmp;
    static Path first;
    static Path second;

    @BeforeAll
    static void runTheDemoTwice() {
        first = demo(tmp.resolve("first"));
        second = demo(tmp.resolve("second"));
    }

    static Path demo(Path out) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = Main.run(new String[]{"demo", "--out", out.toString()}, Map.of(),
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        // The sample estate has blocking gaps and things to rotate: 3 wins over 1.
        assertThat(exit).as(stdout.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8))
                .isEqualTo(3);
        return out;
    }

    static List<String> header(Path csv) throws Exception {
        String line = Files.readString(csv).lines().findFirst().orElseThrow();
        return List.of(line.split(",", -1));
    }

    static List<CSVRecord> rows(Path csv) throws Exception {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(csv))).getRecords();
    }

    @Test
    void everyFileStartsWithItsDocumentedColumnsInOrder() throws Exception {
        // New columns may only be appended: the documented ones are a prefix of the header, in this order.
        Map<String, String> documented = Map.of(
                "jobs.csv", "provider,host,project,pipeline,run_id,run_attempt,job_id,job_name,branch,commit_sha,event,"
                        + "started_at,url,verdict,confidence,evidence,basis",
                "exposures.csv", "provider,host,project,run_id,run_attempt,job_id,secret_name,secret_scope,scope_owner,"
                        + "exposure,via,secret_id,url",
                "rotation.csv", "secret_id,provider,host,secret_scope,scope_owner,secret_name,secret_type,exposure,"
                        + "first_exposed_at,last_exposed_at,jobs_exposed,example_url,secret_updated_at,status,priority,"
                        + "guide,change_url,status_note,basis",
                "coverage.csv", "provider,host,project,run_id,gap,detail,blocking",
                "tickets.csv", "External ID,Summary,Description,Priority,Labels,Component,Due Date,Assignee");
        for (Map.Entry<String, String> e : documented.entrySet()) {
            List<String> columns = List.of(e.getValue().split(","));
            List<String> actual = header(first.resolve(e.getKey()));
            assertThat(actual.size()).as(e.getKey()).isGreaterThanOrEqualTo(columns.size());
            assertThat(actual.subList(0, columns.size())).as(e.getKey()).containsExactlyElementsOf(columns);
        }
    }

    @Test
    void secretIdIsTheDocumentedHashAndKeysExposuresAndTickets() throws Exception {
        List<CSVRecord> rotation = rows(first.resolve("rotation.csv"));
        assertThat(rotation).isNotEmpty();
        for (CSVRecord r : rotation) {
            assertThat(r.get("secret_id")).as(r.toString()).isEqualTo(secretId("codecov-2021", r.get("provider"),
                    r.get("host"), r.get("secret_scope"), r.get("scope_owner"), r.get("secret_name")));
        }
        Set<String> ids = rotation.stream().map(r -> r.get("secret_id")).collect(Collectors.toSet());
        assertThat(ids).hasSameSizeAs(rotation);
        for (CSVRecord e : rows(first.resolve("exposures.csv"))) {
            String id = secretId("codecov-2021", e.get("provider"), e.get("host"), e.get("secret_scope"),
                    e.get("scope_owner"), e.get("secret_name"));
            assertThat(e.get("secret_id")).as(e.toString()).isEqualTo(id);
        }
        // One ticket per row that asks for action, keyed by its secret_id.
        Set<String> action = rotation.stream().filter(r -> Set.of("ROTATE", "REVIEW", "MISSING").contains(r.get("status")))
                .map(r -> r.get("secret_id")).collect(Collectors.toSet());
        assertThat(action).isNotEmpty();
        assertThat(rows(first.resolve("tickets.csv"))).extracting(t -> t.get("External ID"))
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(action);
    }

    static String secretId(String... parts) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(String.join("|", parts).getBytes(StandardCharsets.UTF_8));
        return "bw-" + HexFormat.of().formatHex(digest).substring(0, 16);
    }

    @Test
    void rotationIsMostUrgentFirstAndTimesAreUtcToTheSecond() throws Exception {
        List<CSVRecord> rotation = rows(first.resolve("rotation.csv"));
        List<String> priorities = rotation.stream().map(r -> r.get("priority")).toList();
        assertThat(priorities).contains("P1").isSorted();
        String time = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
        for (CSVRecord r : rotation) {
            assertThat(r.get("first_exposed_at")).matches(time);
            assertThat(r.get("last_exposed_at")).matches(time);
            assertThat(r.get("secret_updated_at")).matches("(" + time + ")?");
        }
        for (CSVRecord j : rows(first.resolve("jobs.csv"))) {
            assertThat(j.get("started_at")).as(j.toString()).matches(time);
        }
    }

    static String samePort(Path csv) throws Exception {
        return new String(Files.readAllBytes(csv), StandardCharsets.UTF_8).replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT");
    }

    @Test
    void twoScansOfTheSameDataWriteByteIdenticalCsvFiles() throws Exception {
        for (String f : List.of("jobs.csv", "exposures.csv", "rotation.csv", "coverage.csv")) {
            // The sample's Jenkins listens on a new port each run: the only difference the data itself has.
            assertThat(samePort(second.resolve(f))).as(f).isEqualTo(samePort(first.resolve(f)));
        }
    }
}
