package io.breachwalk.detect.config;

import io.breachwalk.detect.IndicatorMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Interim reader for Jenkinsfiles (declarative and scripted) until io.breachwalk.source.jenkins.JenkinsfileAnalyzer
 * is on main; it is meant to become an adapter over that analyzer's static entry point (path, text, file lookup).
 * A Jenkinsfile is one job. Credentials bound around the uploader (withCredentials, environment credentials()) are
 * STEP; credentials bound elsewhere in the build are JOB.
 */
public final class JenkinsfileReader implements ConfigReader {
    private static final Pattern CRED_ID = Pattern.compile("credentialsId\\s*:\\s*['\"]([^'\"]+)['\"]");
    private static final Pattern ENV_CRED = Pattern.compile("credentials\\(\\s*['\"]([^'\"]+)['\"]\\s*\\)");

    @Override public String provider() { return "jenkins"; }

    @Override
    public boolean conventionalPath(String p) {
        String base = p.substring(p.lastIndexOf('/') + 1);
        return base.equals("Jenkinsfile") || base.startsWith("Jenkinsfile.") || base.endsWith(".Jenkinsfile") || base.endsWith(".jenkinsfile");
    }

    @Override
    public boolean looksLike(String text, YNode y) {
        if (y != null && (y.isMap() || y.isSeq())) return false;
        return text.matches("(?s).*\\bpipeline\\s*\\{.*\\bstages?\\s*[({].*")
                || text.matches("(?s).*\\bnode\\s*(\\([^)]*\\))?\\s*\\{.*")
                || text.matches("(?s).*\\b(buildPlugin|withCredentials|stage\\s*\\()\\b?.*") && text.contains("(");
    }

    @Override
    public List<JobReport> read(CiFile file, FileLookup lookup, IndicatorMatcher ind) {
        String text = blankBlockComments(file.text());
        JobResult r = new JobResult(file.displayPath(), provider(), "pipeline");
        List<StepHit> hits = new ShellScan(ind, lookup).scan(text, file.displayPath(), 1, ShellGuard.unknownEnv());
        r.hits(hits);
        String[] lines = text.split("\\r?\\n", -1);
        List<int[]> hitLines = new ArrayList<>();
        for (StepHit h : hits) {
            if (!h.affected()) continue;
            Matcher m = Pattern.compile(Pattern.quote(file.displayPath()) + ":(\\d+)").matcher(h.evidence());
            if (m.find()) hitLines.add(new int[] {Integer.parseInt(m.group(1))});
        }
        Set<String> step = new LinkedHashSet<>();
        Set<String> job = new LinkedHashSet<>();
        for (int i = 0; i < lines.length; i++) {
            List<String> ids = new ArrayList<>();
            int[] span = null;
            if (lines[i].contains("withCredentials")) {
                Matcher m = CRED_ID.matcher(argsFrom(lines, i));
                while (m.find()) ids.add(m.group(1));
                span = blockSpan(lines, i);
            }
            Matcher ec = ENV_CRED.matcher(lines[i]);
            while (ec.find()) ids.add(ec.group(1));
            if (ids.isEmpty()) continue;
            if (span == null) span = enclosingEnvironmentOwner(lines, i);
            for (String id : ids) {
                final int[] s = span;
                boolean covers = hitLines.stream().anyMatch(h -> h[0] - 1 >= s[0] && h[0] - 1 <= s[1]);
                (covers ? step : job).add(id);
            }
        }
        return List.of(r.stepSecrets(step).jobSecrets(job).report());
    }

    private static String blankBlockComments(String t) {
        StringBuilder sb = new StringBuilder(t);
        int start;
        int from = 0;
        while ((start = sb.indexOf("/*", from)) >= 0) {
            int end = sb.indexOf("*/", start + 2);
            if (end < 0) end = sb.length() - 2;
            for (int i = start; i < end + 2 && i < sb.length(); i++) if (sb.charAt(i) != '\n') sb.setCharAt(i, ' ');
            from = end + 2;
        }
        return sb.toString();
    }

    /** The text from line i up to the first '{' (the arguments of withCredentials). */
    private static String argsFrom(String[] lines, int i) {
        StringBuilder sb = new StringBuilder();
        for (int j = i; j < lines.length && j < i + 20; j++) {
            int b = lines[j].indexOf('{', j == i ? lines[j].indexOf("withCredentials") : 0);
            if (b >= 0) return sb.append(lines[j], 0, b).toString();
            sb.append(lines[j]).append('\n');
        }
        return sb.toString();
    }

    /** Lines [start, end] of the brace block that opens on or after line i. */
    static int[] blockSpan(String[] lines, int i) {
        int depth = 0;
        boolean opened = false;
        for (int j = i; j < lines.length; j++) {
            for (char c : lines[j].toCharArray()) {
                if (c == '{') { depth++; opened = true; }
                else if (c == '}') depth--;
                if (opened && depth == 0) return new int[] {i, j};
            }
        }
        return new int[] {i, lines.length - 1};
    }

    /** An environment { } block applies to the block that contains it (a stage, or the whole pipeline). */
    private static int[] enclosingEnvironmentOwner(String[] lines, int i) {
        int depth = 0;
        for (int j = i; j >= 0; j--) {
            String l = lines[j];
            for (int k = l.length() - 1; k >= 0; k--) {
                char c = l.charAt(k);
                if (c == '}') depth++;
                else if (c == '{') {
                    if (depth == 0) {
                        if (!l.contains("environment")) return blockSpan(lines, j);
                    } else {
                        depth--;
                    }
                }
            }
        }
        return new int[] {0, lines.length - 1};
    }
}
