package io.breachwalk.source.jenkins;

import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.detect.LogMatch;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One pass over a console log, line by line as it arrives: at most one line (cut at 8 KiB) is held at a time, so a
 * multi-megabyte log costs no more memory than a short one. Tracks the pipeline stage from the
 * {@code [Pipeline] { (Name)} markers so that evidence can name the stage.
 */
final class ConsoleScan {

    /** A line that shows the uploader ran, with the stage it ran in (null outside stages or in freestyle logs). */
    record Hit(long line, String text, String indicator, String stage) { }

    /**
     * {@code kept}: the log as stored for evidence (null when not asked for); {@code complete} false when it is an
     * excerpt (a log over {@link #KEEP_WHOLE}: other lines blanked, numbering kept).
     */
    record Result(long lines, List<Hit> hits, Set<String> stages, String kept, boolean complete) {
        Hit first() { return hits.isEmpty() ? null : hits.get(0); }
    }

    /** A console log up to this many characters is kept whole as evidence; beyond, the lines that matter. */
    static final int KEEP_WHOLE = 4 * 1024 * 1024;
    private static final int KEEP_MAX = 2 * KEEP_WHOLE;

    private static final int MAX_LINE = 8192;
    private static final int MAX_HITS = 20;

    private ConsoleScan() { }

    static Result scan(InputStream in, IndicatorMatcher matcher) throws IOException {
        return scan(in, matcher, false);
    }

    /** Scans, keeping the log for evidence when {@code keep}. */
    static Result scan(InputStream in, IndicatorMatcher matcher, boolean keep) throws IOException {
        Keeper keeper = keep ? new Keeper(matcher) : null;
        Reader r = new InputStreamReader(in, StandardCharsets.UTF_8);
        StringBuilder line = new StringBuilder();
        Deque<String> stages = new ArrayDeque<>();
        Set<String> seen = new LinkedHashSet<>();
        List<Hit> hits = new ArrayList<>();
        long n = 0;
        char[] buf = new char[8192];
        for (int got; (got = r.read(buf)) >= 0; ) {
            for (int i = 0; i < got; i++) {
                char c = buf[i];
                if (c == '\n') {
                    n++;
                    onLine(line.toString(), n, matcher, stages, seen, hits);
                    if (keeper != null) keeper.add(line);
                    line.setLength(0);
                } else if (line.length() < MAX_LINE && c != '\r') {
                    line.append(c);
                }
            }
        }
        if (line.length() > 0) {
            n++;
            onLine(line.toString(), n, matcher, stages, seen, hits);
            if (keeper != null) keeper.add(line);
        }
        return new Result(n, hits, seen, keeper == null ? null : keeper.text.toString(),
                keeper == null || keeper.complete);
    }

    /**
     * Builds the evidence copy while the log streams past: whole up to {@link #KEEP_WHOLE}; after that only the
     * lines a playbook could read (stage markers, codecov, matcher hits) and an empty line for each other one, so
     * that `consoleText line N` still points at line N; nothing more past {@link #KEEP_MAX}.
     */
    private static final class Keeper {
        final IndicatorMatcher matcher;
        final StringBuilder text = new StringBuilder();
        boolean complete = true;

        Keeper(IndicatorMatcher matcher) { this.matcher = matcher; }

        void add(CharSequence line) {
            if (text.length() > KEEP_MAX) return;
            if (complete && text.length() + line.length() > KEEP_WHOLE) {
                complete = false;
                String[] before = text.toString().split("\n", -1);
                text.setLength(0);
                for (int i = 0; i < before.length - 1; i++) text.append(matters(before[i]) ? before[i] : "").append('\n');
            }
            String l = line.toString();
            text.append(complete || matters(l) ? l : "").append('\n');
        }

        private boolean matters(String l) {
            return l.startsWith("[Pipeline]") || l.toLowerCase(java.util.Locale.ROOT).contains("codecov")
                    || matcher.log(l).isPresent();
        }
    }

    private static void onLine(String line, long n, IndicatorMatcher matcher, Deque<String> stages, Set<String> seen,
                               List<Hit> hits) {
        if (line.startsWith("[Pipeline] { (")) {
            String name = line.substring("[Pipeline] { (".length());
            if (name.endsWith(")")) name = name.substring(0, name.length() - 1);
            if (name.startsWith("Branch: ")) name = name.substring("Branch: ".length());
            stages.push(name);
            seen.add(name);
            return;
        }
        if (line.startsWith("[Pipeline] // stage") || line.startsWith("[Pipeline] // parallel")) {
            if (!stages.isEmpty()) stages.pop();
            return;
        }
        if (hits.size() >= MAX_HITS) return;
        LogMatch m = matcher.log(line).orElse(null);
        if (m != null && m.provesRan()) {
            hits.add(new Hit(n, m.text(), m.indicator(), stages.peek()));
        }
    }
}
