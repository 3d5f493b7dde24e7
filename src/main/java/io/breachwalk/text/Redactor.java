package io.breachwalk.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Last line of defence for secrets hygiene: removes the credentials breachwalk was given (from its environment) and
 * anything shaped like a known token from text before it reaches a report, stderr or a log line.
 */
public final class Redactor {

    private static final Pattern AUTH_HEADER = Pattern.compile("(?i)(authorization\\s*[:=]\\s*)(bearer|token|basic)?\\s*[^\\s,;\"']+");
    private static final Pattern URL_USERINFO = Pattern.compile("(?i)\\b(https?://)([^/@\\s:]+):([^/@\\s]+)@");

    private final List<String> literals;
    private final List<Shape> shapes;

    /** A token shape and the literals one of which each of its matches contains; null: none known, always run. */
    private record Shape(Pattern pattern, List<String> needles) {
        boolean mayMatch(String text) {
            if (needles == null) {
                return true;
            }
            for (String needle : needles) {
                if (text.contains(needle)) {
                    return true;
                }
            }
            return false;
        }
    }

    public Redactor(List<String> literals, List<Pattern> shapes) {
        this.literals = new ArrayList<>(literals.stream().filter(v -> v != null && v.length() >= 6).toList());
        this.literals.sort(Comparator.comparingInt(String::length).reversed());
        this.shapes = shapes.stream()
                .map(p -> new Shape(p, ShapePrefilter.literals(p).orElse(null)))
                .toList();
    }

    /**
     * The values of these credential variables (each provider names its own) in this environment, plus the given
     * token shapes (the bundled secret types' value patterns: the caller passes them so that text stays a leaf).
     */
    public static Redactor forEnvironment(Map<String, String> env, List<String> credentialVariables,
                                          List<Pattern> shapes) {
        List<String> values = new ArrayList<>();
        for (String name : credentialVariables) {
            String v = env.get(name);
            if (v != null) {
                values.add(v);
            }
        }
        return new Redactor(values, shapes);
    }

    public static Redactor none() {
        return new Redactor(List.of(), List.of());
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String literal : literals) {
            out = out.replace(literal, "[REDACTED]");
        }
        // Each prefilter tests the text as the previous replacements left it, which is what its pattern sees.
        if (containsIgnoreCase(out, "authorization")) {
            out = AUTH_HEADER.matcher(out).replaceAll("$1[REDACTED]");
        }
        if (mayHaveUserinfo(out)) {
            out = redactUserinfo(out);
        }
        for (Shape shape : shapes) {
            if (shape.mayMatch(out)) {
                out = shape.pattern().matcher(out).replaceAll("[REDACTED]");
            }
        }
        return out;
    }

    /**
     * Whether {@code needle} (lower case, starting with an ASCII letter) occurs ignoring case. Its first letter is
     * matched in ASCII only, as the pattern's {@code (?i)} does; {@code regionMatches(true, ...)} also equates some
     * non-ASCII letters with ASCII ones: a superset of the pattern's matches, which is what a prefilter may be.
     */
    static boolean containsIgnoreCase(String text, String needle) {
        char first = needle.charAt(0);
        int last = text.length() - needle.length();
        for (int i = 0; i <= last; i++) {
            if ((text.charAt(i) | 0x20) == first && text.regionMatches(true, i, needle, 0, needle.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code URL_USERINFO.matcher(text).replaceAll(...)} with the password replaced, but trying the pattern only
     * where a match can begin (at an "http" in any case), instead of at every position: evidence is full of URLs and
     * e-mail addresses, so the cheap prefilter alone rarely skips this pattern. Each try is the match a
     * {@code find()} would make there: transparent bounds let the leading {@code \b} see the character before it,
     * and the next search starts where the previous match ended, as {@code replaceAll} does.
     */
    private static String redactUserinfo(String text) {
        Matcher m = null;
        int n = text.length();
        StringBuilder out = null;
        int copied = 0;
        int from = 0;
        for (int at = nextHttp(text, from); at >= 0; at = nextHttp(text, from)) {
            if (!userinfoMayFollow(text, at)) {
                from = at + 1;
                continue;
            }
            if (m == null) {
                m = URL_USERINFO.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
            }
            m.region(at, n);
            if (m.lookingAt()) {
                if (out == null) {
                    out = new StringBuilder(n + 16);
                }
                out.append(text, copied, at).append(m.group(1)).append(m.group(2)).append(":[REDACTED]@");
                copied = m.end();
                from = m.end(); // never equal to at: a match holds at least "http://"
            } else {
                from = at + 1;
            }
        }
        return out == null ? text : out.append(text, copied, n).toString();
    }

    /**
     * The first index from {@code from} where "http" starts ignoring case: ASCII case as the pattern's {@code (?i)},
     * plus what {@code regionMatches(true, ...)} equates, a superset, so no possible match start is passed over.
     */
    private static int nextHttp(String text, int from) {
        int last = text.length() - 4;
        for (int i = from; i <= last; i++) {
            if ((text.charAt(i) | 0x20) == 'h' && text.regionMatches(true, i, "http", 0, 4)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether the text at {@code at} ("http" in some case) goes on as {@code s?://} and then a non-empty name ending
     * in ':' before any '/' or '@', as every match of the pattern does; looser than the pattern (whitespace is not
     * checked), so it only saves the pattern the work of failing at an ordinary URL.
     */
    private static boolean userinfoMayFollow(String text, int at) {
        int k = at + 4;
        if (text.regionMatches(true, k, "s", 0, 1)) {
            k++;
        }
        if (!text.startsWith("://", k)) {
            return false;
        }
        int start = k + 3;
        for (int j = start; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c == ':') {
                return j > start;
            }
            if (c == '/' || c == '@') {
                return false;
            }
        }
        return false;
    }

    /** A URL with user info has a "://" and, after it, an '@'. */
    private static boolean mayHaveUserinfo(String text) {
        int scheme = text.indexOf("://");
        return scheme >= 0 && text.indexOf('@', scheme + 3) >= 0;
    }
}
