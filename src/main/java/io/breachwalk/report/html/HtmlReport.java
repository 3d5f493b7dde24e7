package io.breachwalk.report.html;

import io.breachwalk.exposure.SecretType;
import io.breachwalk.exposure.SecretTypes;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.Gap;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.RotationItem;
import io.breachwalk.model.Verdict;
import io.breachwalk.playbook.Playbook;
import io.breachwalk.playbook.PlaybookLoader;
import io.breachwalk.text.SafeText;
import io.breachwalk.report.HistoryWords;
import io.breachwalk.files.OwnerOnlyFiles;
import io.breachwalk.report.ResultWords;
import io.breachwalk.report.ScanReport;
import io.breachwalk.report.tickets.RotationGuides;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * report.html: one self-contained page for responders and their managers. No script, no external font, style or
 * image, and a Content-Security-Policy that forbids loading anything, so it opens from a file and makes no request.
 * Headline numbers are read from {@link ScanReport.Summary}, the same numbers SummaryText prints, formatted the same
 * way. Nothing depends on the clock: the same report gives the same page.
 */
public final class HtmlReport {

    public static final String FILE = "report.html";
    /** Tables of jobs stop here; the full list is in jobs.csv. */
    static final int JOBS_SHOWN = 30;
    /** Projects whose jobs are listed; the rest are in jobs.csv. */
    static final int JOB_PROJECTS_SHOWN = 200;
    static final int PROJECTS_SHOWN = 15;
    static final int GAP_DETAILS_SHOWN = 20;

    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            + "base-uri 'none'; form-action 'none'";

    private static final Map<String, String> PRIORITY_MEANING = Map.of(
            "P1", "critical secrets (cloud, source control, publishing, signing, deploy) handed to the compromised "
                    + "step",
            "P2", "other secrets handed to the compromised step",
            "P3", "secrets in the same job but not handed to the compromised step",
            "P4", "secrets changed since the exposure (verify) and job tokens that expired with the job (audit)");

    private final ScanReport report;
    private final StringBuilder b = new StringBuilder(64 * 1024);

    private HtmlReport(ScanReport report) {
        this.report = report;
    }

    public static void write(OwnerOnlyFiles out, ScanReport report) throws IOException {
        out.writeString(FILE, render(report));
    }

    public static String render(ScanReport report) {
        return new HtmlReport(report).page();
    }

    private String page() {
        ScanReport.PlaybookInfo pb = report.playbook();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        b.append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">\n");
        b.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        b.append("<meta name=\"referrer\" content=\"no-referrer\">\n");
        // An empty data: icon: otherwise a browser may ask for /favicon.ico.
        b.append("<link rel=\"icon\" href=\"data:,\">\n");
        b.append("<title>breachwalk: ").append(Html.text(pb.title())).append("</title>\n");
        b.append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        header();
        headline();
        timeline();
        projects();
        rotation();
        gaps();
        jobs();
        b.append("<footer><p>Written by ").append(Html.text(report.tool())).append(' ')
                .append(Html.text(report.version())).append(" from the same data as report.json, jobs.csv, "
                        + "exposures.csv, rotation.csv, coverage.csv and tickets.csv. Secret values are never "
                        + "recorded, only names and where they are stored.</p></footer>\n");
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    private void header() {
        ScanReport.PlaybookInfo pb = report.playbook();
        b.append("<header>\n<p class=\"kicker\">breachwalk incident report</p>\n");
        b.append("<h1>").append(Html.text(pb.title())).append("</h1>\n");
        String words = WindowWords.explain(report.window().since(), report.window().until());
        b.append("<p class=\"window\">Window <time>").append(SafeText.time(report.window().since()))
                .append("</time> to <time>").append(SafeText.time(report.window().until())).append("</time>")
                .append(words.isEmpty() ? "" : ": " + Html.text(words))
                .append(" (jobs that started in it) · playbook <code>").append(Html.text(pb.id()))
                .append("</code></p>\n");
        bundledSummary().ifPresent(s -> b.append("<p class=\"incident\">").append(Html.text(s)).append("</p>\n"));
        scan();
        b.append("</header>\n");
        expiredHistory();
        unlistable();
    }

