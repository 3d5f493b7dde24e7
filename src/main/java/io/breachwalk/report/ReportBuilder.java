package io.breachwalk.report;

import io.breachwalk.evidence.EvidenceLinks;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.Gap;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.Order;
import io.breachwalk.model.RotationItem;
import io.breachwalk.model.RotationStatus;
import io.breachwalk.model.Verdict;
import io.breachwalk.model.WalkResult;
import io.breachwalk.playbook.Playbook;
import io.breachwalk.playbook.Window;
import io.breachwalk.text.Redactor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a walk's result and the ledger's rows into the sorted, de-duplicated {@link ScanReport} every output is
 * written from.
 */
public final class ReportBuilder {

    public static final String TOOL = "breachwalk";

    private ReportBuilder() {
    }

    /**
     * The report of what the walk found and of the ledger's rows for it (computed from the same walk). Free text from
     * CI systems (evidence, via, gap details) passes the redactor before it is reported.
     */
    public static ScanReport build(Playbook playbook, Window window, WalkResult walk, List<RotationItem> rotation,
                                   Redactor redactor) {
        List<JobFinding> jobs = sortedDistinct(walk.jobs().stream().map(j -> redacted(j, redactor)).toList(),
                Order.JOBS);
        List<Exposure> exposures = sortedDistinct(walk.exposures().stream().map(e -> new Exposure(
                redacted(e.job(), redactor), e.secretName(), e.secretScope(), e.scopeOwner(), e.exposure(),
                redactor.redact(e.via()), e.state(), e.secretUpdatedAt())).toList(), Order.EXPOSURES);
        List<Gap> gaps = sortedDistinct(walk.gaps().stream().map(g -> new Gap(g.provider(), g.host(),
                g.project(), g.runId(), g.gap(), redactor.redact(g.detail()), g.blocking())).toList(), Order.GAPS);

        Map<String, ScanReport.Examined> examined = new TreeMap<>();
        long requests = 0;
        for (Map.Entry<String, WalkResult.Counts> e : walk.counts().entrySet()) {
            WalkResult.Counts c = e.getValue();
            examined.put(e.getKey(), new ScanReport.Examined(c.projects(), c.runs(), c.jobs(), c.requests()));
            requests += c.requests();
        }
        long ran = jobs.stream().filter(j -> j.verdict() == Verdict.RAN).count();
        long notRun = jobs.stream().filter(j -> j.verdict() == Verdict.NOT_RUN).count();
        long unknown = jobs.stream().filter(j -> j.verdict() == Verdict.UNKNOWN).count();
        long projects = jobs.stream().filter(j -> j.verdict() == Verdict.RAN)
                .map(j -> j.provider() + "|" + j.host() + "|" + j.project()).distinct().count();
        Map<String, Long> byPriority = new TreeMap<>();
        for (String p : List.of("P1", "P2", "P3", "P4")) {
            byPriority.put(p, rotation.stream().filter(r -> r.priority().equals(p)).count());
        }
        Map<String, Long> byStatus = new TreeMap<>();
        for (RotationStatus s : RotationStatus.values()) {
            byStatus.put(s.name(), rotation.stream().filter(r -> r.status() == s).count());
        }
        long blocking = gaps.stream().filter(Gap::blocking).count();
        // DESIGN 5.1: REVIEW and MISSING ask for action as much as ROTATE does; incomplete wins over all of them.
        int exit = blocking > 0 ? 3 : rotation.stream().anyMatch(r -> r.status().asksForAction()) ? 1 : 0;
        ScanReport.Summary summary = new ScanReport.Summary(examined, ran, notRun, unknown, projects,
                rotation.size(), byPriority, byStatus, gaps.size(), blocking, requests, exit);
        return new ScanReport(TOOL, version(), new ScanReport.PlaybookInfo(playbook.id(), playbook.title(),
                playbook.source()), new ScanReport.WindowInfo(window.since(), window.until()), summary, jobs,
                exposures, rotation, gaps, EvidenceLinks.forJobs(jobs, walk.evidence()));
    }

    private static JobFinding redacted(JobFinding j, Redactor redactor) {
        return j.withVerdict(j.verdict(), j.confidence(), redactor.redact(j.evidence()));
    }

    public static String version() {
        String v = ReportBuilder.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static <T> List<T> sortedDistinct(List<T> items, java.util.Comparator<T> order) {
        List<T> out = new ArrayList<>(new LinkedHashSet<>(items));
        out.sort(order);
        return out;
    }
}
