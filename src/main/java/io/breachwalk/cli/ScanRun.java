package io.breachwalk.cli;

import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.evidence.EvidenceManifest;
import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.exposure.Ledger;
import io.breachwalk.exposure.SecretTypes;
import io.breachwalk.model.EvidenceLink;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.model.Gap;
import io.breachwalk.model.RotationItem;
import io.breachwalk.model.WalkResult;
import io.breachwalk.playbook.Playbook;
import io.breachwalk.playbook.Window;
import io.breachwalk.report.CsvReports;
import io.breachwalk.report.JsonReport;
import io.breachwalk.files.OwnerOnlyFiles;
import io.breachwalk.text.Redactor;
import io.breachwalk.report.ReportBuilder;
import io.breachwalk.report.ScanReport;
import io.breachwalk.report.SummaryText;
import io.breachwalk.report.html.HtmlReport;
import io.breachwalk.report.tickets.TicketsCsv;
import io.breachwalk.source.CiSource;
import io.breachwalk.source.UnitDriver;
import io.breachwalk.source.Findings;
import io.breachwalk.source.Journal;
import io.breachwalk.source.Progress;
import io.breachwalk.source.Provider;
import io.breachwalk.source.RetryPolicy;
import io.breachwalk.source.ScanContext;
import io.breachwalk.source.ScanOptions;
import io.breachwalk.source.SourceException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One scan: playbook, sources, walk, ledger, reports, summary, exit status. Shared by `scan` and `demo`. */
final class ScanRun {

    private final Map<String, String> env;
    private final Providers providers;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean quiet;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private boolean force;
    private String estateKey;
    /** What was asked, for report.json's `scan` block (set by run and runOffline). */
    private ScanReport.ScanInfo asked = new ScanReport.ScanInfo(null, Map.of(), Map.of(), Map.of());

    ScanRun(Map<String, String> env, Providers providers, PrintStream out, PrintStream err, boolean quiet) {
        this.env = env;
        this.providers = providers;
        this.out = out;
        this.err = err;
        this.quiet = quiet;
    }

    ScanRun retryPolicy(RetryPolicy policy) {
        this.retryPolicy = policy;
        return this;
    }

    /** `--force`: a folder holding a finished report is accepted, and that report replaced. */
    ScanRun force(boolean force) {
        this.force = force;
        return this;
    }

    /**
     * What identifies the estate when its URLs do not: the demo's simulators listen on new loopback ports each run,
     * and its resume journal must still match the interrupted demo.
     */
    ScanRun estateKey(String key) {
        this.estateKey = key;
        return this;
    }

    /** What makes two scans the same scan, for resuming: the incident, the window and the targets. */
    private String identity(Playbook playbook, Window window, ScanOptions o) {
        if (estateKey != null) {
            return String.join("|", playbook.id(), playbook.source(), window.since().toString(),
                    window.until().toString(), estateKey);
        }
        List<String> parts = new ArrayList<>(List.of(playbook.id(), playbook.source(), window.since().toString(),
                window.until().toString()));
        o.providers().forEach(p -> parts.add(p.resumeKey()));
        return String.join("|", parts);
    }

    /** The scan in words, for the message of a later, different scan in the same folder. */
    private String about(Playbook playbook, ScanOptions o) {
        if (estateKey != null) {
            return "the demo";
        }
        List<String> targets = new ArrayList<>();
        o.providers().forEach(p -> targets.addAll(p.targetWords()));
        return playbook.id() + " scan of " + String.join(" ", targets);
    }

    /**
     * The interrupt line starts on a line of its own when a progress bar may be on the current one: the bar is drawn
     * on stderr when it is a terminal (System.console() would answer for stdout, and be null when it is redirected).
     */
    private String interruptPrefix() {
        return quiet || !TerminalProgress.stderrIsTerminal(env) ? "" : "\n";
    }

    /** Says on stderr that this run resumes an interrupted scan, or that it replaces a different interrupted one. */
    private void sayJournal(Path out, Journal journal, int resumed) {
        if (resumed > 0) {
            err.println("breachwalk: resuming an interrupted scan in " + out + ": " + resumed + " project"
                    + (resumed == 1 ? "" : "s") + " already done");
        } else if (journal.replaced() != null) {
            err.println("breachwalk: a different scan was interrupted in " + out + " (" + journal.replaced()
                    + "); starting afresh");
        }
    }

