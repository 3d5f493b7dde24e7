package io.breachwalk.report;

import io.breachwalk.model.Exposure;
import io.breachwalk.model.Gap;
import io.breachwalk.model.JobFinding;

import java.util.Comparator;
import java.util.function.Function;

/** Row orders of the reports: fixed, so that two runs over the same data give byte-identical files. */
public final class Order {
    private Order() {
    }

    /** Compares numbers as numbers (run 9 before run 10), anything else as text. */
    public static final Comparator<String> NATURAL = (a, b) -> {
        String x = a == null ? "" : a;
        String y = b == null ? "" : b;
        if (x.matches("\\d{1,18}") && y.matches("\\d{1,18}")) {
            return Long.compare(Long.parseLong(x), Long.parseLong(y));
        }
        return x.compareTo(y);
    };

    private static <T> Comparator<T> by(Function<T, String> key) {
        return Comparator.comparing(key, NATURAL);
    }

    public static final Comparator<JobFinding> JOBS = Order.<JobFinding>by(JobFinding::provider)
            .thenComparing(by(JobFinding::host)).thenComparing(by(JobFinding::project))
            .thenComparing(by(JobFinding::pipeline)).thenComparing(by(JobFinding::runId))
            .thenComparingInt(JobFinding::runAttempt).thenComparing(by(JobFinding::jobId))
            .thenComparing(by(JobFinding::jobName)).thenComparing(by(j -> j.verdict().name()))
            .thenComparing(by(JobFinding::evidence));

    public static final Comparator<Exposure> EXPOSURES = Comparator.comparing(Exposure::job, JOBS)
            .thenComparing(by(Exposure::secretName)).thenComparing(by(Exposure::secretScope))
            .thenComparing(by(Exposure::scopeOwner)).thenComparing(by(e -> e.exposure().name()))
            .thenComparing(by(Exposure::via));

    public static final Comparator<Gap> GAPS = Order.<Gap>by(Gap::provider).thenComparing(by(Gap::host))
            .thenComparing(by(Gap::project)).thenComparing(by(Gap::runId)).thenComparing(by(Gap::gap))
            .thenComparing(by(Gap::detail));
}
