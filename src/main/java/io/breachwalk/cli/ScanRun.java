package io.breachwalk.cli;

import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.model.Gap;
import io.breachwalk.playbook.Playbook;
import io.breachwalk.playbook.PlaybookException;
import io.breachwalk.playbook.PlaybookLoader;
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

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down.
        }
    }

    int run(String playbookRef, Instant since, Instant until, ScanOptions options) {
        Playbook playbook;
        Window window;
        try {
            playbook = PlaybookLoader.load(playbookRef);
            window = new Window(since == null ? playbook.window().since() : since,
                    until == null ? playbook.window().until() : until);
        } catch (PlaybookException e) {
            err.println("breachwalk: " + e.getMessage());
            return Exits.USAGE;
        } catch (IllegalArgumentException e) {
            err.println("breachwalk: --since/--until: " + e.getMessage());
            return Exits.USAGE;
        }

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
            return walkAndReport(playbook, window, options, sources, files, findings, journal, redactor);
        } finally {
            removeHook(onInterrupt);
            try {
                journal.close();
            } catch (IOException e) {
                err.println("breachwalk: could not close the resume journal (" + e.getMessage() + ")");
            }
        }
    }

    private int walkAndReport(Playbook playbook, Window window, ScanOptions options, List<CiSource> sources,
                              OutputFiles files, Findings findings, Journal journal, Redactor redactor) {
        Progress progress = quiet || System.console() == null ? Progress.NONE : new TerminalProgress(err);
        ScanContext ctx = new ScanContext(playbook.withWindow(window), window, new IndicatorMatcher(playbook),
                findings, progress, options.concurrency(), retryPolicy);
        for (CiSource source : sources) {
            try {
                source.walk(ctx);
            } catch (SourceException e) {
                progress.step("");
                err.println("breachwalk: " + redactor.redact(e.getMessage()));
                return Exits.USAGE;
            } catch (RuntimeException e) {
                // A defect in one provider must not lose what the others found: record it and go on.
                findings.gap(new Gap(source.provider(), "", "", "", Gap.API_ERROR,
                        "the " + source.provider() + " walk stopped early: " + e, true));
                err.println(redactor.redact("breachwalk: the " + source.provider() + " walk stopped early: " + e));
            }
        }

        ScanReport report = ReportBuilder.build(playbook, window, findings, redactor);
        List<String> written = List.of(CsvReports.JOBS, CsvReports.EXPOSURES, CsvReports.ROTATION,
                CsvReports.COVERAGE, JsonReport.FILE, TicketsCsv.FILE, HtmlReport.FILE);
        try {
            CsvReports.write(files, report);
            JsonReport.write(files, report);
            // Default settings; `breachwalk tickets report.json` rewrites tickets.csv with others.
            TicketsCsv.write(files, report);
            HtmlReport.write(files, report);
        } catch (IOException e) {
            err.println("breachwalk: cannot write the reports in " + options.out() + " (" + e.getMessage() + ")");
            return Exits.USAGE;
        }
        try {
            journal.finish();
        } catch (IOException e) {
            err.println("breachwalk: could not remove the resume journal (" + e.getMessage() + ")");
        }
        progress.step("");
        out.print(SummaryText.render(report, options.out(), written));
        out.flush();
        return report.summary().exitStatus();
    }
}
