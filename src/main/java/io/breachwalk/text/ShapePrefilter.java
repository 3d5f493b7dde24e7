package io.breachwalk.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Literal strings of which every match of a token-shape pattern contains one, derived from the pattern's text, so
 * that the {@link Redactor} can skip a pattern when the text contains none of them. A leading {@code \b} in the
 * shapes makes the regex engine try every position of every evidence file; a substring search is far cheaper.
 * <p>
 * The derivation is deliberately narrow: only an optional leading {@code \b}, then either a run of plain characters
 * or a leading group of plain alternatives followed by a run. Anything else (flags, a top-level {@code |}, nested
 * or special groups, quoting, a literal shorter than 2 characters) gets no prefilter, so the pattern always runs: a
 * prefilter that is wrong would let a secret through.
 */
final class ShapePrefilter {

    private static final int MIN_LENGTH = 2;

    private ShapePrefilter() {
    }

    /** The literals one of which every match contains; empty when the pattern's shape is not simple enough. */
    static Optional<List<String>> literals(Pattern pattern) {
        if (pattern.flags() != 0) {
            return Optional.empty();
        }
        String s = pattern.pattern();
        if (!onlySimpleAlternation(s) || hasTopLevelBar(s)) {
            return Optional.empty();
        }
        int pos = s.startsWith("\\b") ? 2 : 0;
        List<String> out = new ArrayList<>();
        if (pos < s.length() && s.charAt(pos) == '(') {
            int close = s.indexOf(')', pos);
            if (close < 0) {
                return Optional.empty();
            }
            String body = s.substring(pos + 1, close);
            for (int i = 0; i < body.length(); i++) {
                char c = body.charAt(i);
                if (c != '|' && !plain(c)) {
                    return Optional.empty(); // a quantifier, class, escape, nested or special group inside
                }
            }
            if (close + 1 < s.length() && quantifier(s.charAt(close + 1))) {
                return Optional.empty(); // the group itself is optional or repeated
            }
            String tail = run(s, close + 1);
            for (String alternative : body.split("\\|", -1)) {
                out.add(alternative + tail);
            }
        } else {
            out.add(run(s, pos));
        }
        for (String literal : out) {
            if (literal.length() < MIN_LENGTH) {
                return Optional.empty();
            }
        }
        return Optional.of(List.copyOf(out));
    }

    /**
     * The plain characters from {@code from} up to the first metacharacter or backslash; a character made optional
     * by {@code ?}, {@code *} or a brace is left out, one repeated by {@code +} kept (it occurs at least once).
     */
    private static String run(String s, int from) {
        StringBuilder run = new StringBuilder();
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!plain(c)) {
                break;
            }
            char next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
            if (next == '?' || next == '*' || next == '{') {
                break;
            }
            run.append(c);
            if (next == '+') {
                break;
            }
        }
        return run.toString();
    }

    private static boolean plain(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' || c == ' ' || c == '"' || c == ':' || c == '/' || c == '=' || c == '@'
                || c == ',';
    }

    private static boolean quantifier(char c) {
        return c == '?' || c == '*' || c == '+' || c == '{';
    }

    /**
     * Whether the pattern is free of constructs that would hide a top-level {@code |} from the scan below: quoting
     * ({@code \Q}), control escapes ({@code \c|}), special groups and inline flags ({@code (?x)} makes {@code #} a
     * comment), and classes that begin with a literal {@code ]} or hold an intersection ({@code &&}).
     */
    private static boolean onlySimpleAlternation(String s) {
        return !s.contains("\\Q") && !s.contains("\\c") && !s.contains("(?") && !s.contains("[]")
                && !s.contains("[^]") && !s.contains("&&");
    }

    /**
     * Whether the pattern has a {@code |} outside every group and class: then a match need not begin with the
     * leading run at all. (The leading group's own alternatives are inside a group.)
     */
    private static boolean hasTopLevelBar(String s) {
        int groupDepth = 0;
        int classDepth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                classDepth++;
            } else if (c == ']' && classDepth > 0) {
                classDepth--;
            } else if (classDepth == 0 && c == '(') {
                groupDepth++;
            } else if (classDepth == 0 && c == ')') {
                groupDepth--;
            } else if (classDepth == 0 && groupDepth == 0 && c == '|') {
                return true;
            }
        }
        return false;
    }
}
