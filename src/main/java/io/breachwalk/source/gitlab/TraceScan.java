package io.breachwalk.source.gitlab;

import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.detect.LogMatch;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Hit;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.Job;
import io.breachwalk.source.gitlab.pipeline.GitLabPipelineModel.ScriptLine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a GitLab job trace for the one thing GitLab has no record of: whether the script reached the uploader. The
 * runner echoes every script item before running it (`$ bash <(curl -s https://codecov.io/bash)`, in colour), so an
 * echoed line that is the uploader's item, or that the playbook's script indicators match, shows it was reached; a
 * line the playbook's log indicators match (the uploader's banner) shows it ran. A trace with echoed items and none of
 * those shows the job stopped before the uploader.
 */
final class TraceScan {

    /** What a trace shows: the first line proving the uploader was reached (0: none) and whether items were echoed. */
    record Reading(int line, String text, String how, boolean echoes, int lines) {
        boolean reached() {
            return line > 0;
        }
    }

    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");
    private static final Pattern SECTION = Pattern.compile("section_(start|end):\\d+:[A-Za-z0-9_.\\-\\[\\]=,]+\\r?");
    private static final int MAX_LINE = 8192;

    private TraceScan() { }

    /** The trace line by line, without colours and section markers. */
    static List<String> lines(String trace) {
        List<String> out = new ArrayList<>();
        for (String raw : trace.split("\n", -1)) {
            String l = raw.length() > MAX_LINE ? raw.substring(0, MAX_LINE) : raw;
            l = SECTION.matcher(ANSI.matcher(l).replaceAll("")).replaceAll("");
            int cr = l.lastIndexOf('\r', l.length() - 2);
            if (cr >= 0) l = l.substring(cr + 1); // a progress line redrawn in place: its last state
            out.add(l.replace("\r", ""));
        }
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) out.remove(out.size() - 1);
        return out;
    }

    /** Reads a trace against the configuration's job (null when the configuration could not be read). */
    static Reading read(String trace, Job job, IndicatorMatcher matcher) {
        Set<String> uploaderItems = new LinkedHashSet<>();
        if (job != null) {
            for (Hit h : job.hits()) {
                if (!h.affected()) continue;
                job.scriptOf(h).map(ScriptLine::text).map(TraceScan::firstLine).filter(s -> !s.isEmpty())
                        .ifPresent(uploaderItems::add);
            }
        }
        List<String> lines = lines(trace);
        boolean echoes = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            String t = l.trim();
            if (t.startsWith("$ ")) {
                echoes = true;
                String cmd = t.substring(2).trim();
                for (String item : uploaderItems) {
                    if (cmd.equals(item) || cmd.startsWith(item + " # collapsed")) {
                        return new Reading(i + 1, t, "script item reached", true, lines.size());
                    }
                }
                if (!matcher.affectedScript(cmd).isEmpty()) {
                    return new Reading(i + 1, t, "script item reached", true, lines.size());
                }
                continue;
            }
            LogMatch m = matcher.log(l).orElse(null);
            if (m != null && m.provesRan()) {
                return new Reading(i + 1, m.text(), "log " + m.indicator(), echoes, lines.size());
            }
        }
        return new Reading(0, null, null, echoes, lines.size());
    }

    static String firstLine(String text) {
        String t = text.strip();
        int nl = t.indexOf('\n');
        return (nl < 0 ? t : t.substring(0, nl)).strip();
    }
}
