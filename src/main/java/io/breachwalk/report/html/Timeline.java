package io.breachwalk.report.html;

import io.breachwalk.model.JobFinding;
import io.breachwalk.model.Verdict;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The inline SVG chart: jobs that ran the compromised step per day (UTC) across the window, stacked by provider.
 * Each provider is one `<g class="series" data-provider="...">`, so the chart has one bar series per provider.
 * Long windows are bucketed into several days per bar so that bars stay readable.
 */
final class Timeline {

    static final int WIDTH = 960;
    static final int HEIGHT = 260;
    private static final int LEFT = 44;
    private static final int RIGHT = 8;
    private static final int TOP = 12;
    private static final int BOTTOM = 34;
    /** At most this many bars; a two-year window becomes weekly bars. */
    private static final int MAX_BARS = 92;

    private static final Map<String, String> COLORS = Map.of(
            "github-actions", "#2563eb", "jenkins", "#c2410c", "gitlab-ci", "#7c3aed", "circleci", "#059669",
            "travis-ci", "#b45309", "git", "#475569");
    private static final String[] FALLBACK = {"#0891b2", "#be185d", "#4d7c0f", "#9333ea", "#0f766e"};

    /** Counts per provider (sorted) per bucket; jobs outside the window or without a start time are counted apart. */
    record Data(LocalDate firstDay, int bucketDays, int buckets, Map<String, int[]> counts, int undated, int outside) {
        int total(int bucket) {
            int t = 0;
            for (int[] c : counts.values()) {
                t += c[bucket];
            }
            return t;
        }
    }

    private Timeline() {
    }

    static Data data(List<JobFinding> jobs, Instant since, Instant until) {
        LocalDate first = LocalDate.ofInstant(since, ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(until.minusNanos(1), ZoneOffset.UTC);
        int days = (int) Math.max(1, ChronoUnit.DAYS.between(first, last) + 1);
        int bucketDays = (days + MAX_BARS - 1) / MAX_BARS;
        int buckets = (days + bucketDays - 1) / bucketDays;
        Map<String, int[]> counts = new TreeMap<>();
        int undated = 0;
        int outside = 0;
        for (JobFinding j : jobs) {
            if (j.verdict() != Verdict.RAN) {
                continue;
            }
            if (j.startedAt() == null) {
                undated++;
                continue;
            }
            if (j.startedAt().isBefore(since) || !j.startedAt().isBefore(until)) {
                outside++;
                continue;
            }
            int day = (int) ChronoUnit.DAYS.between(first, LocalDate.ofInstant(j.startedAt(), ZoneOffset.UTC));
            counts.computeIfAbsent(j.provider() == null ? "" : j.provider(), p -> new int[buckets])[day / bucketDays]++;
        }
        return new Data(first, bucketDays, buckets, counts, undated, outside);
    }

    static String color(String provider, int index) {
        String c = COLORS.get(provider);
        return c != null ? c : FALLBACK[index % FALLBACK.length];
    }

    static String svg(Data d) {
        int max = 0;
        for (int i = 0; i < d.buckets(); i++) {
            max = Math.max(max, d.total(i));
        }
        int step = Math.max(1, niceStep(max));
        int top = Math.max(step, ((max + step - 1) / step) * step);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        double barW = plotW / d.buckets();
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH)
                .append(' ').append(HEIGHT).append("\" role=\"img\" aria-labelledby=\"timeline-title\">\n");
        b.append("<title id=\"timeline-title\">Jobs that ran the compromised step per ")
                .append(d.bucketDays() == 1 ? "day" : d.bucketDays() + " days").append(", by provider</title>\n");
        // Horizontal grid lines with their counts.
        b.append("<g class=\"axis\">\n");
        for (int v = 0; v <= top; v += step) {
            double y = TOP + plotH - plotH * v / top;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d</text>%n", LEFT, WIDTH - RIGHT, y, y,
                    LEFT - 6, y + 4, v));
        }
        // Date labels: about ten along the axis.
        int every = Math.max(1, (d.buckets() + 9) / 10);
        for (int i = 0; i < d.buckets(); i += every) {
            LocalDate day = d.firstDay().plusDays((long) i * d.bucketDays());
            double x = LEFT + barW * i + barW / 2;
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x,
                    HEIGHT - BOTTOM + 16, i == 0 ? day.toString() : day.toString().substring(5)));
        }
        b.append("</g>\n");
        // One series per provider, stacked in provider order.
        double[] base = new double[d.buckets()];
        int index = 0;
        for (Map.Entry<String, int[]> e : d.counts().entrySet()) {
            String provider = e.getKey();
            b.append("<g class=\"series\" data-provider=\"").append(Html.text(provider)).append("\" fill=\"")
                    .append(color(provider, index++)).append("\">\n");
            int[] c = e.getValue();
            for (int i = 0; i < d.buckets(); i++) {
                if (c[i] == 0) {
                    continue;
                }
                double h = plotH * c[i] / top;
                double y = TOP + plotH - base[i] - h;
                base[i] += h;
                LocalDate day = d.firstDay().plusDays((long) i * d.bucketDays());
                String when = d.bucketDays() == 1 ? day.toString()
                        : day + " to " + day.plusDays(d.bucketDays() - 1L);
                b.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s %s: %d %s</title></rect>%n",
                        LEFT + barW * i + barW * 0.1, y, Math.max(1, barW * 0.8), h, when, Html.text(provider), c[i],
                        c[i] == 1 ? "job" : "jobs"));
            }
            b.append("</g>\n");
        }
        b.append("</svg>\n");
        return b.toString();
    }

    /** A round step giving at most about five grid lines. */
    private static int niceStep(int max) {
        int raw = (max + 4) / 5;
        int magnitude = 1;
        while (magnitude * 10 <= raw) {
            magnitude *= 10;
        }
        for (int m : new int[]{1, 2, 5, 10}) {
            if (raw <= m * magnitude) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
