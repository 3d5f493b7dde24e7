package io.breachwalk.cli;

import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.report.CsvReports;
import io.breachwalk.report.GuideFiles;
import io.breachwalk.report.JsonReport;
import io.breachwalk.files.OwnerOnlyFiles;
import io.breachwalk.report.html.HtmlReport;
import io.breachwalk.report.tickets.TicketsCsv;
import io.breachwalk.source.Journal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A run's output folder from before its first file to after its last: refused up front when it cannot hold the
 * reports or holds a finished report (without --force); what the run will replace is set aside in `.state/replaced/`
 * until the new report is written, so that a failed start leaves the folder exactly as it was and a replacement never
 * mixes the earlier scan's files (its evidence above all) with the new ones.
 */
final class OutputFolder {

    static final String STATE = ".state";
    static final String REPLACED = "replaced";
    /** What a scan writes in its folder (the report writers' files, the guide), plus the tickets deltas derived from it. */
    private static final List<String> SCAN_OUTPUTS = List.of(CsvReports.JOBS, CsvReports.EXPOSURES,
            CsvReports.ROTATION, CsvReports.COVERAGE, JsonReport.FILE, TicketsCsv.FILE, HtmlReport.FILE,
            GuideFiles.DIR.replaceAll("/$", ""));
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Path out;
    private final Optional<Path> created;
    private final boolean stateExisted;
    private final List<String> setAside = new ArrayList<>();
    private boolean evidenceIsNew;
    private boolean journalIsNew;
    private boolean journalReplaced;

    private OutputFolder(Path out, Optional<Path> created, boolean stateExisted) {
        this.out = out;
        this.created = created;
        this.stateExisted = stateExisted;
    }

    /**
     * Whether {@code out} may receive this run's outputs, checked before anything is created or requested: prints
     * one line and returns false if not. {@code finished} is the file that marks a finished run (report.json,
     * inspect.csv); a folder holding it is refused unless {@code force}.
     */
    static boolean usable(Path out, String finished, boolean force, String command, PrintStream err) {
        Optional<String> problem = OwnerOnlyFiles.problem(out);
        if (problem.isPresent()) {
            String why = problem.get();
            err.println("breachwalk: " + command + "--out " + out + ": " + why
                    + (why.contains("--out") ? "" : "; choose another folder"));
            return false;
        }
        Path marker = out.resolve(finished);
        if (!force && Files.exists(marker)) {
            String when = "";
            try {
                when = " of " + WHEN.format(Files.getLastModifiedTime(marker).toInstant());
            } catch (IOException e) {
                // The date is a courtesy.
            }
            err.println("breachwalk: " + command + out + " already holds a finished report (" + finished + when
                    + "); give another --out, or add --force to replace it");
            return false;
        }
        if (!force && SCAN_OUTPUTS.contains(finished)) {
            // Files of the reports' names without a finished report are not ours to replace (a `guide/` or
            // `report.html` of the user's own in `--out .`): the run would set them aside and delete them.
            List<String> theirs = SCAN_OUTPUTS.stream()
                    .filter(n -> Files.exists(out.resolve(n), java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList();
            if (!theirs.isEmpty()) {
                err.println("breachwalk: " + command + out + " holds " + String.join(", ", theirs) + " but no finished "
                        + "report: the reports would replace " + (theirs.size() == 1 ? "it" : "them")
                        + "; give another --out, or add --force to replace " + (theirs.size() == 1 ? "it" : "them"));
                return false;
            }
        }
        return true;
    }

    /** Creates the folder if it is missing, remembering what existed so that {@link #undo()} removes only ours. */
    static OutputFolder create(Path out) throws IOException {
        boolean stateExisted = Files.exists(out.resolve(STATE));
        return new OutputFolder(out, OwnerOnlyFiles.createFolder(out), stateExisted);
    }

    /**
     * Sets aside what this run will write, after the journal is open: the earlier report files always (they are
     * replaced), and the evidence folder when this run stores evidence ({@code storesEvidence}) and does not resume
     * the scan that stored it.
     */
    void setAside(Journal journal, boolean storesEvidence) throws IOException {
        boolean resumed = journal.resumed();
        journalIsNew = !resumed;
        journalReplaced = journal.replaced() != null;
        Path replaced = out.resolve(STATE).resolve(REPLACED);
        if (Files.exists(replaced) && Files.exists(out.resolve(JsonReport.FILE))) {
            // Set aside by a replacement that finished after all: obsolete.
            deleteTree(replaced);
        }
        List<String> names = new ArrayList<>(SCAN_OUTPUTS);
        try (DirectoryStream<Path> deltas = Files.newDirectoryStream(out, "tickets-since-*.csv")) {
            deltas.forEach(p -> names.add(p.getFileName().toString()));
        }
        boolean evidenceExisted = Files.exists(out.resolve(EvidenceStore.DIR));
        if (storesEvidence && !resumed) {
            names.add(EvidenceStore.DIR);
        }
        evidenceIsNew = storesEvidence && (!evidenceExisted || !resumed);
        for (String name : names) {
            Path p = out.resolve(name);
            if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            OwnerOnlyFiles.createOwnerOnlyDirectory(replaced);
            Path to = replaced.resolve(name);
            if (Files.exists(to, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                // An earlier replacement was interrupted: what it set aside is the finished report to keep.
                deleteTree(p);
            } else {
                Files.move(p, to);
            }
            setAside.add(name);
        }
    }

    /**
     * After the run: a written report makes what was set aside obsolete; a run that wrote no report and finished no
     * project is undone (nothing worth resuming); otherwise the journal stays for the resume.
     */
    void end(boolean reportWritten, boolean progressInJournal) {
        try {
            if (reportWritten) {
                deleteTree(out.resolve(STATE).resolve(REPLACED));
                Files.deleteIfExists(out.resolve(STATE).resolve(Journal.REPLACED_FILE));
                deleteIfEmpty(out.resolve(STATE));
            } else if (!progressInJournal) {
                undo();
            }
        } catch (IOException e) {
            // Leftovers are harmless; the next run sets them aside again.
        }
    }

    /** Removes what this run created and puts back what it set aside; never touches what existed before. */
    void undo() throws IOException {
        Path state = out.resolve(STATE);
        if (evidenceIsNew) {
            deleteTree(out.resolve(EvidenceStore.DIR));
        }
        Path replaced = state.resolve(REPLACED);
        for (String name : setAside) {
            Path from = replaced.resolve(name);
            if (Files.exists(from, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    && !Files.exists(out.resolve(name), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.move(from, out.resolve(name));
            }
        }
        deleteIfEmpty(replaced);
        if (journalIsNew) {
            Files.deleteIfExists(state.resolve("journal.jsonl"));
        }
        if (journalReplaced && Files.exists(state.resolve(Journal.REPLACED_FILE))) {
            Files.move(state.resolve(Journal.REPLACED_FILE), state.resolve("journal.jsonl"));
        }
        if (!stateExisted) {
            deleteIfEmpty(state);
        }
        if (created.isPresent()) {
            Path top = created.get();
            for (Path p = out.toAbsolutePath().normalize(); p != null && p.startsWith(top); p = p.getParent()) {
                if (!deleteIfEmpty(p)) {
                    break;
                }
            }
        }
    }

    private static boolean deleteIfEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
                return false;
            }
        }
        Files.delete(dir);
        return true;
    }

    /** Deletes a file or a folder of ours with what is in it; links are removed, never followed. */
    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