    /** When, what and as whom, from report.json's `scan` block; absent from reports written before it existed. */
    private void scan() {
        ScanReport.ScanInfo scan = report.scan();
        if (scan == null) {
            return;
        }
        b.append("<div class=\"scan\" id=\"scan\">\n<p>Scanned on <time>").append(SafeText.time(scan.generatedAt()))
                .append("</time> as ");
        if (scan.identity().isEmpty()) {
            b.append("an identity no provider reported");
        }
        List<String> as = new ArrayList<>();
        new TreeMap<>(scan.identity()).forEach((provider, who) -> as.add("<code>" + Html.text(who) + "</code> on "
                + Html.text(provider)));
        b.append(String.join(", ", as)).append(".</p>\n");
        List<String> targets = new ArrayList<>();
        Map<String, Object> ordered = new LinkedHashMap<>();
        TARGET_ORDER.stream().filter(scan.targets()::containsKey).forEach(k -> ordered.put(k, scan.targets().get(k)));
        new TreeMap<>(scan.targets()).forEach(ordered::putIfAbsent);
        ordered.forEach((k, v) -> targets.add(Html.text(TARGET_WORDS.getOrDefault(k, k.replace('_', ' ')))
                + " <code>" + Html.text(words(v)) + "</code>"));
        b.append("<p>Targets: ").append(targets.isEmpty() ? "none recorded" : String.join("; ", targets))
                .append(".</p>\n");
        if (!scan.options().isEmpty()) {
            List<String> options = new ArrayList<>();
            new TreeMap<>(scan.options()).forEach((k, v) -> options.add(Html.text(k.replace('_', ' ')) + " "
                    + Html.text(words(v))));
            b.append("<p>Options: ").append(String.join(", ", options)).append(".</p>\n");
        }
        b.append("</div>\n");
    }

    /** Each provider's server before what was walked on it. */
    private static final List<String> TARGET_ORDER = List.of("github_url", "github_orgs", "github_repos",
            "jenkins_url", "jenkins_jobs", "offline_evidence");

    private static final Map<String, String> TARGET_WORDS = Map.of(
            "github_url", "GitHub API", "github_orgs", "GitHub organizations", "github_repos", "GitHub repositories",
            "jenkins_url", "Jenkins", "jenkins_jobs", "Jenkins jobs", "offline_evidence", "offline, from the evidence in");

