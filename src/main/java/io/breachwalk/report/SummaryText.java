package io.breachwalk.report;

import io.breachwalk.model.Gap;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import io.breachwalk.text.SafeText;

/** The short human summary printed on stdout at the end of a scan; the same numbers as report.json and the HTML. */
public final class SummaryText {

    private SummaryText() {
    }

    public static String render(ScanReport report, Path outDir, Iterable<String> files) {
        ScanReport.Summary s = report.summary();
        StringBuilder b = new StringBuilder();
        b.append("breachwalk ").append(report.playbook().id()).append(": ").append(report.playbook().title())
                .append('\n');
        b.append("  window     ").append(SafeText.time(report.window().since())).append(" to ")
                .append(SafeText.time(report.window().until())).append(" (jobs that started in it)\n");
        // Up front: a token that cannot list secrets turns every exposed secret into REVIEW.
        for (ResultWords.Unlistable u : ResultWords.unlistable(report)) {
            b.append("  WARNING    ").append(SafeText.terminal(u.sentence())).append('\n');
        }
        // Up front too: where the provider deleted the window's records, the findings rest on the commit history.
        HistoryWords.of(report).ifPresent(h -> b.append("  HISTORY    ").append(SafeText.terminal(h.sentence()))
                .append('\n'));
        if (s.examined().isEmpty()) {
            b.append("  examined   nothing (no provider given)\n");
        }
        s.examined().forEach((provider, e) -> b.append(String.format("  examined   %-15s %s, %s, %s, %s%n",
                provider, ResultWords.plural(e.projects(), "project", "projects"),
                ResultWords.plural(e.runs(), "run", "runs"), ResultWords.plural(e.jobs(), "job", "jobs"),
                ResultWords.plural(e.apiRequests(), "API request", "API requests"))));
        // GitHub's two budgets are separate: say what the walk spent of each where GraphQL was used.
        if (report.scan() != null) {
            report.scan().budgets().forEach((provider, spent) -> {
                if (spent.get("graphql_queries") instanceof Number q && q.longValue() > 0) {
                    b.append(String.format("  budgets    %-15s %,d REST requests, %,d GraphQL queries (%,d points)%n",
                            provider, ((Number) spent.getOrDefault("rest_requests", 0L)).longValue(), q.longValue(),
                            ((Number) spent.getOrDefault("graphql_points", 0L)).longValue()));
                }
            });
        }
        b.append(String.format("  jobs       %,d ran the compromised step in %s; %,d did not run it; %,d unknown%n",
                s.jobsRan(), ResultWords.plural(s.projectsAffected(), "project", "projects"), s.jobsNotRun(),
                s.jobsUnknown()));
        String counts = ResultWords.actionCounts(report);
        b.append(String.format("  secrets    %,d exposed: P1 %d, P2 %d, P3 %d, P4 %d (%s)%s%n", s.secrets(),
                s.secretsByPriority().getOrDefault("P1", 0L), s.secretsByPriority().getOrDefault("P2", 0L),
                s.secretsByPriority().getOrDefault("P3", 0L), s.secretsByPriority().getOrDefault("P4", 0L),
                s.secretsByStatus().entrySet().stream().filter(e -> e.getValue() > 0)
                        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")),
                counts.isEmpty() ? "" : "; action: " + counts));
        Map<String, Long> gapsByKind = new TreeMap<>();
        for (Gap g : report.coverage()) {
            gapsByKind.merge(g.gap(), 1L, Long::sum);
        }
        b.append(String.format("  gaps       %,d could not be checked (%,d blocking)%s%n", s.gaps(), s.blockingGaps(),
                gapsByKind.isEmpty() ? "" : ": " + gapsByKind.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))));
        b.append("  reports    ").append(outDir).append("/ ").append(String.join(", ", files)).append('\n');
        b.append("  result     ").append(SafeText.terminal(ResultWords.resultLine(report, outDir + "/"))).append('\n');
        return b.toString();
    }
}
