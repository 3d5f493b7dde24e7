package io.breachwalk.report.tickets;

import io.breachwalk.exposure.Ledger;
import io.breachwalk.exposure.SecretType;
import io.breachwalk.exposure.SecretTypes;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.ExposureLevel;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.RotationItem;
import io.breachwalk.model.RotationStatus;
import io.breachwalk.report.Cells;
import io.breachwalk.report.ScanReport;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns rotation rows into tickets: one per secret whose status asks for action, in rotation.csv's order (priority
 * first). Everything in a ticket comes from the report and the settings, never from the clock, so a re-run writes
 * the same file.
 */
public final class Tickets {

    /** Jira's summary field holds 255 characters. */
    static final int SUMMARY_MAX = 255;
    /** Jira's text fields hold 32,767 characters; keep well clear of it. */
    static final int DESCRIPTION_MAX = 30_000;
    /** The jobs listed in a description; all of them are in exposures.csv. */
    static final int JOBS_LISTED = 10;
    /** One CI-sourced value (evidence lines can be long) in a description. */
    static final int VALUE_MAX = 400;

    private final ScanReport report;
    private final TicketSettings settings;
    private final Map<String, List<Exposure>> exposuresBySecret = new LinkedHashMap<>();

    public Tickets(ScanReport report, TicketSettings settings) {
        this.report = report;
        this.settings = settings;
        for (Exposure e : report.exposures()) {
            exposuresBySecret.computeIfAbsent(secretId(report, e), k -> new ArrayList<>()).add(e);
        }
    }

    /** The secret_id an exposure folds into (the ledger's key), to list the jobs behind a rotation row. */
    static String secretId(ScanReport report, Exposure e) {
        return Ledger.secretId(report.playbook().id(), e.job().provider(), e.job().host(), e.secretScope(),
                e.scopeOwner(), e.secretName());
    }

    /** The rows a ticket is filed for: ROTATE, MISSING, REVIEW; ROTATED too when asked. Never EPHEMERAL. */
    public static List<RotationItem> actionable(ScanReport report, boolean includeRotated) {
        return report.rotation().stream()
                .filter(r -> r.status().asksForAction() || includeRotated && r.status() == RotationStatus.ROTATED)
                .toList();
    }

    public List<Ticket> all() {
        return of(actionable(report, settings.includeRotated()));
    }

    public List<Ticket> of(List<RotationItem> items) {
        return items.stream().map(this::ticket).toList();
    }

    public Ticket ticket(RotationItem r) {
        String priority = settings.priorities().name(r.priority());
        String component = settings.component() != null ? settings.component() : line(r.scopeOwner());
        return new Ticket(r.secretId(), summary(r), description(r), priority, labels(r), component,
                dueDate(r).toString(), settings.assignees().assignee(r.scopeOwner()));
    }

    /** The date SLAs count from: `--due-from`, else the day the window ends. */
    public LocalDate dueBase() {
        if (settings.dueFrom() != null) {
            return settings.dueFrom();
        }
        if (report.window() != null && report.window().until() != null) {
            return LocalDate.ofInstant(report.window().until(), ZoneOffset.UTC);
        }
        return LocalDate.EPOCH;
    }

    LocalDate dueDate(RotationItem r) {
        return dueBase().plusDays(settings.sla().daysFor(r.priority()));
    }

    String summary(RotationItem r) {
        String verb = switch (r.status()) {
            case ROTATE -> "Rotate";
            case MISSING -> "Confirm revoked";
            case REVIEW -> "Review and rotate";
            case ROTATED -> "Verify rotation of";
            case EPHEMERAL -> "Audit use of";
        };
        String s = verb + " " + line(r.secretName()) + " (" + line(r.secretScope()) + " secret of "
                + line(r.scopeOwner()) + ", " + line(r.provider()) + ")";
        return s.length() <= SUMMARY_MAX ? s : s.substring(0, SUMMARY_MAX - 1) + "…";
    }

    String labels(RotationItem r) {
        Set<String> labels = new LinkedHashSet<>();
        labels.add("breachwalk");
        labels.add(label(report.playbook().id()));
        labels.add(label(r.provider()));
        labels.add("exposure-" + label(r.exposure().name()));
        labels.add(label(r.secretType()));
        // Jira labels hold no spaces; its CSV importer splits a Labels cell on spaces into several labels.
        return String.join(" ", labels);
    }

    private static String label(String value) {
        String v = value == null ? "" : value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
        v = v.replaceAll("^[-.]+", "");
        return v.isEmpty() ? "unknown" : v;
    }

