package io.breachwalk.cli;

import io.breachwalk.model.RotationItem;
import io.breachwalk.report.JsonReport;
import io.breachwalk.files.OwnerOnlyFiles;
import io.breachwalk.report.ScanReport;
import io.breachwalk.report.tickets.AssigneeMap;
import io.breachwalk.report.tickets.DueFrom;
import io.breachwalk.report.tickets.PriorityNames;
import io.breachwalk.report.tickets.SinceReport;
import io.breachwalk.report.tickets.Sla;
import io.breachwalk.report.tickets.Ticket;
import io.breachwalk.report.tickets.TicketSettings;
import io.breachwalk.report.tickets.Tickets;
import io.breachwalk.report.tickets.TicketsCsv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "tickets", mixinStandardHelpOptions = true,
        description = {"Write tickets.csv from a saved report.json: one ticket per secret to rotate, ready for a "
                + "ticketing system's CSV import (Jira's importer is the reference).",
                "External ID is the secret_id, so re-importing updates tickets instead of duplicating them."},
        footer = {"", "Import into Jira: 1. Settings > System > External System Import > CSV (or a project's "
                + "Import issues from CSV), file tickets.csv, UTF-8, comma, date format yyyy-MM-dd. 2. Map Summary, "
                + "Description, Priority, Labels, Component/s, Due Date and Assignee to the fields of those names, "
                + "and External ID to a text field (e.g. \"breachwalk secret id\"). 3. Begin import. Later: "
                + "--since-report OLD.json files only new or changed secrets; the External ID finds their earlier "
                + "ticket."})
