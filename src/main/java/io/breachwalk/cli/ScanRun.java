package io.breachwalk.cli;

import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.evidence.EvidenceManifest;
import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.model.EvidenceLink;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.source.github.GitHubOffline;
import io.breachwalk.source.jenkins.JenkinsOffline;
import io.breachwalk.model.Gap;
import io.breachwalk.playbook.Playbook;
import io.breachwalk.playbook.Window;
import io.breachwalk.report.CsvReports;
import io.breachwalk.report.JsonReport;
import io.breachwalk.report.OutputFiles;
import io.breachwalk.report.Redactor;
import io.breachwalk.report.ReportBuilder;
import io.breachwalk.report.ScanReport;
import io.breachwalk.report.SummaryText;
import io.breachwalk.report.html.HtmlReport;
import io.breachwalk.report.tickets.TicketsCsv;
import io.breachwalk.source.CiSource;
import io.breachwalk.source.Findings;
import io.breachwalk.source.Journal;
import io.breachwalk.source.Progress;
import io.breachwalk.source.RetryPolicy;
import io.breachwalk.source.ScanContext;
import io.breachwalk.source.ScanOptions;
import io.breachwalk.source.SourceException;
import io.breachwalk.source.SourceFactory;

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
    private final PrintStream out;
    private final PrintStream err;
    private final boolean quiet;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();

    ScanRun(Map<String, String> env, PrintStream out, PrintStream err, boolean quiet) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.quiet = quiet;
    }

    ScanRun retryPolicy(RetryPolicy policy) {
        this.retryPolicy = policy;
        return this;
    }

    /** What makes two scans the same scan, for resuming: the incident, the window and the targets. */
    private static String identity(Playbook playbook, Window window, ScanOptions o) {
        return String.join("|", playbook.id(), playbook.source(), window.since().toString(), window.until().toString(),
                String.valueOf(o.githubOrgs()), String.valueOf(o.githubRepos()), o.githubUrl(),
                String.valueOf(o.jenkinsUrl()), String.valueOf(o.jenkinsJobs()));
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
        IncidentOptions.Incident incident = IncidentOptions.load(playbookRef, since, until, err);
        if (incident == null) {
            return Exits.USAGE;
        }
        Playbook playbook = incident.playbook();
        Window window = incident.window();

        OutputFiles files;
        try {
            files = new OutputFiles(options.out());
        } catch (IOException e) {
            err.println("breachwalk: cannot create the output folder " + options.out() + " (" + e.getMessage()
                    + "); choose another with --out");
            return Exits.USAGE;
        }

        List<CiSource> sources = new ArrayList<>();
        try {
            for (SourceFactory factory : SourceRegistry.factories()) {
                factory.create(options, env).ifPresent(sources::add);
            }
        } catch (SourceException e) {
            err.println("breachwalk: " + e.getMessage());
            return Exits.USAGE;
        }

        Redactor redactor = Redactor.forEnvironment(env);
        Findings findings = new Findings();
        EvidenceStore evidence;
        try {
            evidence = EvidenceStore.open(options.out(), redactor, java.time.Clock.systemUTC());
        } catch (IOException e) {
            err.println("breachwalk: cannot keep the evidence in " + options.out() + " (" + e.getMessage()
                    + "); choose another folder with --out");
            return Exits.USAGE;
        }
        Journal journal;
        try {
            journal = Journal.open(options.out(), identity(playbook, window, options));
            int resumed = findings.resumeFrom(journal);
            if (resumed > 0) {
                err.println("breachwalk: resuming an interrupted scan in " + options.out() + ": " + resumed
                        + " projects already done");
            }
        } catch (IOException e) {
            err.println("breachwalk: cannot keep the resume journal in " + options.out() + " (" + e.getMessage()
                    + "); choose another folder with --out");
            return Exits.USAGE;
        }
        Thread onInterrupt = new Thread(() -> err.println("\nbreachwalk: interrupted; finished projects are saved in "
                + options.out() + "; run the same command again to resume"));
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            return walkAndReport(playbook, window, options.out(), options.concurrency(), sources, files, findings,
                    journal, redactor, evidence);
        } finally {
            removeHook(onInterrupt);
            try {
                journal.close();
            } catch (IOException e) {
                err.println("breachwalk: could not close the resume journal (" + e.getMessage() + ")");
            }
        }
    }

    /**
     * `scan --offline EVIDENCE_DIR`: detection and exposure again, from an evidence folder alone (no request), with
     * this playbook; the online walk's gaps are repeated and what cannot be re-derived is said in coverage.csv.
     */
    int runOffline(String playbookRef, Instant since, Instant until, Path evidenceDir, Path out, int concurrency) {
        IncidentOptions.Incident incident = IncidentOptions.load(playbookRef, since, until, err);
        if (incident == null) {
            return Exits.USAGE;
        }
        Playbook playbook = incident.playbook();
        Window window = incident.window();
        EvidenceStore store;
        EvidenceManifest manifest;
        OutputFiles files;
        Journal journal;
        try {
            store = EvidenceStore.readOnly(evidenceDir);
            manifest = EvidenceManifest.read(evidenceDir);
        } catch (IOException e) {
            err.println("breachwalk: --offline " + evidenceDir + ": " + e.getMessage());
            return Exits.USAGE;
        }
        try {
            files = new OutputFiles(out);
            journal = Journal.open(out, "offline|" + evidenceDir.toAbsolutePath().normalize() + "|" + playbook.id()
                    + "|" + playbook.source() + "|" + window.since() + "|" + window.until());
        } catch (IOException e) {
            err.println("breachwalk: cannot create the output folder " + out + " (" + e.getMessage()
                    + "); choose another with --out");
            return Exits.USAGE;
        }
        Findings findings = new Findings();
        for (Gap g : manifest.gaps()) {
            findings.gap(g); // what the online walk could not check stays unchecked
        }
        java.util.Set<String> providers = new java.util.TreeSet<>();
        manifest.records().forEach(r -> providers.add(r.provider()));
        for (String provider : providers) {
            findings.gap(new Gap(provider, "", "", "", Gap.OFFLINE_REANALYSIS, "re-analysed offline from "
                    + evidenceDir.getFileName() + " (evidence of a scan of " + manifest.since() + " to "
                    + manifest.until() + "): secret stores and rotation status are as listed then; runs whose "
                    + "configuration referenced no indicator then have no job records (NOT_IN_EVIDENCE if that "
                    + "changed); run listings and the online walk's gaps are repeated as they were", false));
        }
        List<CiSource> sources = List.of(new GitHubOffline(store, manifest.records()),
                new JenkinsOffline(store, manifest.records()));
        try {
            return walkAndReport(playbook, window, out, concurrency, sources, files, findings, journal,
                    Redactor.forEnvironment(env), null);
        } finally {
            try {
                journal.close();
            } catch (IOException e) {
                err.println("breachwalk: could not close the journal (" + e.getMessage() + ")");
            }
        }
    }

    private int walkAndReport(Playbook playbook, Window window, Path outDir, int concurrency, List<CiSource> sources,
                              OutputFiles files, Findings findings, Journal journal, Redactor redactor,
                              EvidenceStore evidence) {
        Progress progress = quiet || System.console() == null ? Progress.NONE : new TerminalProgress(err);
        ScanContext ctx = new ScanContext(playbook.withWindow(window), window, new IndicatorMatcher(playbook),
                findings, progress, concurrency, retryPolicy, evidence);
        List<String> unusable = new ArrayList<>();
        for (CiSource source : sources) {
            try {
                source.walk(ctx);
            } catch (SourceException e) {
                // One provider is unusable (credentials, URL); what the others find must still be reported.
                String message = redactor.redact(e.getMessage());
                unusable.add(message);
                findings.gap(new Gap(source.provider(), "", "", "", e.gapCode(),
                        "the " + source.provider() + " walk could not run: " + message, true));
            } catch (RuntimeException e) {
                // A defect in one provider must not lose what the others found: record it and go on.
                findings.gap(new Gap(source.provider(), "", "", "", Gap.API_ERROR,
                        "the " + source.provider() + " walk stopped early: " + e, true));
                err.println(redactor.redact("breachwalk: the " + source.provider() + " walk stopped early: " + e));
            }
        }

        if (!unusable.isEmpty() && sources.size() == unusable.size()) {
            progress.step("");
            unusable.forEach(m -> err.println("breachwalk: " + m));
            return Exits.USAGE;
        }

        ScanReport report = ReportBuilder.build(playbook, window, findings, redactor);
        List<String> written = new ArrayList<>(List.of(CsvReports.JOBS, CsvReports.EXPOSURES, CsvReports.ROTATION,
                CsvReports.COVERAGE, JsonReport.FILE, TicketsCsv.FILE, HtmlReport.FILE));
        if (evidence != null) {
            written.add("evidence/");
        }
        try {
            CsvReports.write(files, report);
            JsonReport.write(files, report);
            // Default settings; `breachwalk tickets report.json` rewrites tickets.csv with others.
            TicketsCsv.write(files, report);
            HtmlReport.write(files, report);
            if (evidence != null) {
                EvidenceManifest.of(playbook.id(), window.since(), window.until(), redacted(findings.evidence(), redactor),
                        report.coverage()).write(evidence.dir());
                evidence.finish();
            }
        } catch (IOException e) {
            err.println("breachwalk: cannot write the reports in " + outDir + " (" + e.getMessage() + ")");
            return Exits.USAGE;
        }
        try {
            journal.finish();
        } catch (IOException e) {
            err.println("breachwalk: could not remove the resume journal (" + e.getMessage() + ")");
        }
        progress.step("");
        out.print(SummaryText.render(report, outDir, written));
        out.flush();
        if (!unusable.isEmpty()) {
            unusable.forEach(m -> err.println("breachwalk: " + m));
            return Exits.USAGE;
        }
        return report.summary().exitStatus();
    }
}
