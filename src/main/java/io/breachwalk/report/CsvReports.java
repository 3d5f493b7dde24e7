package io.breachwalk.report;

import io.breachwalk.exposure.Ledger;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.Gap;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.RotationItem;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.function.Function;
import io.breachwalk.text.SafeText;
import io.breachwalk.files.OwnerOnlyFiles;

/** The four CSV files of DESIGN 5.2: columns, order and cell safety are the contract. */
public final class CsvReports {

    public static final String JOBS = "jobs.csv";
    public static final String EXPOSURES = "exposures.csv";
    public static final String ROTATION = "rotation.csv";
    public static final String COVERAGE = "coverage.csv";

    public static final String[] JOBS_HEADER = {"provider", "host", "project", "pipeline", "run_id", "run_attempt",
            "job_id", "job_name", "branch", "commit_sha", "event", "started_at", "url", "verdict", "confidence",
            "evidence", "basis"};
    public static final String[] EXPOSURES_HEADER = {"provider", "host", "project", "run_id", "run_attempt", "job_id",
            "secret_name", "secret_scope", "scope_owner", "exposure", "via", "secret_id", "url"};
    public static final String[] ROTATION_HEADER = {"secret_id", "provider", "host", "secret_scope", "scope_owner",
            "secret_name", "secret_type", "exposure", "first_exposed_at", "last_exposed_at", "jobs_exposed",
            "example_url", "secret_updated_at", "status", "priority", "guide", "change_url", "status_note", "basis"};
    public static final String[] COVERAGE_HEADER = {"provider", "host", "project", "run_id", "gap", "detail",
            "blocking"};

    private CsvReports() {
    }

    /** RFC 4180 with `\n` line ends; every cell goes through {@link SafeText#cell}. */
    public static CSVFormat format(String... header) {
        return CSVFormat.DEFAULT.builder().setHeader(header).setRecordSeparator("\n").get();
    }

    public static void write(OwnerOnlyFiles out, ScanReport report) throws IOException {
        out.write(JOBS, w -> rows(w, JOBS_HEADER, report.jobs(), CsvReports::jobRow));
        String playbookId = report.playbook().id();
        out.write(EXPOSURES, w -> rows(w, EXPOSURES_HEADER, report.exposures(), e -> exposureRow(playbookId, e)));
        RotationNotes notes = new RotationNotes(report);
        out.write(ROTATION, w -> rows(w, ROTATION_HEADER, report.rotation(), r -> rotationRow(r, notes)));
        out.write(COVERAGE, w -> rows(w, COVERAGE_HEADER, report.coverage(), CsvReports::gapRow));
    }

    public static <T> void rows(Writer w, String[] header, List<T> items, Function<T, List<String>> row)
            throws IOException {
        try (CSVPrinter printer = new CSVPrinter(w, format(header))) {
            for (T item : items) {
                printer.printRecord(row.apply(item).stream().map(SafeText::cell).toList());
            }
        }
    }

    static List<String> jobRow(JobFinding j) {
        return List.of(s(j.provider()), s(j.host()), s(j.project()), s(j.pipeline()), s(j.runId()),
                String.valueOf(j.runAttempt()), s(j.jobId()), s(j.jobName()), s(j.branch()), s(j.commitSha()),
                s(j.event()), SafeText.time(j.startedAt()), s(j.url()), j.verdict().name(), j.confidence().csv(),
                s(j.evidence()), j.basis());
    }

    /** `secret_id` joins the row to rotation.csv (every exposure has one, also those the policy does not ask). */
    static List<String> exposureRow(String playbookId, Exposure e) {
        JobFinding j = e.job();
        return List.of(s(j.provider()), s(j.host()), s(j.project()), s(j.runId()), String.valueOf(j.runAttempt()),
                s(j.jobId()), s(e.secretName()), s(e.secretScope()), s(e.scopeOwner()), e.exposure().name(),
                s(e.via()), Ledger.secretId(playbookId, e), s(j.url()));
    }

    static List<String> rotationRow(RotationItem r, RotationNotes notes) {
        return List.of(r.secretId(), s(r.provider()), s(r.host()), s(r.secretScope()), s(r.scopeOwner()),
                s(r.secretName()), s(r.secretType()), r.exposure().name(), SafeText.time(r.firstExposedAt()),
                SafeText.time(r.lastExposedAt()), String.valueOf(r.jobsExposed()), s(r.exampleUrl()),
                SafeText.time(r.secretUpdatedAt()), r.status().name(), r.priority(), s(r.guide()),
                notes.changeUrl(r), notes.statusNote(r), r.basis());
    }

    static List<String> gapRow(Gap g) {
        return List.of(s(g.provider()), s(g.host()), s(g.project()), s(g.runId()), s(g.gap()), s(g.detail()),
                String.valueOf(g.blocking()));
    }

    private static String s(String v) {
        return v == null ? "" : v;
    }
}
