package io.breachwalk.model;

import java.util.Comparator;
import java.util.function.Function;

/** Row orders of the reports: fixed, so that two runs over the same data give byte-identical files. */
public final class Order {
    private Order() {
    }

    /**
     * Natural order: runs of digits compare as numbers (run 9 before run 10, `include[2]` before `include[10]`),
     * everything else as text. Total and consistent, so sorted reports are byte-identical across runs.
     */
    public static final Comparator<String> NATURAL = (a, b) -> {
        String x = a == null ? "" : a;
        String y = b == null ? "" : b;
        int i = 0;
        int j = 0;
        while (i < x.length() && j < y.length()) {
            char cx = x.charAt(i);
            char cy = y.charAt(j);
            if (Character.isDigit(cx) && Character.isDigit(cy)) {
                int ei = i;
                while (ei < x.length() && Character.isDigit(x.charAt(ei))) {
                    ei++;
                }
                int ej = j;
                while (ej < y.length() && Character.isDigit(y.charAt(ej))) {
                    ej++;
                }
                int c = compareNumbers(x, i, ei, y, j, ej);
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (cx != cy) {
                    return Character.compare(cx, cy);
                }
                i++;
                j++;
            }
        }
        int rest = Integer.compare(x.length() - i, y.length() - j);
        return rest != 0 ? rest : x.compareTo(y);
    };

    /**
     * Two runs of digits as numbers of any length: leading zeros skipped (one digit kept), then the shorter is the
     * smaller, then digit by digit. Hand-written because the reports sort hundreds of thousands of keys.
     */
    private static int compareNumbers(String x, int from, int to, String y, int yFrom, int yTo) {
        while (from < to - 1 && x.charAt(from) == '0') {
            from++;
        }
        while (yFrom < yTo - 1 && y.charAt(yFrom) == '0') {
            yFrom++;
        }
        int lengths = Integer.compare(to - from, yTo - yFrom);
        if (lengths != 0) {
            return lengths;
        }
        for (; from < to; from++, yFrom++) {
            int c = Character.compare(x.charAt(from), y.charAt(yFrom));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

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
