package io.breachwalk.detect.shell;

import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.detect.ScriptMatch;
import io.breachwalk.detect.ShellText;
import io.breachwalk.detect.StepHit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scans the shell text of one step: direct uploader lines, and repository scripts or Makefile targets it calls,
 * followed in the same tree (reported as "possible" with the script's path, since what ran is one step removed).
 * The one shell scanner of the project: the format readers, the GitHub workflow analyzer (for `inspect` and the
 * GitHub walk) and the Jenkinsfile analyzer all use it.
 */
public final class ShellScan {
    private static final int MAX_DEPTH = 3;
    private static final Pattern SCRIPT_REF = Pattern.compile(
            "(?<![\\w$/.-])((?:\\$\\{?[A-Za-z_]+}?[/\\\\])?(?:\\.{1,2}[/\\\\])?[\\w.-]+(?:[/\\\\][\\w.-]+)*\\.(?:sh|bash|py|bat|cmd|ps1|bash))(?![\\w-])"
                    + "|(?<![\\w/.-])(\\./[\\w.-]+(?:/[\\w.-]+)*)");
    private static final Pattern MAKE = Pattern.compile("(?<![\\w-])make\\s+((?:-\\S+\\s+)*)([A-Za-z][\\w.-]*)");
    private static final Pattern LEADING_VAR = Pattern.compile("^\\$\\{?[A-Za-z_]+}?[/\\\\]");

    /**
     * An indicator line found in the scanned text or in a script it calls.
     * @param line     1-based line of the scanned text: the indicator line itself, or the line that calls the script
     * @param text     the indicator line (whitespace folded, clipped)
     * @param script   null when the line is in the scanned text; else the script it calls ("scripts/upload.sh", or
     *                 "Makefile:coverage" for a make target): the how of an affected hit is then "script:" + script
     * @param location for a followed script, where the indicator line is ("scripts/upload.sh:3"); else null
     */
    public record Found(String how, boolean affected, boolean possible, int line, String text, String script,
                        String location) {
        public boolean followed() { return script != null; }
    }

    private final IndicatorMatcher indicators;
    private final FileLookup lookup;

    public ShellScan(IndicatorMatcher indicators, FileLookup lookup) {
        this.indicators = indicators;
        this.lookup = lookup;
    }

    /**
     * The readers' view: one {@link StepHit} per finding, with "file:line text" evidence.
     * @param text       the step's commands
     * @param where      the config file name for evidence
     * @param firstLine  file line of the text's first line
     * @param guard      known environment of the job, to drop branches that cannot run
     */
    public List<StepHit> scan(String text, String where, int firstLine, ShellGuard guard) {
        List<StepHit> out = new ArrayList<>();
        for (Found f : find(text, guard)) {
            String at = where + ":" + (firstLine + f.line() - 1);
            if (!f.followed()) {
                out.add(new StepHit(f.how(), f.affected(), f.possible() ? StepHit.POSSIBLE : StepHit.PROBABLE, at + " " + f.text()));
            } else {
                out.add(new StepHit(f.how(), f.affected(), StepHit.POSSIBLE, f.location() + " " + f.text() + " (called from " + at + ")"));
            }
        }
        return out;
    }

    /** Every indicator line of the text, then those of the scripts and make targets it calls (in the same tree). */
    public List<Found> find(String text, ShellGuard guard) {
        return find(text, guard, 0, new HashSet<>());
    }

    private List<Found> find(String text, ShellGuard guard, int depth, Set<String> seen) {
        List<Found> out = new ArrayList<>();
        if (text == null || text.isBlank()) return out;
        for (ScriptMatch h : indicators.script(text)) {
            if (guard.mayRun(text, h.line())) out.add(new Found(h.how(), h.affected(), h.possible(), h.line(), clip(h.text()), null, null));
        }
        if (depth >= MAX_DEPTH) return out;
        String[] lines = text.split("\\r?\\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String code = ShellText.stripComment(lines[i]);
            if (code.isBlank() || !guard.mayRun(text, i + 1)) continue;
            Matcher m = SCRIPT_REF.matcher(code);
            while (m.find()) {
                String raw = m.group(1) != null ? m.group(1) : m.group(2);
                String path = FileLookup.normalise(LEADING_VAR.matcher(raw).replaceFirst(""));
                if (path == null || path.isEmpty() || !seen.add(path)) continue;
                Optional<String> script = lookup.read(path);
                if (script.isEmpty()) continue;
                for (Found inner : find(script.get(), ShellGuard.unknownEnv(), depth + 1, seen)) {
                    out.add(calledAt(inner, i + 1, path, path + ":" + inner.line()));
                }
            }
            Matcher mk = MAKE.matcher(code);
            while (mk.find()) {
                String target = mk.group(2);
                Optional<String> makefile = lookup.read("Makefile");
                if (makefile.isEmpty() || !seen.add("Makefile:" + target)) continue;
                String recipe = recipe(makefile.get(), target);
                if (recipe.isBlank()) continue;
                for (Found inner : find(recipe, ShellGuard.unknownEnv(), depth + 1, seen)) {
                    out.add(calledAt(inner, i + 1, "Makefile:" + target, "Makefile:" + inner.line() + " (target " + target + ")"));
                }
            }
        }
        return out;
    }

    /** A finding of a called script, seen from the line that calls it; a script called by a script keeps the outer one. */
    private static Found calledAt(Found inner, int callLine, String script, String ownLocation) {
        String location = inner.followed() ? inner.location() : ownLocation;
        String how = inner.affected() ? "script:" + script : inner.how();
        return new Found(how, inner.affected(), true, callLine, inner.text(), script, location);
    }

    /**
     * The recipe lines (tab-indented) of a Makefile target. Every other line of the Makefile stays as an empty line,
     * so that a finding's line number is its line in the Makefile.
     */
    static String recipe(String makefile, String target) {
        StringBuilder sb = new StringBuilder();
        boolean in = false;
        for (String l : makefile.split("\\r?\\n")) {
            if (!l.startsWith("\t") && !l.isBlank()) {
                in = l.matches("^(?:[\\w.%/-]+\\s+)*" + Pattern.quote(target) + "(?:\\s+[\\w.%/-]+)*\\s*::?(?!=).*");
            } else if (in && l.startsWith("\t")) {
                sb.append(l.substring(1).replaceFirst("^[@+-]+", ""));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    public static String clip(String s) {
        String t = s.replaceAll("\\s+", " ").trim();
        return t.length() > 140 ? t.substring(0, 140) + "..." : t;
    }
}
