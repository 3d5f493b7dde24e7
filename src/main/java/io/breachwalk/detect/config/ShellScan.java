package io.breachwalk.detect.config;

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
 */
public final class ShellScan {
    private static final int MAX_DEPTH = 3;
    private static final Pattern SCRIPT_REF = Pattern.compile(
            "(?<![\\w$/.-])((?:\\$\\{?[A-Za-z_]+}?[/\\\\])?(?:\\.{1,2}[/\\\\])?[\\w.-]+(?:[/\\\\][\\w.-]+)*\\.(?:sh|bash|py|bat|cmd|ps1|bash))(?![\\w-])"
                    + "|(?<![\\w/.-])(\\./[\\w.-]+(?:/[\\w.-]+)*)");
    private static final Pattern MAKE = Pattern.compile("(?<![\\w-])make\\s+((?:-\\S+\\s+)*)([A-Za-z][\\w.-]*)");
    private static final Pattern LEADING_VAR = Pattern.compile("^\\$\\{?[A-Za-z_]+}?[/\\\\]");

    private final Indicators indicators;
    private final FileLookup lookup;

    public ShellScan(Indicators indicators, FileLookup lookup) {
        this.indicators = indicators;
        this.lookup = lookup;
    }

    /**
     * @param text       the step's commands
     * @param where      the config file name for evidence
     * @param firstLine  file line of the text's first line
     * @param guard      known environment of the job, to drop branches that cannot run
     */
    public List<StepHit> scan(String text, String where, int firstLine, ShellGuard guard) {
        return scan(text, where, firstLine, guard, 0, new HashSet<>(), null);
    }

    private List<StepHit> scan(String text, String where, int firstLine, ShellGuard guard, int depth, Set<String> seen,
                               String viaScript) {
        List<StepHit> out = new ArrayList<>();
        if (text == null || text.isBlank()) return out;
        for (Indicators.ScriptHit h : indicators.script(text)) {
            if (!guard.mayRun(text, h.line())) continue;
            String ev = where + ":" + (firstLine + h.line() - 1) + " " + clip(h.text());
            if (viaScript == null) out.add(new StepHit(h.how(), h.affected(), h.possible() ? StepHit.POSSIBLE : StepHit.PROBABLE, ev));
            else out.add(new StepHit(h.affected() ? "script:" + viaScript : h.how(), h.affected(), StepHit.POSSIBLE, ev));
        }
        if (depth >= MAX_DEPTH) return out;
        String[] lines = text.split("\\r?\\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String code = ShellText.stripComment(lines[i]);
            if (code.isBlank() || !guard.mayRun(text, i + 1)) continue;
            String refWhere = where + ":" + (firstLine + i);
            Matcher m = SCRIPT_REF.matcher(code);
            while (m.find()) {
                String raw = m.group(1) != null ? m.group(1) : m.group(2);
                String path = FileLookup.normalise(LEADING_VAR.matcher(raw).replaceFirst(""));
                if (path == null || path.isEmpty() || !seen.add(path)) continue;
                Optional<String> script = lookup.read(path);
                if (script.isEmpty()) continue;
                List<StepHit> inner = scan(script.get(), path, 1, ShellGuard.unknownEnv(), depth + 1, seen,
                        viaScript == null ? path : viaScript);
                for (StepHit h : inner) out.add(new StepHit(h.how(), h.affected(), StepHit.POSSIBLE,
                        h.evidence() + " (called from " + refWhere + ")"));
            }
            Matcher mk = MAKE.matcher(code);
            while (mk.find()) {
                String target = mk.group(2);
                Optional<String> makefile = lookup.read("Makefile");
                if (makefile.isEmpty() || !seen.add("Makefile:" + target)) continue;
                String recipe = recipe(makefile.get(), target);
                if (recipe.isEmpty()) continue;
                String name = "Makefile target " + target;
                List<StepHit> inner = scan(recipe, "Makefile", 1, ShellGuard.unknownEnv(), depth + 1, seen,
                        viaScript == null ? "Makefile:" + target : viaScript);
                for (StepHit h : inner) out.add(new StepHit(h.how(), h.affected(), StepHit.POSSIBLE,
                        name + ": " + h.evidence() + " (called from " + refWhere + ")"));
            }
        }
        return out;
    }

    /** The recipe lines (tab-indented) of a Makefile target. */
    static String recipe(String makefile, String target) {
        StringBuilder sb = new StringBuilder();
        boolean in = false;
        for (String l : makefile.split("\\r?\\n")) {
            if (!l.startsWith("\t") && !l.isBlank()) in = l.matches("^(?:[\\w.%/-]+\\s+)*" + Pattern.quote(target) + "(?:\\s+[\\w.%/-]+)*\\s*::?(?!=).*");
            else if (in && l.startsWith("\t")) sb.append(l.substring(1).replaceFirst("^[@+-]+", "")).append('\n');
        }
        return sb.toString();
    }

    static String clip(String s) {
        String t = s.replaceAll("\\s+", " ").trim();
        return t.length() > 140 ? t.substring(0, 140) + "..." : t;
    }
}
