package io.breachwalk.detect.config;

import io.breachwalk.detect.StepHit;
import io.breachwalk.detect.shell.ShellScan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects what the scan of one job found and turns it into its {@link JobReport}. */
public final class JobResult {
    private final String file;
    private final String provider;
    private final String job;
    private final List<StepHit> hits = new ArrayList<>();
    private final Set<String> step = new LinkedHashSet<>();
    private final Set<String> jobOnly = new LinkedHashSet<>();
    private String note = "";

    public JobResult(String file, String provider, String job) {
        this.file = file;
        this.provider = provider;
        this.job = job;
    }

    public JobResult hits(List<StepHit> h) { hits.addAll(h); return this; }
    public JobResult hit(StepHit h) { hits.add(h); return this; }
    public boolean affected() { return hits.stream().anyMatch(StepHit::affected); }
    public JobResult stepSecrets(java.util.Collection<String> names) { step.addAll(names); return this; }
    public JobResult jobSecrets(java.util.Collection<String> names) { jobOnly.addAll(names); return this; }
    /** Extra words for the evidence, e.g. why nothing was followed. */
    public JobResult note(String n) { note = n; return this; }

    /**
     * The job's verdict: the best affected hit; else, when it calls a repository script that is not here, `unknown`
     * (how {@code script:<path>}, the secrets it would have reached); else the first harmless hit.
     */
    public JobReport report() {
        List<StepHit> found = hits.stream().filter(h -> !isMissing(h)).toList();
        List<StepHit> missing = hits.stream().filter(JobResult::isMissing).toList();
        StepHit best = found.stream().filter(StepHit::affected)
                .min(Comparator.comparing(h -> h.confidence().equals(StepHit.PROBABLE) ? 0 : 1))
                .orElse(found.isEmpty() ? null : found.get(0));
        boolean uses = best != null && best.affected();
        List<String> s = sorted(step);
        Set<String> j = new LinkedHashSet<>(jobOnly);
        j.removeAll(step);
        if (!uses && !missing.isEmpty()) {
            StepHit m = missing.get(0);
            String evidence = m.evidence() + (missing.size() > 1 ? " (and " + (missing.size() - 1) + " more)" : "")
                    + (note.isEmpty() ? "" : "; " + note);
            return new JobReport(file, provider, job, false, "script:" + m.how().substring(ShellScan.MISSING_HOW.length()), "",
                    s, sorted(j), evidence, true);
        }
        String evidence = best == null ? note : best.evidence() + (note.isEmpty() ? "" : "; " + note);
        if (!uses) return new JobReport(file, provider, job, false, best == null ? "" : best.how(), "", List.of(), List.of(), evidence, false);
        return new JobReport(file, provider, job, true, best.how(), best.confidence(), s, sorted(j), evidence, false);
    }

    private static boolean isMissing(StepHit h) {
        return h.how().startsWith(ShellScan.MISSING_HOW);
    }

    /** Alphabetical, with "project-level: all" (and contexts) first. */
    static List<String> sorted(Set<String> names) {
        List<String> out = new ArrayList<>(names);
        out.sort(Comparator.comparing((String n) -> n.contains(": ") ? 0 : 1).thenComparing(Comparator.naturalOrder()));
        return out;
    }
}