    /** A JSON value as words: a list joined with commas. */
    private static String words(Object value) {
        if (value instanceof java.util.Collection<?> c) {
            return String.join(", ", c.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    /** Up front: where the records of the window are gone, the findings rest on the commit history; say so. */
    private void expiredHistory() {
        Optional<HistoryWords.Expired> expired = HistoryWords.of(report);
        if (expired.isEmpty()) {
            return;
        }
        HistoryWords.Expired h = expired.get();
        String sentence = h.sentence();
        b.append("<div class=\"warning\" id=\"history\">\n<p><strong>")
                .append(Html.text(Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1)))
                .append(".</strong> Those jobs are judged from the CI configuration in effect during the window; "
                        + "their secrets count as exposed until that configuration changed.</p>\n");
        historyList("Judged from the commit history", h.fromCommits());
        historyList("Not judged from it (blocking)", h.unjudged());
        b.append("</div>\n");
    }

    private void historyList(String title, java.util.Set<String> projects) {
        if (projects.isEmpty()) {
            return;
        }
        List<String> names = List.copyOf(projects);
        b.append("<details><summary>").append(Html.text(title)).append(" (").append(n(names.size()))
                .append(")</summary>\n<ul>\n");
        names.stream().limit(JOBS_SHOWN).forEach(p -> b.append("<li>").append(Html.text(p)).append("</li>\n"));
        if (names.size() > JOBS_SHOWN) {
            b.append("<li>and ").append(n(names.size() - JOBS_SHOWN)).append(" more in coverage.csv</li>\n");
        }
        b.append("</ul>\n</details>\n");
    }

    /** Up front: a token that could not list secrets made every secret it hides REVIEW; say what to grant. */
    private void unlistable() {
        List<ResultWords.Unlistable> all = ResultWords.unlistable(report);
        if (all.isEmpty()) {
            return;
        }
        b.append("<div class=\"warning\" id=\"unlistable\">\n<p><strong>Secrets could not be listed.</strong> "
                + "Their rotation status is unknown, so they are REVIEW: rotate each unless you can show it was "
                + "changed after its last exposure.</p>\n<ul>\n");
        for (ResultWords.Unlistable u : all) {
            b.append("<li data-provider=\"").append(Html.text(u.provider())).append("\">")
                    .append(Html.text(u.sentence())).append(".</li>\n");
        }
        b.append("</ul>\n</div>\n");
    }

    /** The incident in a sentence, from the bundled playbook when the report came from one. */
    private Optional<String> bundledSummary() {
        String source = report.playbook().source();
        if (source == null || !source.startsWith("bundled:")) {
            return Optional.empty();
        }
        try {
            Playbook p = PlaybookLoader.loadBundled(report.playbook().id());
            return Optional.ofNullable(p.summary()).filter(s -> !s.isBlank());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private void headline() {
        ScanReport.Summary s = report.summary();
        b.append("<section id=\"headline\">\n<h2>At a glance</h2>\n<p class=\"result result-")
                .append(ResultWords.outcome(report)).append("\">").append(Html.text(ResultWords.resultSentence(report)))
                .append("</p>\n<div class=\"metrics\">\n");
        metric("jobs-ran", s.jobsRan(), s.jobsRan() == 1 ? "job ran the compromised step"
                : "jobs ran the compromised step", "big");
        metric("projects-affected", s.projectsAffected(), s.projectsAffected() == 1 ? "project affected"
                : "projects affected", "big");
        metric("secrets", s.secrets(), s.secrets() == 1 ? "secret exposed" : "secrets exposed", "big");
        metric("action", ResultWords.actionRows(report), "to rotate, review or confirm revoked", "big");
        for (String p : List.of("P1", "P2", "P3", "P4")) {
            metric(p.toLowerCase(), s.secretsByPriority().getOrDefault(p, 0L), p, "prio prio-" + p.toLowerCase());
        }
        metric("jobs-not-run", s.jobsNotRun(), s.jobsNotRun() == 1 ? "job defined the step but did not run it"
                : "jobs defined the step but did not run it", "");
        metric("jobs-unknown", s.jobsUnknown(), s.jobsUnknown() == 1 ? "job without a verdict"
                : "jobs without a verdict", "");
        metric("gaps", s.gaps(), "could not be checked", "");
        metric("blocking-gaps", s.blockingGaps(), "of them blocking", "");
        b.append("</div>\n");
        List<String> statuses = new ArrayList<>();
        s.secretsByStatus().forEach((k, v) -> {
            if (v > 0) {
                statuses.add("<span data-status=\"" + Html.text(k) + "\">" + Html.text(k) + " " + n(v) + "</span>");
            }
        });
        if (!statuses.isEmpty()) {
            b.append("<p class=\"statuses\">By status: ").append(String.join(", ", statuses)).append("</p>\n");
        }
        b.append("<table class=\"examined\">\n<caption>Examined</caption>\n<thead><tr><th>Provider</th>"
                + "<th class=\"num\">Projects</th><th class=\"num\">Runs</th><th class=\"num\">Jobs</th>"
                + "<th class=\"num\">API requests</th></tr></thead>\n<tbody>\n");
        if (s.examined().isEmpty()) {
            b.append("<tr><td colspan=\"5\">nothing (no provider given)</td></tr>\n");
        }
        s.examined().forEach((provider, e) -> b.append("<tr data-provider=\"").append(Html.text(provider))
                .append("\"><td>").append(Html.text(provider)).append("</td><td class=\"num\">").append(n(e.projects()))
                .append("</td><td class=\"num\">").append(n(e.runs())).append("</td><td class=\"num\">")
                .append(n(e.jobs())).append("</td><td class=\"num\">").append(n(e.apiRequests()))
                .append("</td></tr>\n"));
        b.append("</tbody>\n</table>\n</section>\n");
    }

    private void metric(String key, long value, String label, String cls) {
        b.append("<div class=\"metric ").append(cls).append("\" data-metric=\"").append(key)
                .append("\"><span class=\"value\">").append(n(value)).append("</span><span class=\"label\">")
                .append(Html.text(label)).append("</span></div>\n");
    }

    /** Formatted like SummaryText (`%,d`), so that the page and the terminal show the same digits. */
    static String n(long value) {
        return String.format("%,d", value);
    }

    private void timeline() {
        Timeline.Data d = Timeline.data(report.jobs(), report.window().since(), report.window().until());
        b.append("<section id=\"timeline\">\n<h2>Jobs that ran the compromised step, per ")
                .append(d.bucketDays() == 1 ? "day" : d.bucketDays() + " days").append(" (UTC)</h2>\n");
        if (d.counts().isEmpty()) {
            b.append("<p class=\"empty\">No job ran the compromised step in the window.</p>\n");
        } else {
            b.append(Timeline.svg(d));
            b.append("<ul class=\"legend\">\n");
            int i = 0;
            for (Map.Entry<String, int[]> e : d.counts().entrySet()) {
                int total = 0;
                for (int c : e.getValue()) {
                    total += c;
                }
                b.append("<li data-provider=\"").append(Html.text(e.getKey())).append("\"><span class=\"swatch\" "
                        + "style=\"background:").append(Timeline.color(e.getKey(), i++)).append("\"></span>")
                        .append(Html.text(e.getKey())).append(": ").append(n(total)).append(total == 1 ? " job" : " jobs")
                        .append("</li>\n");
            }
            b.append("</ul>\n");
        }
        if (d.undated() > 0 || d.outside() > 0) {
            b.append("<p class=\"note\">Not drawn: ").append(Html.text(ResultWords.plural(d.undated(), "job", "jobs")))
                    .append(" without a start time, ").append(n(d.outside()))
                    .append(" that started outside the window.</p>\n");
        }
        b.append("</section>\n");
    }

    /**
     * One project's jobs that ran the step or have no verdict, the secrets they exposed and the highest priority
     * among them. {@code anchor} names its job list in the page.
     */
    private record ProjectRow(String provider, String project, List<JobFinding> ran, List<JobFinding> unknown,
                              Set<String> secrets, String worst, String first, String last, String anchor) {
        long jobs() {
            return ran.size();
        }
    }

    /** Highest priority first (P1 before P2; none last), then the most jobs: the order a responder works in. */
    private static final Comparator<ProjectRow> MOST_AFFECTED = Comparator
            .comparing((ProjectRow r) -> r.worst().isEmpty() ? "P9" : r.worst())
            .thenComparing(Comparator.comparingLong(ProjectRow::jobs).reversed())
            .thenComparing(r -> -r.secrets().size()).thenComparing(ProjectRow::provider)
            .thenComparing(ProjectRow::project);

    private List<ProjectRow> projectRows;

    /** Computed once: the projects table links into the job lists by the same anchors. */
    private List<ProjectRow> projectRows() {
        if (projectRows != null) {
            return projectRows;
        }
        Map<String, List<JobFinding>> ran = new TreeMap<>();
        Map<String, List<JobFinding>> unknown = new TreeMap<>();
        for (JobFinding j : report.jobs()) {
            String key = j.provider() + "\u0000" + j.host() + "\u0000" + j.project();
            if (j.verdict() == Verdict.RAN) {
                ran.computeIfAbsent(key, k -> new ArrayList<>()).add(j);
            } else if (j.verdict() == Verdict.UNKNOWN) {
                unknown.computeIfAbsent(key, k -> new ArrayList<>()).add(j);
            }
        }
        Map<String, RotationItem> bySecret = new HashMap<>();
        for (RotationItem r : report.rotation()) {
            bySecret.put(r.provider() + "\u0000" + r.host() + "\u0000" + r.secretScope() + "\u0000" + r.scopeOwner()
                    + "\u0000" + r.secretName(), r);
        }
        Map<String, Set<String>> secretsByProject = new HashMap<>();
        Map<String, String> worstByProject = new HashMap<>();
        for (Exposure e : report.exposures()) {
            JobFinding j = e.job();
            String key = j.provider() + "\u0000" + j.host() + "\u0000" + j.project();
            RotationItem r = bySecret.get(j.provider() + "\u0000" + j.host() + "\u0000" + e.secretScope() + "\u0000"
                    + e.scopeOwner() + "\u0000" + e.secretName());
            if (r == null) {
                continue;
            }
            secretsByProject.computeIfAbsent(key, k -> new TreeSet<>()).add(r.secretId());
            worstByProject.merge(key, r.priority(), (x, y) -> x.compareTo(y) <= 0 ? x : y);
        }
        Set<String> keys = new TreeSet<>(ran.keySet());
        keys.addAll(unknown.keySet());
        List<ProjectRow> rows = new ArrayList<>();
        for (String key : keys) {
            String[] k = key.split("\u0000", -1);
            List<JobFinding> jobs = ran.getOrDefault(key, List.of());
            String first = jobs.stream().map(JobFinding::startedAt).filter(java.util.Objects::nonNull)
                    .min(Comparator.naturalOrder()).map(SafeText::time).orElse("");
            String last = jobs.stream().map(JobFinding::startedAt).filter(java.util.Objects::nonNull)
                    .max(Comparator.naturalOrder()).map(SafeText::time).orElse("");
            rows.add(new ProjectRow(k[0], k[2], jobs, unknown.getOrDefault(key, List.of()),
                    secretsByProject.getOrDefault(key, Set.of()), worstByProject.getOrDefault(key, ""), first, last,
                    ""));
        }
        // Projects where the step ran come first, most affected first; those with unassessed jobs only follow.
        rows.sort(Comparator.comparing((ProjectRow r) -> r.ran().isEmpty()).thenComparing(MOST_AFFECTED));
        List<ProjectRow> anchored = new ArrayList<>();
        for (ProjectRow r : rows) {
            anchored.add(new ProjectRow(r.provider(), r.project(), r.ran(), r.unknown(), r.secrets(), r.worst(),
                    r.first(), r.last(), "jobs-" + (anchored.size() + 1)));
        }
        projectRows = anchored;
        return projectRows;
    }

    private void projects() {
        List<ProjectRow> rows = projectRows().stream().filter(r -> !r.ran().isEmpty()).toList();
        b.append("<section id=\"projects\">\n<h2>Projects most affected</h2>\n");
        if (rows.isEmpty()) {
            b.append("<p class=\"empty\">None.</p>\n</section>\n");
            return;
        }
        b.append("<table>\n<thead><tr><th>Project</th><th>Provider</th><th class=\"num\">Jobs that ran it</th>"
                + "<th class=\"num\">Secrets exposed</th><th>Highest priority</th><th>First</th><th>Last</th>"
                + "</tr></thead>\n<tbody>\n");
        for (ProjectRow r : rows.subList(0, Math.min(PROJECTS_SHOWN, rows.size()))) {
            b.append("<tr><td>").append(Html.text(r.project())).append("</td><td>").append(Html.text(r.provider()))
                    .append("</td><td class=\"num\"><a href=\"#").append(r.anchor()).append("\">").append(n(r.jobs()))
                    .append("</a></td><td class=\"num\">")
                    .append(n(r.secrets().size())).append("</td><td>").append(prio(r.worst()))
                    .append("</td><td><time>").append(r.first()).append("</time></td><td><time>").append(r.last())
                    .append("</time></td></tr>\n");
        }
        b.append("</tbody>\n</table>\n");
        if (rows.size() > PROJECTS_SHOWN) {
            b.append("<p class=\"note\">").append(Html.text(ResultWords.plural(rows.size() - PROJECTS_SHOWN,
                    "more project", "more projects"))).append(" below and in jobs.csv.</p>\n");
        }
        b.append("</section>\n");
    }

    private static String prio(String p) {
        return p == null || p.isEmpty() ? "" : "<span class=\"badge prio-" + Html.text(p.toLowerCase()) + "\">"
                + Html.text(p) + "</span>";
    }

    private void rotation() {
        Map<String, SecretType> types = new HashMap<>();
        for (SecretType t : SecretTypes.bundled().all()) {
            types.putIfAbsent(t.id(), t);
        }
        Map<String, List<RotationItem>> byPriority = new LinkedHashMap<>();
        for (String p : List.of("P1", "P2", "P3", "P4")) {
            byPriority.put(p, new ArrayList<>());
        }
        for (RotationItem r : report.rotation()) {
            byPriority.computeIfAbsent(r.priority(), k -> new ArrayList<>()).add(r);
        }
        b.append("<section id=\"rotation\">\n<h2>Secrets to rotate or review, by priority</h2>\n");
        if (report.rotation().isEmpty()) {
            b.append("<p class=\"empty\">No secret was in scope of a job that ran the compromised step.</p>\n");
        }
        byPriority.forEach((p, items) -> {
            if (items.isEmpty()) {
                return;
            }
            b.append("<h3>").append(prio(p)).append(' ').append(n(items.size())).append(items.size() == 1
                    ? " secret: " : " secrets: ").append(Html.text(PRIORITY_MEANING.getOrDefault(p, ""))).append("</h3>\n");
            b.append("<table class=\"rotation\" data-priority=\"").append(Html.text(p)).append("\">\n<thead><tr>"
                    + "<th>Status</th><th>Secret</th><th>Type</th><th>Stored at</th><th>Provider</th>"
                    + "<th>Exposure</th><th class=\"num\">Jobs</th><th>Last exposed</th><th>Store changed</th>"
                    + "<th>How</th></tr></thead>\n<tbody>\n");
            for (RotationItem r : items) {
                SecretType t = types.get(r.secretType());
                String title = RotationGuides.bundled().get(r.secretType()).map(g -> g.title()).orElse(r.secretType());
                b.append("<tr id=\"").append(Html.text(r.secretId())).append("\"><td><span class=\"status status-")
                        .append(Html.text(r.status().name().toLowerCase())).append("\">").append(r.status().name())
                        .append("</span></td><td><code>").append(Html.text(r.secretName())).append("</code></td><td>")
                        .append("<span title=\"").append(Html.text(title)).append("\">")
                        .append(Html.text(r.secretType())).append("</span></td><td>").append(Html.text(r.secretScope()))
                        .append(" · ").append(Html.text(r.scopeOwner())).append("</td><td>")
                        .append(Html.text(r.provider())).append("</td><td>").append(r.exposure().name())
                        .append("</td><td class=\"num\">").append(n(r.jobsExposed())).append(exampleLink(r))
                        .append("</td><td><time>").append(SafeText.time(r.lastExposedAt())).append("</time></td><td><time>")
                        .append(SafeText.time(r.secretUpdatedAt())).append("</time></td><td class=\"guide\">")
                        .append(guideLink(r.guide()));
                if (t != null && t.vendor() != null) {
                    b.append(" · ").append(Html.link(t.vendor(), "vendor"));
                }
                b.append("</td></tr>\n");
            }
            b.append("</tbody>\n</table>\n");
        });
        b.append("</section>\n");
    }

    /**
     * A link to the guide: `guide/rotation.md#aws-access-key` is a file of the output folder beside this page (the
     * CSP's default-src governs loads, not navigation, so a plain link works). The column is narrow: the link says
     * "steps" and its title gives the path; an absolute vendor URL is linked the same way. Anything else stays text.
     */
    private static String guideLink(String guide) {
        if (guide == null || guide.isBlank()) {
            return "";
        }
        if (guide.matches("guide/[A-Za-z0-9._-]+(#[a-z0-9-]+)?")) {
            return "<a href=\"" + Html.text(guide) + "\" title=\"" + Html.text(guide) + "\">steps</a>";
        }
        return Html.link(guide, "steps");
    }

    private void gaps() {
        b.append("<section id=\"gaps\">\n<h2>What could not be checked</h2>\n");
        if (report.coverage().isEmpty()) {
            b.append("<p class=\"empty\">Nothing: every project, run and job in scope was assessed.</p>\n</section>\n");
            return;
        }
        Map<String, List<Gap>> byKind = new TreeMap<>();
        for (Gap g : report.coverage()) {
            byKind.computeIfAbsent(g.gap(), k -> new ArrayList<>()).add(g);
        }
        byKind.forEach((kind, gaps) -> {
            long blocking = gaps.stream().filter(Gap::blocking).count();
            long projects = gaps.stream().map(g -> g.provider() + "\u0000" + g.project()).distinct().count();
            b.append("<div class=\"gap").append(blocking > 0 ? " blocking" : "").append("\" data-gap=\"")
                    .append(Html.text(kind)).append("\">\n<h3>").append(Html.text(GapWords.headline(kind)))
                    .append(": ").append(n(gaps.size())).append(gaps.size() == 1 ? " case" : " cases").append(" in ")
                    .append(n(projects)).append(projects == 1 ? " project" : " projects");
            if (blocking > 0) {
                b.append(", ").append(n(blocking)).append(" blocking");
            }
            b.append("</h3>\n<p>").append(Html.text(GapWords.meaning(kind)));
            if (blocking > 0) {
                b.append(" Blocking: a project or job was left without a verdict, so the findings above may be "
                        + "incomplete.");
            }
            b.append("</p>\n<ul>\n");
            for (Gap g : gaps.subList(0, Math.min(GAP_DETAILS_SHOWN, gaps.size()))) {
                b.append("<li>").append(Html.text(g.provider())).append(' ').append(Html.text(g.project()));
                if (g.runId() != null && !g.runId().isEmpty()) {
                    b.append(" run ").append(Html.text(g.runId()));
                }
                b.append(": ").append(Html.text(g.detail())).append("</li>\n");
            }
            if (gaps.size() > GAP_DETAILS_SHOWN) {
                b.append("<li>and ").append(n(gaps.size() - GAP_DETAILS_SHOWN)).append(" more in coverage.csv</li>\n");
            }
            b.append("</ul>\n</div>\n");
        });
        b.append("</section>\n");
    }

    /** The rotation table's Jobs cell shows a count; its link is one example job, and says so. */
    private static String exampleLink(RotationItem r) {
        String link = Html.link(r.exampleUrl(), "example");
        return link.startsWith("<a ") ? " <span class=\"example\">(" + link + ")</span>" : "";
    }

    /** Per project, collapsible: the jobs that ran the step or have no verdict, the first few; jobs.csv has all. */
    private void jobs() {
        List<ProjectRow> rows = projectRows();
        b.append("<section id=\"jobs\">\n<h2>Jobs that ran the compromised step or have no verdict, per project</h2>\n");
        if (rows.isEmpty()) {
            b.append("<p class=\"empty\">None.</p>\n</section>\n");
            return;
        }
        for (ProjectRow r : rows.subList(0, Math.min(JOB_PROJECTS_SHOWN, rows.size()))) {
            List<JobFinding> shown = new ArrayList<>(r.ran());
            shown.addAll(r.unknown());
            b.append("<details id=\"").append(r.anchor()).append("\" data-provider=\"").append(Html.text(r.provider()))
                    .append("\">\n<summary><strong>").append(Html.text(r.project())).append("</strong> (")
                    .append(Html.text(r.provider())).append("): ");
            List<String> parts = new ArrayList<>();
            if (!r.ran().isEmpty()) {
                parts.add(ResultWords.plural(r.ran().size(), "job", "jobs") + " ran the step");
            }
            if (!r.unknown().isEmpty()) {
                parts.add(ResultWords.plural(r.unknown().size(), "job", "jobs") + " without a verdict");
            }
            b.append(Html.text(String.join(", ", parts)));
            if (!r.worst().isEmpty()) {
                b.append(" · highest ").append(prio(r.worst()));
            }
            b.append("</summary>\n<table class=\"jobs\">\n<thead><tr><th>Started</th><th>Run</th><th>Job</th>"
                    + "<th>Branch</th><th>Verdict</th><th>Evidence</th></tr></thead>\n<tbody>\n");
            for (JobFinding j : shown.subList(0, Math.min(JOBS_SHOWN, shown.size()))) {
                b.append("<tr><td><time>").append(SafeText.time(j.startedAt())).append("</time></td><td>")
                        .append(Html.link(j.url(), j.runId() + (j.runAttempt() > 1 ? " #" + j.runAttempt() : "")))
                        .append("</td><td class=\"job-name\">").append(Html.text(j.jobName())).append("</td><td>")
                        .append(Html.text(j.branch())).append("</td><td>").append(j.verdict().name()).append(" (")
                        .append(j.confidence().csv()).append(")</td><td class=\"evidence\">")
                        .append(Html.text(j.evidence())).append("</td></tr>\n");
            }
            b.append("</tbody>\n</table>\n");
            if (shown.size() > JOBS_SHOWN) {
                b.append("<p class=\"note\">").append(Html.text(ResultWords.plural(shown.size() - JOBS_SHOWN,
                        "more job", "more jobs"))).append(" of this project in <a href=\"jobs.csv\">jobs.csv</a>.</p>\n");
            }
            b.append("</details>\n");
        }
        if (rows.size() > JOB_PROJECTS_SHOWN) {
            b.append("<p class=\"note\">").append(Html.text(ResultWords.plural(rows.size() - JOB_PROJECTS_SHOWN,
                    "more project", "more projects"))).append(" in <a href=\"jobs.csv\">jobs.csv</a>.</p>\n");
        }
        b.append("</section>\n");
    }

    private static final String STYLE = """
            :root { color-scheme: light; --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --bg: #f9fafb; }
            * { box-sizing: border-box; }
            body { margin: 0 auto; max-width: 1120px; padding: 24px 28px 48px; color: var(--ink);
                   font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; }
            header { border-bottom: 3px solid var(--ink); padding-bottom: 12px; margin-bottom: 20px; }
            .kicker { margin: 0; text-transform: uppercase; letter-spacing: .08em; font-size: 12px; color: var(--muted); }
            h1 { margin: 4px 0 6px; font-size: 26px; }
            h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
            h3 { font-size: 15px; margin: 18px 0 6px; }
            .window { margin: 0; color: var(--muted); }
            .incident { max-width: 860px; margin: 8px 0 0; }
            code { font: 12.5px/1.3 ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; }
            .result { font-weight: 600; padding: 8px 12px; border-radius: 6px; background: var(--bg); }
            .result-1 { background: #fef2f2; color: #991b1b; }
            .result-3 { background: #fffbeb; color: #92400e; }
            .result-0 { background: #ecfdf5; color: #065f46; }
            .result-2 { background: #fef2f2; color: #991b1b; border: 1px solid #fca5a5; }
            .warning { border: 1px solid #f59e0b; background: #fffbeb; color: #78350f; border-radius: 6px;
                       padding: 4px 12px; margin: 0 0 16px; }
            .warning ul { margin: 4px 0 8px; padding-left: 18px; }
            .scan { margin: 8px 0 0; padding: 6px 10px; border-left: 3px solid var(--line); color: #374151; }
            .scan p { margin: 2px 0; }
            details { border: 1px solid var(--line); border-radius: 6px; padding: 4px 10px; margin: 6px 0; }
            details summary { cursor: pointer; }
            .example { font-size: 12px; }
            .metrics { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
            .metric { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; min-width: 120px; background: #fff; }
            .metric .value { display: block; font-size: 22px; font-weight: 700; }
            .metric.big .value { font-size: 30px; }
            .metric .label { color: var(--muted); font-size: 12px; }
            .prio-p1, .metric.prio-p1 .value { color: #b91c1c; }
            .prio-p2, .metric.prio-p2 .value { color: #c2410c; }
            .prio-p3, .metric.prio-p3 .value { color: #a16207; }
            .prio-p4, .metric.prio-p4 .value { color: #4b5563; }
            .badge { font-weight: 700; }
            .statuses, .note, .empty { color: var(--muted); }
            table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
            caption { text-align: left; font-weight: 600; padding: 4px 0; }
            th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid var(--line); }
            th { background: var(--bg); font-weight: 600; font-size: 12.5px; }
            td.num, th.num { text-align: right; }
            table.examined { width: auto; }
            td.evidence { font-size: 12px; color: #374151; max-width: 420px; overflow-wrap: anywhere; }
            td.job-name, td.guide { overflow-wrap: anywhere; }
            .status { font-size: 12px; font-weight: 700; padding: 1px 6px; border-radius: 4px; background: var(--bg); }
            .status-rotate { background: #fee2e2; color: #991b1b; }
            .status-missing, .status-review { background: #fef3c7; color: #92400e; }
            .status-rotated, .status-ephemeral { background: #e5e7eb; color: #374151; }
            svg.timeline { width: 100%; height: auto; display: block; }
            svg.timeline .axis line { stroke: var(--line); }
            svg.timeline .axis text { fill: var(--muted); font-size: 11px; }
            .legend { list-style: none; padding: 0; display: flex; gap: 18px; margin: 6px 0; }
            .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
            .gap { border-left: 4px solid var(--line); padding: 2px 12px; margin: 10px 0; }
            .gap.blocking { border-left-color: #d97706; }
            .gap ul { margin: 4px 0; padding-left: 18px; color: #374151; }
            footer { margin-top: 36px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); }
            a { color: #1d4ed8; }
            """;
}
