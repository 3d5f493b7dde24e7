package io.breachwalk.cli;

import io.breachwalk.model.Confidence;
import io.breachwalk.model.ExposureLevel;
import io.breachwalk.model.Gap;
import io.breachwalk.model.RotationStatus;
import io.breachwalk.model.Verdict;
import io.breachwalk.report.CsvReports;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** `breachwalk explain`: the data dictionary a responder has with the jar alone, and that it keeps up with the code. */
class ExplainCommandTest {

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aStatusPrintsItsEntryAndWhatToDo() {
        Run r = run("explain", "REVIEW");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("### REVIEW\n").contains("Rotate it unless you can show it was changed after")
                .doesNotContain("### ROTATE");
        // Case does not matter; a column is found by its CSV name.
        assertThat(run("explain", "review").out()).isEqualTo(r.out());
        assertThat(run("explain", "secret_scope").out()).startsWith("### secret_scope\n").contains("jenkins-credential");
        assertThat(run("explain", "LOGS_EXPIRED").out()).contains("90 days");
    }

    @Test
    void anUnknownTermListsTheTermsThatExistAndExits2() {
        Run r = run("explain", "nonsense");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().findFirst().orElseThrow())
                .isEqualTo("breachwalk: `nonsense` is not in the data dictionary; `breachwalk explain` prints it whole. Terms:");
        assertThat(r.err()).contains("  Statuses: ROTATE, ROTATED, REVIEW, MISSING, EPHEMERAL\n")
                .contains("  Gap codes: RUNS_EXPIRED, JOBS_ARCHIVED, LOGS_EXPIRED, ").contains("secret_scope").contains("rotation.csv");
    }

    @Test
    void withoutATermItPrintsTheWholeDictionaryAsShippedInTheRepository() throws Exception {
        Run r = run("explain");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(Files.readString(Path.of("docs/outputs.md")));
    }

    /** The dictionary cannot fall behind: every code the model knows has an entry that `explain` finds. */
    @Test
    void everyGapCodeStatusVerdictScopeAndColumnHasAnEntry() throws Exception {
        List<String> terms = new ArrayList<>();
        for (Field f : Gap.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                terms.add((String) f.get(null));
            }
        }
        assertThat(terms).contains("LOGS_EXPIRED", "OFFLINE_REANALYSIS");
        Arrays.stream(RotationStatus.values()).map(Enum::name).forEach(terms::add);
        Arrays.stream(Verdict.values()).map(Enum::name).forEach(terms::add);
        Arrays.stream(ExposureLevel.values()).map(Enum::name).forEach(terms::add);
        Arrays.stream(Confidence.values()).map(Confidence::csv).forEach(terms::add);
        // The scope values the providers write (source/github SecretStores and RepoWalk, source/jenkins); the demo
        // test checks that every scope the demo writes is here too.
        terms.addAll(SCOPES);
        terms.addAll(List.of("P1", "P2", "P3", "P4", "UNREACHABLE", "exit-status"));
        for (String[] header : List.of(CsvReports.JOBS_HEADER, CsvReports.EXPOSURES_HEADER,
                CsvReports.ROTATION_HEADER, CsvReports.COVERAGE_HEADER)) {
            terms.addAll(List.of(header));
        }
        terms.addAll(List.of("secret_id", "url", "change_url", "status_note")); // SHARED-DECISIONS' new columns
        terms.addAll(List.of(CsvReports.JOBS, CsvReports.EXPOSURES, CsvReports.ROTATION, CsvReports.COVERAGE,
                "report.json", "tickets.csv", "report.html", "inspect.csv", "guide/", "evidence/"));
        for (String term : terms) {
            Run r = run("explain", term);
            assertThat(r.exit()).as("explain " + term + ": " + r.err()).isZero();
            assertThat(r.out()).as(term).startsWith("### ");
        }
    }

    static final List<String> SCOPES = List.of("environment", "repository", "organization", "jenkins-credential",
            "project", "group", "instance", "ephemeral", "literal", "unresolved");
}
