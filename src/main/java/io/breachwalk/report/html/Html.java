package io.breachwalk.report.html;

import io.breachwalk.text.SafeText;

import java.util.regex.Pattern;

/**
 * Escaping for report.html. Every value that came from a CI system (job names, branches, evidence, URLs) passes
 * through here: a job named `<img src=x onerror=alert(1)>` must reach the reader as text.
 */
final class Html {

    /** Links are only made for plain http(s) URLs: a `javascript:` or `data:` URL from a CI system stays text. */
    private static final Pattern SAFE_URL = Pattern.compile("https?://[^\\s\"'<>`\\\\]+", Pattern.CASE_INSENSITIVE);

    private Html() {
    }

    /** Text content and attribute values alike: the five HTML metacharacters, and no control characters. */
    static String text(String value) {
        String v = SafeText.terminal(value);
        StringBuilder b = new StringBuilder(v.length() + 16);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A link when the URL is a plain http(s) URL, else the URL as text. */
    static String link(String url, String label) {
        if (url == null || url.isBlank()) {
            return text(label);
        }
        if (!SAFE_URL.matcher(url).matches()) {
            return text(label);
        }
        return "<a href=\"" + text(url) + "\" rel=\"noopener noreferrer\">" + text(label) + "</a>";
    }
}
