package io.breachwalk.detect.shell;

import io.breachwalk.detect.ShellText;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a line of a shell script sits in a branch that cannot run for a job, e.g. the uploader inside
 * {@code if [[ "${COVERAGE}" == "1" ]]} in a matrix job that never sets COVERAGE. Only simple tests on variables the
 * configuration itself controls are evaluated; anything else counts as "may run".
 */
public final class ShellGuard {
    enum Tri { TRUE, FALSE, UNKNOWN }

    private final Map<String, String> known;
    private final Set<String> controlled;

    /**
     * @param known      variable values this job sets
     * @param controlled variables some job of the same file sets: unset here means empty, not unknown
     */
    public ShellGuard(Map<String, String> known, Set<String> controlled) {
        this.known = known;
        this.controlled = controlled;
    }

    public static ShellGuard unknownEnv() { return new ShellGuard(Map.of(), Set.of()); }

    private record Frame(Tri cond, boolean inElse, boolean anyEarlierTrue) { }

    private static final Pattern IF = Pattern.compile("^\\s*(if|elif)\\s+(.*?)(;\\s*then\\b.*)?$");

    /** False when the 1-based line of the text cannot run under the known environment. */
    public boolean mayRun(String text, int line) {
        String[] lines = text.split("\\r?\\n", -1);
        Deque<Frame> stack = new ArrayDeque<>();
        for (int i = 0; i < Math.min(line - 1, lines.length); i++) {
            String t = ShellText.stripComment(lines[i]).trim();
            Matcher m = IF.matcher(t);
            if (m.matches() && m.group(1).equals("if")) {
                if (t.matches(".*\\bfi\\s*;?$")) continue; // one-line if ... fi
                stack.push(new Frame(eval(m.group(2)), false, false));
            } else if (m.matches() && !stack.isEmpty()) {
                Frame f = stack.pop();
                stack.push(new Frame(eval(m.group(2)), false, f.anyEarlierTrue || f.cond == Tri.TRUE));
            } else if (t.equals("else") && !stack.isEmpty()) {
                Frame f = stack.pop();
                stack.push(new Frame(f.cond, true, f.anyEarlierTrue));
            } else if ((t.equals("fi") || t.startsWith("fi;") || t.startsWith("fi ")) && !stack.isEmpty()) {
                stack.pop();
            }
        }
        for (Frame f : stack) {
            if (!f.inElse && (f.cond == Tri.FALSE || f.anyEarlierTrue)) return false;
            if (f.inElse && (f.cond == Tri.TRUE || f.anyEarlierTrue)) return false;
        }
        return true;
    }

    private static final Pattern TEST = Pattern.compile("\\[\\[?\\s*(.*?)\\s*]]?");

    Tri eval(String cond) {
        String c = cond.trim();
        if (c.contains("||") || c.contains("(") ) return Tri.UNKNOWN;
        Tri result = Tri.TRUE;
        for (String part : c.split("&&")) {
            Matcher m = TEST.matcher(part.trim());
            if (!m.matches()) return Tri.UNKNOWN;
            Tri t = evalTest(m.group(1));
            if (t == Tri.FALSE) return Tri.FALSE;
            if (t == Tri.UNKNOWN) result = Tri.UNKNOWN;
        }
        return result;
    }

    private Tri evalTest(String test) {
        String[] w = test.trim().split("\\s+");
        if (w.length == 2 && (w[0].equals("-z") || w[0].equals("-n"))) {
            String v = value(w[1]);
            if (v == null) return Tri.UNKNOWN;
            return (v.isEmpty() == w[0].equals("-z")) ? Tri.TRUE : Tri.FALSE;
        }
        if (w.length != 3) return Tri.UNKNOWN;
        String a = value(w[0]);
        String b = value(w[2]);
        if (a == null || b == null || b.contains("*") || b.contains("?")) return Tri.UNKNOWN;
        return switch (w[1]) {
            case "=", "==" -> a.equals(b) ? Tri.TRUE : Tri.FALSE;
            case "!=" -> a.equals(b) ? Tri.FALSE : Tri.TRUE;
            case "-eq", "-ne" -> {
                try {
                    boolean eq = Long.parseLong(a.isEmpty() ? "0" : a) == Long.parseLong(b.isEmpty() ? "0" : b);
                    yield eq == w[1].equals("-eq") ? Tri.TRUE : Tri.FALSE;
                } catch (NumberFormatException e) {
                    yield Tri.UNKNOWN;
                }
            }
            default -> Tri.UNKNOWN;
        };
    }

    private static final Pattern VAR = Pattern.compile("^\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?$");

    /** The operand's value, or null when it depends on something not known. */
    private String value(String operand) {
        String o = operand;
        if (o.length() >= 2 && (o.startsWith("\"") && o.endsWith("\"") || o.startsWith("'") && o.endsWith("'"))) {
            o = o.substring(1, o.length() - 1);
        }
        Matcher m = VAR.matcher(o);
        if (m.matches()) {
            String name = m.group(1);
            if (known.containsKey(name)) return known.get(name);
            return controlled.contains(name) ? "" : null;
        }
        return o.contains("$") || o.contains("`") ? null : o;
    }
}
