package io.breachwalk.report;

import io.breachwalk.model.Gap;
import io.breachwalk.model.JobFinding;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where the providers' records no longer reach the window (RUNS_EXPIRED, JOBS_ARCHIVED, BUILDS_DISCARDED), said up
 * front by the summary and report.html: the findings of those projects rest on the commit history, a weaker basis a
 * responder must know of, and those whose history could not be read either are not "clean".
 */
public final class HistoryWords {

    /** The gap codes that say a provider deleted records of the window. */
    static final Set<String> EXPIRY = Set.of(Gap.RUNS_EXPIRED, Gap.JOBS_ARCHIVED, Gap.BUILDS_DISCARDED);

    /**
     * @param byGap     how many projects each expiry gap code names
     * @param fromCommits projects (`provider project`) whose findings rest on the commit history
     * @param unjudged  projects whose records expired and that the commit history could not settle either (a
     *                  blocking expiry gap: no readable history, or a definition without history)
     */
    public record Expired(Map<String, Long> byGap, Set<String> fromCommits, Set<String> unjudged) {

        public long projects() {
            Set<String> all = new TreeSet<>(fromCommits);
            all.addAll(unjudged);
            return all.size();
        }

        /** One sentence for the summary and the page. */
        public String sentence() {
            StringBuilder b = new StringBuilder("the run history of ")
                    .append(ResultWords.plural(projects(), "project", "projects"))
                    .append(" no longer reaches the window (");
            b.append(String.join(", ", byGap.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()))
                    .append(")");
            if (!fromCommits.isEmpty()) {
                b.append(": the findings of ").append(ResultWords.plural(fromCommits.size(), "project", "projects"))
                        .append(" rest on the commit history (basis commit-history in jobs.csv and rotation.csv)");
            }
            if (!unjudged.isEmpty()) {
                b.append(fromCommits.isEmpty() ? ": " : "; ")
                        .append(ResultWords.plural(unjudged.size(), "project", "projects"))
                        .append(" could not be judged from it either (blocking, coverage.csv)");
            }
            return b.toString();
        }
    }

    private HistoryWords() {
    }

    /** Empty when every project's records reach the whole window. */
    public static Optional<Expired> of(ScanReport report) {
        Map<String, Set<String>> projectsByGap = new TreeMap<>();
        Set<String> unjudged = new TreeSet<>();
        Set<String> expired = new TreeSet<>();
        for (Gap g : report.coverage()) {
            if (!EXPIRY.contains(g.gap())) {
                continue;
            }
            String project = key(g.provider(), g.project());
            projectsByGap.computeIfAbsent(g.gap(), k -> new TreeSet<>()).add(project);
            expired.add(project);
            if (g.blocking()) {
                unjudged.add(project);
            }
        }
        Set<String> fromCommits = new TreeSet<>();
        for (JobFinding j : report.jobs()) {
            String project = key(j.provider(), j.project());
            if (JobFinding.COMMIT_HISTORY.equals(j.basis()) && expired.contains(project)) {
                fromCommits.add(project);
            }
        }
        // A blocking expiry gap leaves the project open even where some rows came from its history (a freestyle
        // job's current definition, say): it is counted as not judged.
        fromCommits.removeAll(unjudged);
        // Expired runs or archived jobs that block nothing were judged from the commit history (and may have found
        // nothing there). Discarded Jenkins builds that block nothing are of a job whose definition never ran the
        // step: nothing rests on history for them, so they are not counted.
        for (Gap g : report.coverage()) {
            String project = key(g.provider(), g.project());
            if ((Gap.RUNS_EXPIRED.equals(g.gap()) || Gap.JOBS_ARCHIVED.equals(g.gap())) && !unjudged.contains(project)) {
                fromCommits.add(project);
            }
        }
        Set<String> counted = new TreeSet<>(fromCommits);
        counted.addAll(unjudged);
        if (counted.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Long> byGap = new TreeMap<>();
        projectsByGap.forEach((gap, projects) -> {
            long n = projects.stream().filter(counted::contains).count();
            if (n > 0) {
                byGap.put(gap, n);
            }
        });
        return Optional.of(new Expired(byGap, fromCommits, unjudged));
    }

    private static String key(String provider, String project) {
        return provider + " " + (project == null || project.isEmpty() ? "(whole provider)" : project);
    }
}
