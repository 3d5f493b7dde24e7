package io.breachwalk.report.tickets;

import io.breachwalk.exposure.SecretType;
import io.breachwalk.exposure.SecretTypes;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.ExposureLevel;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.ProviderTraits;
import io.breachwalk.model.RotationItem;
import io.breachwalk.model.RotationStatus;
import io.breachwalk.text.SafeText;
import io.breachwalk.report.RotationNotes;
import io.breachwalk.report.ScanReport;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Turns rotation rows into tickets: one per secret whose status asks for action, in rotation.csv's order (priority
 * first). Everything in a ticket comes from the report and the settings; only the due dates read the clock, and only
 * when they count from today (the default), so a re-run with `--due-from window-end` writes the same file.
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
    private final RotationNotes notes;
    /** Read once, so that every ticket of one file counts from the same day. */
    private final LocalDate today = LocalDate.now();

    public Tickets(ScanReport report, TicketSettings settings) {
        this.report = report;
        this.settings = settings;
        this.notes = new RotationNotes(report);
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

    /** The delta of `--since-report`: a secret seen under another id earlier keeps that ticket's External ID. */
    public List<Ticket> ofDelta(List<SinceReport.Entry> entries) {
        return entries.stream().map(this::ticket).toList();
    }

    public Ticket ticket(RotationItem r) {
        return ticket(new SinceReport.Entry(r, List.of()));
    }

    private Ticket ticket(SinceReport.Entry e) {
        RotationItem r = e.item();
        String priority = settings.priorities().name(r.priority());
        String component = settings.component() != null ? settings.component() : line(component(r));
        return new Ticket(e.externalId(), summary(r), description(r, e.earlier()), priority, labels(r), component,
                dueDate(r).toString(), settings.assignees().assignee(r.scopeOwner(), routedBy(r)));
    }

    /** The date SLAs count from: `--due-from` (today by default). */
    public LocalDate dueBase() {
        DueFrom from = settings.dueFrom() == null ? DueFrom.TODAY : settings.dueFrom();
        return switch (from.kind()) {
            case DATE -> from.date();
            case TODAY -> today;
            case WINDOW_END -> report.window() != null && report.window().until() != null
                    ? LocalDate.ofInstant(report.window().until(), ZoneOffset.UTC) : today;
        };
    }

    /**
     * A Jenkins credential's store (`system`, or none for a credential no store holds) says nothing about whose it
     * is; the folders and jobs that bound it do. Those are matched by --assignee-map too and give the Component.
     */
    private boolean routedByJobs(RotationItem r) {
        return "jenkins-credential".equals(r.secretScope());
    }

    private List<String> routedBy(RotationItem r) {
        return routedByJobs(r) ? notes.projects(r) : List.of();
    }

    private String component(RotationItem r) {
        boolean storeSaysNothing = r.scopeOwner() == null || r.scopeOwner().isBlank()
                || "system".equals(r.scopeOwner());
        if (routedByJobs(r) && storeSaysNothing && !notes.projects(r).isEmpty()) {
            return commonFolder(notes.projects(r));
        }
        return r.scopeOwner();
    }

    /** The deepest folder all these job full names share, else the first of them (one Component per ticket). */
    static String commonFolder(List<String> projects) {
        if (projects.size() == 1) {
            return projects.get(0);
        }
        String[] common = projects.get(0).split("/");
        int n = common.length;
        for (String p : projects) {
            String[] parts = p.split("/");
            int i = 0;
            while (i < Math.min(n, parts.length) && parts[i].equals(common[i])) {
                i++;
            }
            n = i;
        }
        return n == 0 ? projects.get(0) : String.join("/", Arrays.copyOf(common, n));
    }

    /** "repository secret of acme/api"; a store-less Jenkins credential is named by the jobs that bound it. */
    private String where(RotationItem r) {
        if (r.scopeOwner() != null && !r.scopeOwner().isBlank()) {
            return line(r.secretScope()) + " secret of " + line(r.scopeOwner());
        }
        List<String> projects = notes.projects(r);
        return line(r.secretScope()) + (projects.isEmpty() ? " secret in no store"
                : " secret bound by " + line(projects.get(0)) + (projects.size() > 1
                ? " and " + (projects.size() - 1) + " more" : ""));
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
        String s = verb + " " + line(r.secretName()) + " (" + where(r) + ", " + line(r.provider()) + ")";
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
        return description(r, List.of());
    }

    String description(RotationItem r, List<RotationItem> earlier) {
        RotationGuide guide = RotationGuides.bundled().forType(r.secretType());
        String vendor = SecretTypes.bundled().all().stream().filter(t -> t.id().equals(r.secretType()))
                .map(SecretType::vendor).filter(v -> v != null && !v.isBlank()).findFirst().orElse("");
        List<Exposure> exposures = notes.exposures(r);
        StringBuilder b = new StringBuilder();

        b.append(opening(r)).append("\n\n");
        for (int i = 0; i < earlier.size(); i++) {
            RotationItem o = earlier.get(i);
            b.append(i == 0 ? "This ticket" : "Also").append(" was ").append(o.secretId()).append(" (")
                    .append(line(o.secretScope())).append(", ").append(line(o.scopeOwner()))
                    .append(") in the earlier report")
                    .append(i == 0 ? ": the same secret, its store now " + (SinceReport.UNRESOLVED.equals(
                            r.secretScope()) ? "not listed" : "known") + "; this ticket keeps that External ID."
                            : ": close that ticket as a duplicate of this one.")
                    .append('\n');
        }
        if (!earlier.isEmpty()) {
            b.append('\n');
        }

        b.append("Why\n");
        b.append("- What: ").append(line(r.secretName())).append(", ").append(guide.id().equals(r.secretType())
                ? guide.title() : "type " + line(r.secretType())).append(".\n");
        b.append("- Where: ").append(where(r)).append(" on ").append(line(r.provider())).append(" (")
                .append(line(r.host())).append(").\n");
        if (routedByJobs(r) && !notes.projects(r).isEmpty()) {
            List<String> projects = notes.projects(r);
            b.append("- Bound by the jobs of: ").append(String.join(", ", projects.subList(0,
                    Math.min(JOBS_LISTED, projects.size())).stream().map(Tickets::line).toList()))
                    .append(projects.size() > JOBS_LISTED ? " and " + (projects.size() - JOBS_LISTED) + " more" : "")
                    .append(".\n");
        }
        for (RotationItem other : related(r)) {
            b.append("- Rotate together: ").append(other.secretId()).append(", ").append(line(other.secretName()))
                    .append(" (").append(where(other)).append("), the same kind of credential for the same project;")
                    .append(" likely one key pair or account.\n");
        }
        b.append("- Exposed: ").append(r.jobsExposed()).append(r.jobsExposed() == 1 ? " job" : " jobs")
                .append(" that ran the compromised step of ").append(line(report.playbook().title()))
                .append(" had it in scope, first at ").append(SafeText.time(r.firstExposedAt())).append(", last at ")
                .append(SafeText.time(r.lastExposedAt())).append(".\n");
        b.append("- Exposure ").append(r.exposure().name()).append(": ").append(r.exposure() == ExposureLevel.STEP
                ? "the compromised step itself received it (its environment, an input or an argument)."
                : "delivered to the same job, not to the compromised step; code that reads the runner could take it.")
                .append('\n');
        b.append("- Status ").append(r.status().name()).append(": ").append(line(notes.statusNote(r))).append(".\n");
        if (!exposures.isEmpty()) {
            b.append("- Jobs (").append(Math.min(JOBS_LISTED, exposures.size())).append(" of ")
                    .append(exposures.size()).append(" exposures; all are in exposures.csv):\n");
            for (Exposure e : exposures.subList(0, Math.min(JOBS_LISTED, exposures.size()))) {
                JobFinding j = e.job();
                if (JobFinding.COMMIT_HISTORY.equals(j.basis())) {
                    // No run record is left: name the configuration and the time it was in effect instead.
                    b.append("  - ").append(line(j.project())).append(" job \"").append(line(j.jobName()))
                            .append("\" of ").append(line(j.pipeline())).append(" at ").append(line(j.commitSha()))
                            .append(" on ").append(line(j.branch())).append(", in effect ")
                            .append(SafeText.time(j.startedAt())).append(" to ").append(SafeText.time(j.lastPossibleAt()))
                            .append(" (run records expired; from the commit history), ").append(e.exposure().name())
                            .append(" via ").append(line(e.via())).append('\n');
                    if (j.evidence() != null && !j.evidence().isBlank()) {
                        b.append("    evidence (").append(j.confidence().csv()).append("): ")
                                .append(line(j.evidence())).append('\n');
                    }
                    continue;
                }
                b.append("  - ").append(line(j.project())).append(" run ").append(line(j.runId()));
                if (j.runAttempt() > 1) {
                    b.append(" attempt ").append(j.runAttempt());
                }
                b.append(" job \"").append(line(j.jobName())).append("\" started ").append(SafeText.time(j.startedAt()))
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

        // A relative guide path means nothing inside a ticketing system: say where it is.
        String where = r.guide().startsWith("guide/") ? " in the breachwalk output folder" : "";
        b.append("What to do (").append(line(r.guide())).append(where).append(")\n");
        String change = notes.changeUrl(r);
        if (!change.isEmpty()) {
            b.append("Change it at: ").append(line(change)).append('\n');
        }
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
                .append(SafeText.time(r.firstExposedAt())).append(" on.\n\n");

        b.append("breachwalk ").append(report.playbook().id()).append(" · secret_id ").append(r.secretId())
                .append(earlier.isEmpty() ? " (the External ID: re-importing updates this ticket)"
                        : " (External ID " + earlier.get(0).secretId() + ", the earlier report's)")
                .append(" · secret values are never recorded");
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

    private String confirmByScan(RotationItem r) {
        if (r.status() == RotationStatus.MISSING) {
            return "No store holds it any more, so a new scan cannot show the revocation: close this ticket by hand"
                    + " once its issuer shows the old value revoked.";
        }
        if (!report.traits(r.provider()).keepsSecretChangeTimes()) {
            ProviderTraits t = report.traits(r.provider());
            return t.displayName() + " keeps no change time for " + t.secretWord() + ": a new scan will still say"
                    + " REVIEW; close this ticket by hand once the steps are done.";
        }
        return "Run `breachwalk scan` again with the same options: this secret (" + r.secretId()
                + ") should show ROTATED, with a store change time after " + SafeText.time(r.lastExposedAt()) + ".";
    }

    /**
     * Other rows that are likely the same credential (an AWS key id and its secret key, a keystore and its password):
     * the same provider, host and specific type (not `generic`), and a project whose jobs had both. Rotating one
     * without the other leaves the credential working.
     */
    List<RotationItem> related(RotationItem r) {
        if (r.secretType() == null || "generic".equals(r.secretType()) || r.status() == RotationStatus.EPHEMERAL) {
            return List.of();
        }
        Set<String> projects = new HashSet<>(notes.projects(r));
        List<RotationItem> out = new ArrayList<>();
        for (RotationItem o : report.rotation()) {
            if (!o.secretId().equals(r.secretId()) && o.status() != RotationStatus.EPHEMERAL
                    && r.secretType().equals(o.secretType()) && Objects.equals(r.provider(), o.provider())
                    && Objects.equals(r.host(), o.host())
                    && notes.projects(o).stream().anyMatch(projects::contains)) {
                out.add(o);
            }
        }
        return out;
    }

    /** A CI-sourced value on one line of a description: no control characters, no line breaks, bounded. */
    private static String line(String value) {
        String v = SafeText.terminal(value).strip();
        return v.length() <= VALUE_MAX ? v : v.substring(0, VALUE_MAX - 1) + "…";
    }
}