final class TicketsCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "REPORT.json", description = "a report.json written by `breachwalk scan`")
    Path report;

    @Option(names = "--out", paramLabel = "DIR",
            description = "output folder (default: the folder that holds REPORT.json); with --since-report the "
                    + "delta goes to tickets-since-OLD.csv there, next to the full tickets.csv")
    Path out;

    @Option(names = "--sla", paramLabel = "P1=1d,...",
            description = "hours (h), days (d) or weeks (w) to the due date per priority; given entries override "
                    + "the default P1=1d,P2=3d,P3=7d,P4=30d. Due Date is a date (yyyy-MM-dd), so hours round up to "
                    + "whole days: P1=4h is due the next day")
    String sla;

    @Option(names = "--due-from", paramLabel = "today|window-end|YYYY-MM-DD",
            description = "the day SLAs count from: today (the default), window-end (the day the report's window "
                    + "ends: re-runs give the same file) or a date")
    String dueFrom;

    @Option(names = "--priority-names", paramLabel = "P1=NAME,...",
            description = "the ticketing system's priority names (default: P1=Highest,P2=High,P3=Medium,P4=Low)")
    String priorityNames;

    @Option(names = "--assignee-map", paramLabel = "FILE",
            description = "CSV of `scope_owner pattern,assignee` (`*` matches anything; first match wins)")
    Path assigneeMap;

    @Option(names = "--component", paramLabel = "NAME",
            description = "one Component for every ticket (default: the secret's scope owner)")
    String component;

    @Option(names = "--since-report", paramLabel = "OLD.json",
            description = "only secrets that are new or changed since this earlier report.json")
    Path sinceReport;

    @Option(names = "--include-rotated",
            description = "also file a verification ticket for secrets whose store shows a change after the exposure")
    boolean includeRotated;

    @Override
    public Integer call() {
        TicketSettings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }

        report = reportFile(report);
        ScanReport current = read(report, "REPORT.json");
        if (current == null) {
            return Exits.USAGE;
        }
        Tickets tickets = new Tickets(current, settings);
        List<RotationItem> items = Tickets.actionable(current, includeRotated);
        int all = items.size();
        List<SinceReport.Entry> delta = null;
        if (sinceReport != null) {
            ScanReport old = read(sinceReport, "--since-report");
            if (old == null) {
                return Exits.USAGE;
            }
            if (!old.playbook().id().equals(current.playbook().id())) {
                main.err.println("breachwalk: note: --since-report is for playbook " + old.playbook().id()
                        + ", this report for " + current.playbook().id() + "; their secret ids never match");
            }
            delta = SinceReport.delta(old, current, items);
        }
        List<Ticket> rows = delta == null ? tickets.of(items) : tickets.ofDelta(delta);

        Path reportDir = OwnerOnlyFiles.normalized(report).getParent();
        Path dir = OwnerOnlyFiles.normalized(out != null ? out : reportDir != null ? reportDir : Path.of("."));
        // A delta never replaces the full tickets.csv of the scan: it gets a name of its own, after OLD.
        String name = sinceReport == null ? TicketsCsv.FILE : deltaName(sinceReport);
        Path written;
        java.util.Optional<String> problem = OwnerOnlyFiles.problem(dir);
        if (problem.isPresent()) {
            return usage("cannot write " + name + " in " + dir + ": " + problem.get());
        }
        try {
            OwnerOnlyFiles files = new OwnerOnlyFiles(dir);
            if (sinceReport == null) {
                TicketsCsv.write(files, rows);
                written = files.resolve(TicketsCsv.FILE);
            } else {
                written = files.write(name, w -> TicketsCsv.write(w, rows));
            }
        } catch (IOException e) {
            return usage("cannot write " + name + " in " + dir + " (" + OwnerOnlyFiles.reason(e) + ")");
        }
        main.out.printf("breachwalk: %d ticket%s in %s%s; due dates count from %s%n", rows.size(),
                rows.size() == 1 ? "" : "s", written,
                sinceReport == null ? "" : " (new or changed since " + sinceReport + "; " + all + " in all)",
                tickets.dueBase());
        long continued = delta == null ? 0 : delta.stream().filter(e -> !e.earlier().isEmpty()).count();
        if (continued > 0) {
            main.out.printf("breachwalk: %d of them keep the External ID of the earlier report's ticket for the same "
                    + "secret (its store listed in one report only, as with tokens of different permissions)%n",
                    continued);
        }
        return Exits.CLEAN;
    }

    /** Each option's problem is reported with the option's name; IllegalArgumentException carries the message. */
    private TicketSettings settings() {
        PriorityNames names;
        Sla days;
        DueFrom from = DueFrom.TODAY;
        AssigneeMap assignees = AssigneeMap.NONE;
        try {
            names = priorityNames == null ? PriorityNames.JIRA : PriorityNames.parse(priorityNames);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--priority-names: " + e.getMessage());
        }
        try {
            days = sla == null ? Sla.DEFAULT : Sla.parse(sla);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--sla: " + e.getMessage());
        }
        if (dueFrom != null) {
            try {
                from = DueFrom.parse(dueFrom);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--due-from: " + e.getMessage());
            }
        }
        if (assigneeMap != null) {
            try {
                assignees = AssigneeMap.load(assigneeMap);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("--assignee-map: " + assigneeMap + " does not exist");
            } catch (IOException e) {
                throw new IllegalArgumentException("--assignee-map: " + e.getMessage());
            }
        }
        return new TicketSettings(names, days, from, assignees, component, includeRotated);
    }

    /** `tickets DIR` means the report of that scan folder. */
    private static Path reportFile(Path given) {
        return Files.isDirectory(given) ? given.resolve(JsonReport.FILE) : given;
    }

    /** `tickets-since-<OLD>.csv`: OLD's folder name for a scan's report.json, else OLD's own file name. */
    static String deltaName(Path old) {
        Path abs = reportFile(old).toAbsolutePath().normalize();
        String stem = abs.getFileName().toString().replaceFirst("(?i)\\.json$", "");
        if (stem.equals("report") && abs.getParent() != null && abs.getParent().getFileName() != null) {
            stem = abs.getParent().getFileName().toString();
        }
        stem = stem.replaceAll("[^A-Za-z0-9._-]+", "_");
        return "tickets-since-" + (stem.isEmpty() || stem.equals(".") || stem.equals("..") ? "earlier" : stem) + ".csv";
    }

    private ScanReport read(Path file, String what) {
        file = reportFile(file);
        if (!Files.exists(file)) {
            usage(what + ": " + file + " does not exist");
            return null;
        }
        if (!Files.isRegularFile(file)) {
            usage(what + ": " + file + " is not a file");
            return null;
        }
        if (!Files.isReadable(file)) {
            usage(what + ": " + file + " is not readable (permission denied)");
            return null;
        }
        try {
            ScanReport r = JsonReport.read(file);
            if (r == null || r.playbook() == null || r.rotation() == null || r.exposures() == null) {
                usage(what + ": " + file + " is not a breachwalk report.json (no playbook or rotation)");
                return null;
            }
            return r.withTraits(main.providers.traits()); // report.json holds findings, not the providers' words
        } catch (IOException e) {
            usage(what + ": " + file + " is not a readable breachwalk report.json ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
            return null;
        }
    }

    private int usage(String message) {
        main.err.println("breachwalk: " + message);
        return Exits.USAGE;
    }
}
