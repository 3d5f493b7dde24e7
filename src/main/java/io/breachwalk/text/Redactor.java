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
            out = URL_USERINFO.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + ":[REDACTED]@"));
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

    /** A URL with user info has a "://" and, after it, an '@'. */
    private static boolean mayHaveUserinfo(String text) {
        int scheme = text.indexOf("://");
        return scheme >= 0 && text.indexOf('@', scheme + 3) >= 0;
    }
}
