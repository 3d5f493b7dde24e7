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

    /**
     * A repository script the text calls that the tree does not hold: what it runs cannot be told.
     * @param line   1-based line of the scanned text that calls it
     * @param script the script's repository path ("scripts/upload-coverage.sh")
     * @param via    for a script called by a present script, that script's path; else null
     */
    public record Missing(int line, String script, String via) {
        /** The finding that says so, at {@code at} ("ci.yml:12"): a {@link #MISSING_HOW} hit, neither use nor clean. */
        public StepHit hit(String at) {
            return new StepHit(MISSING_HOW + script, false, "", missingEvidence(at, this));
        }
    }

    /**
     * The how of the {@link StepHit} that {@link #scan} adds for a {@link Missing} script, followed by its path:
     * {@code inspect} turns a job whose only findings are these into an `unknown` verdict.
     */
    public static final String MISSING_HOW = "missing-script:";

    /** Entry points that build tools generate or that are standard, not where a project uploads coverage. */
    private static final Set<String> NOT_PROJECT_SCRIPTS = Set.of("configure", "gradlew", "gradlew.bat", "mvnw", "mvnw.cmd",
            "setup.py", "manage.py", "waf", "autogen.sh", "bootstrap.sh", "config.status", "conftest.py");
    /** Folders that installs and builds fill, not the repository: node_modules/.bin/codecov is the npm package. */
    private static final Pattern BUILT = Pattern.compile("^(?:node_modules|vendor|build|dist|target|\\.tox|\\.?venv|env)/");
    /** Leading variables that name the checkout itself, so that "$GITHUB_WORKSPACE/scripts/x.sh" is a repository path. */
    private static final Pattern WORKSPACE_VAR = Pattern.compile("^\\$\\{?(GITHUB_WORKSPACE|TRAVIS_BUILD_DIR|CI_PROJECT_DIR|"
            + "BUILD_SOURCESDIRECTORY|BUILD_REPOSITORY_LOCALPATH|SYSTEM_DEFAULTWORKINGDIRECTORY|WORKSPACE|PWD|"
            + "CIRCLE_WORKING_DIRECTORY|APPVEYOR_BUILD_FOLDER|BITBUCKET_CLONE_DIR|BUILDKITE_BUILD_CHECKOUT_PATH|"
            + "BITRISE_SOURCE_DIR)}?[/\\\\]");
    /** Words after which the next word is run: interpreters, `source`, `.`, shell keywords and wrappers. */
    private static final Set<String> RUNNERS = Set.of("bash", "sh", "zsh", "ksh", "dash", "source", ".", "python", "python2",
            "python3", "py", "pwsh", "powershell", "powershell.exe", "pwsh.exe", "call", "node", "ruby", "perl", "then", "do",
            "else", "sudo", "exec", "time", "xvfb-run", "travis_retry", "travis_wait", "nohup", "env");
    private static final Pattern ASSIGNMENT = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*=\\S*$");
    private static final Pattern CREATES = Pattern.compile("\\b(curl|wget|Invoke-WebRequest|iwr|tee|cp|mv|ln|unzip|tar)\\b|>");
    private static final Pattern CD = Pattern.compile("(?m)(?:^\\s*|[;&|]\\s*|\\bthen\\s+|\\bdo\\s+)cd\\s+([\\w./-]+)");

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
        List<Missing> missing = new ArrayList<>();
        for (Found f : find(text, guard, 0, new HashSet<>(), missing)) {
            String at = where + ":" + (firstLine + f.line() - 1);
            if (!f.followed()) {
                out.add(new StepHit(f.how(), f.affected(), f.possible() ? StepHit.POSSIBLE : StepHit.PROBABLE, at + " " + f.text()));
            } else {
                out.add(new StepHit(f.how(), f.affected(), StepHit.POSSIBLE, f.location() + " " + f.text() + " (called from " + at + ")"));
            }
        }
        for (Missing m : missing) {
            out.add(m.hit(where + ":" + (firstLine + m.line() - 1)));
        }
        return out;
    }

    /** "ci.yml:12 calls scripts/upload.sh, not found here: cannot tell" (with the calling script when nested). */
    public static String missingEvidence(String at, Missing m) {
        return at + " calls " + (m.via() == null ? "" : m.via() + ", which calls ") + m.script() + ", not found here: cannot tell";
    }

    /**
     * The repository scripts the text calls (a script path in command position: `./x.sh`, `bash x.sh`,
     * `python ci/upload.py`) that the tree does not hold, directly or from a script it calls. Nothing is missing when
     * there is no tree to look in ({@link FileLookup#NONE}), for standard build entry points (`./configure`,
     * `./gradlew`, `setup.py`), or for a script the same text downloads or writes.
     */
    public List<Missing> missing(String text, ShellGuard guard) {
        List<Missing> out = new ArrayList<>();
        find(text, guard, 0, new HashSet<>(), out);
        return out;
    }
    /** Every indicator line of the text, then those of the scripts and make targets it calls (in the same tree). */
    public List<Found> find(String text, ShellGuard guard) {
        return find(text, guard, 0, new HashSet<>(), new ArrayList<>());
    }

    private List<Found> find(String text, ShellGuard guard, int depth, Set<String> seen, List<Missing> missing) {
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
                if (script.isEmpty()) {
                    if (isMissing(text, code, m.start(), raw, path)) missing.add(new Missing(i + 1, path, null));
                    continue;
                }
                List<Missing> innerMissing = new ArrayList<>();
                for (Found inner : find(script.get(), ShellGuard.unknownEnv(), depth + 1, seen, innerMissing)) {
                    out.add(calledAt(inner, i + 1, path, path + ":" + inner.line()));
                }
                for (Missing im : innerMissing) missing.add(new Missing(i + 1, im.script(), im.via() != null ? im.via() : path));
            }
            Matcher mk = MAKE.matcher(code);
            while (mk.find()) {
                String target = mk.group(2);
                Optional<String> makefile = lookup.read("Makefile");
                if (makefile.isEmpty() || !seen.add("Makefile:" + target)) continue;
                String recipe = recipe(makefile.get(), target);
                if (recipe.isBlank()) continue;
                List<Missing> innerMissing = new ArrayList<>();
                for (Found inner : find(recipe, ShellGuard.unknownEnv(), depth + 1, seen, innerMissing)) {
                    out.add(calledAt(inner, i + 1, "Makefile:" + target, "Makefile:" + inner.line() + " (target " + target + ")"));
                }
                for (Missing im : innerMissing) missing.add(new Missing(i + 1, im.script(), im.via() != null ? im.via() : "Makefile:" + target));
            }
        }
        return out;
    }

    /**
     * True when a script reference the tree does not hold is a call of a repository script whose content decides the
     * verdict: in command position, not a standard entry point, not made by the same text, not under a `cd` folder
     * that holds it.
     */
    private boolean isMissing(String text, String code, int start, String raw, String path) {
        if (lookup == FileLookup.NONE) return false;
        if (LEADING_VAR.matcher(raw).find() && !WORKSPACE_VAR.matcher(raw).find()) return false;
        String base = path.substring(path.lastIndexOf('/') + 1);
        if (NOT_PROJECT_SCRIPTS.contains(base.toLowerCase()) || BUILT.matcher(path).find()) return false;
        String before = code.substring(0, start);
        if (before.lastIndexOf("${{") > before.lastIndexOf("}}")) return false; // ${{ env.py }} is an expression
        if (!inCommandPosition(before)) return false;
        for (String l : text.split("\\r?\\n")) {
            if (l.contains(base) && CREATES.matcher(l.replace(raw, "")).find()) return false;
        }
        Matcher cd = CD.matcher(text);
        while (cd.find()) {
            String dir = FileLookup.normalise(cd.group(1));
            if (dir != null && !dir.isEmpty() && lookup.read(dir + "/" + path).isPresent()) return false;
        }
        return true;
    }

    /** True when what precedes a word on its line makes that word the command run (or the script an interpreter runs). */
    static boolean inCommandPosition(String before) {
        String b = before.strip();
        if (b.endsWith("'") || b.endsWith("\"")) b = b.substring(0, b.length() - 1).strip(); // bash -c './x.sh'
        if (b.isEmpty() || b.endsWith(";") || b.endsWith("&&") || b.endsWith("||") || b.endsWith("|") || b.endsWith("(")
                || b.endsWith("`") || b.endsWith("{")) {
            return true;
        }
        String[] words = b.split("\\s+");
        int i = words.length - 1;
        while (i >= 0 && (words[i].startsWith("-") || words[i].startsWith("/") && words[i].length() <= 3)) i--;
        while (i >= 0 && ASSIGNMENT.matcher(words[i]).matches()) i--;
        if (i < 0) return true;
        String w = words[i].replaceAll("^.*/", "").toLowerCase();
        return RUNNERS.contains(w) || w.equals("cmd") || w.equals("cmd.exe");
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