    String description(RotationItem r) {
        RotationGuide guide = RotationGuides.bundled().forType(r.secretType());
        String vendor = SecretTypes.bundled().all().stream().filter(t -> t.id().equals(r.secretType()))
                .map(SecretType::vendor).filter(v -> v != null && !v.isBlank()).findFirst().orElse("");
        List<Exposure> exposures = exposuresBySecret.getOrDefault(r.secretId(), List.of());
        StringBuilder b = new StringBuilder();

        b.append(opening(r)).append("\n\n");

        b.append("Why\n");
        b.append("- What: ").append(line(r.secretName())).append(", ").append(guide.id().equals(r.secretType())
                ? guide.title() : "type " + line(r.secretType())).append(".\n");
        b.append("- Where: ").append(line(r.secretScope())).append(" secret of ").append(line(r.scopeOwner()))
                .append(" on ").append(line(r.provider())).append(" (").append(line(r.host())).append(").\n");
        b.append("- Exposed: ").append(r.jobsExposed()).append(r.jobsExposed() == 1 ? " job" : " jobs")
                .append(" that ran the compromised step of ").append(line(report.playbook().title()))
                .append(" had it in scope, first at ").append(Cells.time(r.firstExposedAt())).append(", last at ")
                .append(Cells.time(r.lastExposedAt())).append(".\n");
        b.append("- Exposure ").append(r.exposure().name()).append(": ").append(r.exposure() == ExposureLevel.STEP
                ? "the compromised step itself received it (its environment, an input or an argument)."
                : "delivered to the same job, not to the compromised step; code that reads the runner could take it.")
                .append('\n');
        b.append("- Status ").append(r.status().name()).append(": ").append(statusWhy(r)).append('\n');
        if (!exposures.isEmpty()) {
            b.append("- Jobs (").append(Math.min(JOBS_LISTED, exposures.size())).append(" of ")
                    .append(exposures.size()).append(" exposures; all are in exposures.csv):\n");
            for (Exposure e : exposures.subList(0, Math.min(JOBS_LISTED, exposures.size()))) {
                JobFinding j = e.job();
                b.append("  - ").append(line(j.project())).append(" run ").append(line(j.runId()));
                if (j.runAttempt() > 1) {
                    b.append(" attempt ").append(j.runAttempt());
                }
                b.append(" job \"").append(line(j.jobName())).append("\" started ").append(Cells.time(j.startedAt()))
                        .append(", ").append(e.exposure().name()).append(" via ").append(line(e.via())).append('\n');
                if (j.url() != null && !j.url().isBlank()) {
                    b.append("    ").append(line(j.url())).append('\n');
                }
                if (j.evidence() != null && !j.evidence().isBlank()) {
                    b.append("    evidence (").append(j.confidence().csv()).append("): ").append(line(j.evidence()))
                            .append('\n');
                }
            }
        } else if (r.exampleUrl() != null && !r.exampleUrl().isBlank()) {
            b.append("- Example job: ").append(line(r.exampleUrl())).append('\n');
        }
        b.append('\n');

        b.append("What to do (").append(line(r.guide())).append(")\n");
        int n = 1;
        for (String step : guide.steps()) {
            b.append(n++).append(". ").append(step).append('\n');
        }
        if (!vendor.isEmpty()) {
            b.append("Vendor's page: ").append(vendor).append('\n');
        }
        b.append('\n');

        b.append("How to confirm\n");
        if (!guide.confirm().isEmpty()) {
            b.append("- ").append(guide.confirm()).append('\n');
        }
        b.append("- ").append(confirmByScan(r)).append('\n');
        b.append("- Record in this ticket what the provider's logs showed for the old value from ")
                .append(Cells.time(r.firstExposedAt())).append(" on.\n\n");

        b.append("breachwalk ").append(report.playbook().id()).append(" · secret_id ").append(r.secretId())
                .append(" (the External ID: re-importing updates this ticket) · secret values are never recorded");
        String text = b.toString();
        return text.length() <= DESCRIPTION_MAX ? text
                : text.substring(0, DESCRIPTION_MAX - 40) + "\n… (cut; see rotation.csv and exposures.csv)";
    }

    private String opening(RotationItem r) {
        return switch (r.status()) {
            case ROTATE -> "Rotate this secret: a CI job that ran the compromised step had it, and it has not changed"
                    + " since.";
            case MISSING -> "This secret was exposed and is no longer stored: confirm that the value was revoked where"
                    + " it was issued (deleting it from CI does not revoke it).";
            case REVIEW -> "This secret was exposed and breachwalk cannot tell whether it changed since: rotate it"
                    + " unless you can show it did.";
            case ROTATED -> "This secret was exposed and its store shows a change since: verify that the old value"
                    + " was revoked, not only replaced.";
            case EPHEMERAL -> "This token expired with its job: audit what it was used for during the job.";
        };
    }

    private static String statusWhy(RotationItem r) {
        return switch (r.status()) {
            case ROTATE -> "the store last changed it at " + Cells.time(r.secretUpdatedAt())
                    + ", before its last exposure.";
            case MISSING -> "the jobs referenced it, but no store visible to them holds it now.";
            case REVIEW -> "literal".equals(r.secretScope())
                    ? "it is written into the job's configuration itself; only its issuer can say whether it changed."
                    : "the provider keeps no change time for it, or its store could not be listed.";
            case ROTATED -> "the store changed it at " + Cells.time(r.secretUpdatedAt()) + ", after its last exposure.";
            case EPHEMERAL -> "issued for the job and expired with it.";
        };
    }

    private static String confirmByScan(RotationItem r) {
        if ("jenkins".equals(r.provider())) {
            return "Jenkins keeps no change time for credentials: a new scan will still say REVIEW; close this"
                    + " ticket by hand once the steps are done.";
        }
        return "Run `breachwalk scan` again with the same options: this secret (" + r.secretId()
                + ") should show ROTATED, with a store change time after " + Cells.time(r.lastExposedAt()) + ".";
    }

    /** A CI-sourced value on one line of a description: no control characters, no line breaks, bounded. */
    private static String line(String value) {
        String v = Cells.terminal(value).strip();
        return v.length() <= VALUE_MAX ? v : v.substring(0, VALUE_MAX - 1) + "…";
    }
}
