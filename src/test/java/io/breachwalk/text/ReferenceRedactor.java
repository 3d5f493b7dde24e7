package io.breachwalk.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The redactor as it was before its prefilters (copied verbatim): the reference the fast one must equal. */
final class ReferenceRedactor {

    private static final Pattern AUTH_HEADER = Pattern.compile("(?i)(authorization\\s*[:=]\\s*)(bearer|token|basic)?\\s*[^\\s,;\"']+");
    private static final Pattern URL_USERINFO = Pattern.compile("(?i)\\b(https?://)([^/@\\s:]+):([^/@\\s]+)@");

    private final List<String> literals;
    private final List<Pattern> shapes;

    ReferenceRedactor(List<String> literals, List<Pattern> shapes) {
        this.literals = new ArrayList<>(literals.stream().filter(v -> v != null && v.length() >= 6).toList());
        this.literals.sort(Comparator.comparingInt(String::length).reversed());
        this.shapes = List.copyOf(shapes);
    }

    String redact(String text) {
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
