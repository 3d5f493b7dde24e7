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
    private final List<Pattern> shapes;

    public Redactor(List<String> literals, List<Pattern> shapes) {
        this.literals = new ArrayList<>(literals.stream().filter(v -> v != null && v.length() >= 6).toList());
        this.literals.sort(Comparator.comparingInt(String::length).reversed());
        this.shapes = List.copyOf(shapes);
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
        out = AUTH_HEADER.matcher(out).replaceAll("$1[REDACTED]");
        out = URL_USERINFO.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + ":[REDACTED]@"));
        for (Pattern shape : shapes) {
            out = shape.matcher(out).replaceAll("[REDACTED]");
        }
        return out;
    }
}
