package io.breachwalk.report.tickets;

import io.breachwalk.text.SafeText;
import io.breachwalk.report.CsvReports;
import io.breachwalk.files.OwnerOnlyFiles;
import io.breachwalk.report.ScanReport;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** tickets.csv (DESIGN 5.2): the columns Jira's CSV importer maps one to one. */
public final class TicketsCsv {

    public static final String FILE = "tickets.csv";
    public static final String[] HEADER = {"External ID", "Summary", "Description", "Priority", "Labels", "Component",
            "Due Date", "Assignee"};

    private TicketsCsv() {
    }

    /** What a scan writes: every actionable secret, default settings. */
    public static void write(OwnerOnlyFiles out, ScanReport report) throws IOException {
        write(out, new Tickets(report, TicketSettings.defaults()).all());
    }

    public static void write(OwnerOnlyFiles out, List<Ticket> tickets) throws IOException {
        out.write(FILE, w -> write(w, tickets));
    }

    /**
     * Same dialect as the other CSVs (RFC 4180, `\n` records). The description keeps its line breaks inside the
     * quoted cell; every cell is neutralised against formula injection.
     */
    public static void write(Writer w, List<Ticket> tickets) throws IOException {
        try (CSVPrinter printer = new CSVPrinter(w, CsvReports.format(HEADER))) {
            for (Ticket t : tickets) {
                printer.printRecord(SafeText.cell(t.externalId()), SafeText.cell(t.summary()),
                        SafeText.multiline(t.description()), SafeText.cell(t.priority()), SafeText.cell(t.labels()),
                        SafeText.cell(t.component()), SafeText.cell(t.dueDate()), SafeText.cell(t.assignee()));
            }
        }
    }
}