    /**
     * After the run, in a finally block: close the journal ({@code name} in the message), keep what the report needs,
     * undo a start that produced nothing.
     */
    private void endRun(OutputFolder folder, Path out, Journal journal, String name) {
        try {
            journal.close();
        } catch (IOException e) {
            err.println("breachwalk: could not close the " + name + " (" + e.getMessage() + ")");
        }
        folder.end(java.nio.file.Files.exists(out.resolve(JsonReport.FILE)), !journal.entries().isEmpty());
    }

    /** Notes (error messages) in the manifest pass the redactor like every other text from a CI system. */
    private static List<EvidenceRecord> redacted(List<EvidenceRecord> records, Redactor redactor) {
        return records.stream().map(r -> new EvidenceRecord(r.provider(), r.host(), r.project(), r.runId(), r.facts(),
                r.items().stream().map(l -> new EvidenceLink(l.kind(), l.name(), l.job(), l.hash(),
                        redactor.redact(l.note()))).toList())).toList();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down.
        }
    }

    int run(String playbookRef, Instant since, Instant until, ScanOptions options) {
        asked = ScanBlock.asked(options, retryPolicy);
        IncidentOptions.Incident incident = IncidentOptions.load(playbookRef, since, until, err);
        if (incident == null) {
            return Exits.USAGE;
        }
        Playbook playbook = incident.playbook();
        Window window = incident.window();

        List<CiSource<?>> sources = new ArrayList<>();
        try {
            for (Provider provider : options.requested()) {
                sources.add(provider.create(env));
            }
        } catch (SourceException e) {
            err.println("breachwalk: " + e.getMessage());
            return Exits.USAGE;
        }
        Path out = OwnerOnlyFiles.normalized(options.out());
        if (!OutputFolder.usable(out, JsonReport.FILE, force, "", err)) {
            return Exits.USAGE;
        }

        Redactor redactor = providers.redactor(env);
        Findings findings = new Findings();
        Started started = start(out, identity(playbook, window, options), about(playbook, options), "resume journal");
        if (started == null) {
            return Exits.USAGE;
        }
        OutputFolder folder = started.folder();
        Journal journal = started.journal();
        OwnerOnlyFiles files;
        EvidenceStore evidence;
        int resumed;
        try {
            folder.setAside(journal, true);
            files = new OwnerOnlyFiles(out);
            evidence = EvidenceStore.open(out, redactor, java.time.Clock.systemUTC());
            resumed = findings.resumeFrom(journal);
        } catch (IOException e) {
            closeQuietly(journal);
            undo(folder);
            err.println("breachwalk: cannot keep the evidence in " + out + " (" + OwnerOnlyFiles.reason(e)
                    + "); choose another folder with --out");
            return Exits.USAGE;
        }
        sayJournal(out, journal, resumed);
        String interruptPrefix = interruptPrefix(); // asked now: a shutdown hook should not start a process
        Thread onInterrupt = new Thread(() -> err.println(interruptPrefix
                + "breachwalk: interrupted; finished projects are saved in " + out
                + "; run the same command again to resume"));
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            return walkAndReport(playbook, window, out, options.concurrency(), sources, files, findings,
                    journal, redactor, evidence);
        } finally {
            removeHook(onInterrupt);
            endRun(folder, out, journal, "resume journal");
        }
    }

    /** The output folder and the journal in it, once both are there. */
    private record Started(OutputFolder folder, Journal journal) { }

    /**
     * Creates the output folder and opens the journal ({@code journalName} in the message) in it: null after saying
     * why on stderr, with the folder left as it was.
     */
    private Started start(Path out, String identity, String about, String journalName) {
        OutputFolder folder;
        try {
            folder = OutputFolder.create(out);
        } catch (IOException e) {
            err.println("breachwalk: --out " + out + ": " + OwnerOnlyFiles.reason(e) + "; choose another folder");
            return null;
        }
        try {
            return new Started(folder, Journal.open(out, identity, about));
        } catch (IOException e) {
            undo(folder);
            err.println("breachwalk: cannot keep the " + journalName + " in " + out + " (" + OwnerOnlyFiles.reason(e)
                    + "); choose another folder with --out");
            return null;
        }
    }

    private static void undo(OutputFolder folder) {
        try {
            folder.undo();
        } catch (IOException e) {
            // What is left is empty folders at most; the message already says the start failed.
        }
    }

    private static void closeQuietly(Journal journal) {
        try {
            journal.close();
        } catch (IOException e) {
            // Nothing was written to it.
        }
    }

    /**
     * `scan --offline EVIDENCE_DIR`: detection and exposure again, from an evidence folder alone (no request), with
     * this playbook; the online walk's gaps are repeated and what cannot be re-derived is said in coverage.csv.
     */
    int runOffline(String playbookRef, Instant since, Instant until, Path evidenceDir, Path out, int concurrency) {
        asked = ScanBlock.askedOffline(evidenceDir, concurrency);
        IncidentOptions.Incident incident = IncidentOptions.load(playbookRef, since, until, err);
        if (incident == null) {
            return Exits.USAGE;
        }
        Playbook playbook = incident.playbook();
        Window window = incident.window();
        EvidenceStore store;
        EvidenceManifest manifest;
        OwnerOnlyFiles files;
        try {
            store = EvidenceStore.readOnly(evidenceDir);
            manifest = EvidenceManifest.read(evidenceDir);
        } catch (IOException e) {
            err.println("breachwalk: --offline " + evidenceDir + ": " + e.getMessage());
            return Exits.USAGE;
        }
        Path outDir = OwnerOnlyFiles.normalized(out);
        if (isInside(outDir, evidenceDir)) {
            err.println("breachwalk: --out " + outDir + " is inside the evidence folder " + evidenceDir
                    + "; give the re-analysis a folder of its own with --out");
            return Exits.USAGE;
        }
        if (!OutputFolder.usable(outDir, JsonReport.FILE, force, "", err)) {
            return Exits.USAGE;
        }
        Started started = start(outDir, "offline|" + evidenceDir.toAbsolutePath().normalize() + "|"
                + playbook.id() + "|" + playbook.source() + "|" + window.since() + "|" + window.until(),
                playbook.id() + " re-analysis of " + evidenceDir, "journal");
        if (started == null) {
            return Exits.USAGE;
        }
        OutputFolder folder = started.folder();
        Journal journal = started.journal();
        try {
            folder.setAside(journal, false);
            files = new OwnerOnlyFiles(outDir);
        } catch (IOException e) {
            closeQuietly(journal);
            undo(folder);
            err.println("breachwalk: --out " + outDir + ": " + OwnerOnlyFiles.reason(e) + "; choose another folder");
            return Exits.USAGE;
        }
        Findings findings = new Findings();
        for (Gap g : manifest.gaps()) {
            findings.gap(g); // what the online walk could not check stays unchecked
        }
        java.util.Set<String> inEvidence = new java.util.TreeSet<>();
        manifest.records().forEach(r -> inEvidence.add(r.provider()));
        for (String provider : inEvidence) {
            findings.gap(new Gap(provider, "", "", "", Gap.OFFLINE_REANALYSIS, "re-analysed offline from "
                    + evidenceDir.getFileName() + " (evidence of a scan of " + manifest.since() + " to "
                    + manifest.until() + "): secret stores and rotation status are as listed then; runs whose "
                    + "configuration referenced no indicator then have no job records (NOT_IN_EVIDENCE if that "
                    + "changed); run listings and the online walk's gaps are repeated as they were", false));
        }
        List<CiSource<?>> sources = providers.all().stream()
                .<CiSource<?>>map(p -> p.offline(store, manifest.records().stream().filter(r -> r.provider().equals(p.name()))
                        .toList())).toList();
        try {
            return walkAndReport(playbook, window, outDir, concurrency, sources, files, findings, journal,
                    providers.redactor(env), null);
        } finally {
            endRun(folder, outDir, journal, "journal");
        }
    }

    /** Whether {@code dir} is {@code folder} or inside it, as written or through links. */
    private static boolean isInside(Path dir, Path folder) {
        Path d = dir.toAbsolutePath().normalize();
        Path f = folder.toAbsolutePath().normalize();
        if (d.startsWith(f)) {
            return true;
        }
        try {
            Path realFolder = f.toRealPath();
            Path existing = d;
            while (existing != null && !java.nio.file.Files.exists(existing)) {
                existing = existing.getParent();
            }
            return existing != null && existing.toRealPath().resolve(existing.relativize(d)).normalize()
                    .startsWith(realFolder);
        } catch (IOException e) {
            return false;
        }
    }

    private int walkAndReport(Playbook playbook, Window window, Path outDir, int concurrency, List<CiSource<?>> sources,
                              OwnerOnlyFiles files, Findings findings, Journal journal, Redactor redactor,
                              EvidenceStore evidence) {
        Progress progress = TerminalProgress.forScan(err, env, quiet, findings);
        ScanContext ctx = new ScanContext(playbook.withWindow(window), window, new IndicatorMatcher(playbook),
                findings, progress, concurrency, retryPolicy, evidence);
        List<String> unusable = new ArrayList<>();
        for (CiSource<?> source : sources) {
            try {
                UnitDriver.run(source, ctx);
            } catch (SourceException e) {
                // One provider is unusable (credentials, URL); what the others find must still be reported.
                String message = redactor.redact(e.getMessage());
                unusable.add(message);
                findings.gap(new Gap(source.provider(), "", "", "", e.gapCode(),
                        "the " + source.provider() + " walk could not run: " + message, true));
            } catch (RuntimeException e) {
                // A defect in one provider must not lose what the others found: record it and go on.
                String detail = e.getMessage() == null || e.getMessage().isBlank() ? "no detail"
                        : e.getMessage().replaceAll("\\s+", " ");
                findings.gap(new Gap(source.provider(), "", "", "", Gap.API_ERROR,
                        "the " + source.provider() + " walk stopped early (internal error: " + detail + ")", true));
                err.println(redactor.redact("breachwalk: the " + source.provider() + " walk stopped early (internal "
                        + "error: " + detail + "); set BREACHWALK_DEBUG=1 for the stack trace and report it"));
                if (env.containsKey("BREACHWALK_DEBUG")) {
                    e.printStackTrace(err);
                }
            }
        }
        progress.step(""); // the walk is over: clear the bar and stop the periodic status, whatever follows

        if (!unusable.isEmpty() && sources.size() == unusable.size()) {
            unusable.forEach(m -> err.println("breachwalk: " + m));
            return Exits.USAGE;
        }

        // DESIGN 1: the ledger runs on what the walk found, then the reports are written from both.
        WalkResult walk = findings.snapshot();
        List<RotationItem> rotation = new Ledger(playbook, SecretTypes.bundled()).rotation(walk.exposures());
        ScanReport report = ReportBuilder.build(playbook, window, walk, rotation, redactor)
                .withTraits(providers.traits())
                .withScan(ScanBlock.of(asked, sources, java.time.Clock.systemUTC()));
        if (!unusable.isEmpty()) {
            report = report.withStopped(ScanBlock.stopped(report, unusable));
        }
        List<String> written = new ArrayList<>(List.of(CsvReports.JOBS, CsvReports.EXPOSURES, CsvReports.ROTATION,
                CsvReports.COVERAGE, JsonReport.FILE, TicketsCsv.FILE, HtmlReport.FILE,
                io.breachwalk.report.GuideFiles.DIR));
        if (evidence != null) {
            written.add("evidence/");
        }
        ScanReport done = report;
        List<ReportFile> writers = new ArrayList<>(List.of(
                () -> io.breachwalk.report.GuideFiles.write(files, playbook),
                () -> CsvReports.write(files, done),
                () -> JsonReport.write(files, done),
                // Default settings; `breachwalk tickets report.json` rewrites tickets.csv with others.
                () -> TicketsCsv.write(files, done),
                () -> HtmlReport.write(files, done)));
        if (evidence != null) {
            writers.add(() -> {
                EvidenceManifest.of(playbook.id(), window.since(), window.until(), redacted(walk.evidence(), redactor),
                        done.coverage()).write(evidence.dir());
                evidence.finish();
            });
        }
        try {
            writeAll(writers);
        } catch (IOException e) {
            err.println("breachwalk: cannot write the reports in " + outDir + " (" + e.getMessage() + ")");
            return Exits.USAGE;
        }
        try {
            journal.finish();
        } catch (IOException e) {
            err.println("breachwalk: could not remove the resume journal (" + e.getMessage() + ")");
        }
        out.print(SummaryText.render(report, outDir, written));
        out.flush();
        if (!unusable.isEmpty()) {
            unusable.forEach(m -> err.println("breachwalk: " + m));
        }
        // The summary's words were made from this same status: 2 (a provider stopped), 3, 1 or 0.
        return report.summary().exitStatus();
    }

    /** One output file (or folder) written from the finished report. */
    private interface ReportFile {
        void write() throws IOException;
    }

    /**
     * Writes the outputs side by side (each streams its own file from the same finished report; a large estate's
     * report.json, HTML and CSVs take seconds each), and throws the first failure in the order given.
     */
    private static void writeAll(List<ReportFile> writers) throws IOException {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.min(writers.size(), Math.max(1, Runtime.getRuntime().availableProcessors())),
                io.breachwalk.source.DaemonThreads.named("report-writer"));
        try {
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (ReportFile w : writers) {
                running.add(pool.submit(() -> {
                    w.write();
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : running) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    if (e.getCause() instanceof RuntimeException rt) {
                        throw rt;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing the reports");
        } finally {
            pool.shutdownNow();
        }
    }
}
