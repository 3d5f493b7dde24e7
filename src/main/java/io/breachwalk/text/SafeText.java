package io.breachwalk.text;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/** Makes values from CI systems safe to put in a CSV cell, a terminal line or a file name. */
public final class SafeText {

    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(\u0007|\u001B\\\\)?");
    // Bidirectional overrides and isolates (U+202A-202E, U+2066-2069) can make a name read as something else in a
    // browser or terminal ("Trojan Source"): treated like control characters.
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069&&[^\n]]");
    private static final Pattern CONTROL_OR_NEWLINE = Pattern.compile("[\\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]");

    private SafeText() {
    }

    /** One line: control characters and ANSI escapes become spaces or vanish; formula starts are neutralised. */
    public static String cell(String value) {
        if (value == null) {
            return "";
        }
        String clean = CONTROL_OR_NEWLINE.matcher(ANSI.matcher(value).replaceAll("")).replaceAll(" ");
        return neutralise(clean);
    }

    /** Multi-line text (ticket descriptions): newlines kept, other controls removed, formula starts neutralised. */
    public static String multiline(String value) {
        if (value == null) {
            return "";
        }
        String clean = CONTROL.matcher(ANSI.matcher(value.replace("\r\n", "\n")).replaceAll("")).replaceAll(" ");
        return neutralise(clean);
    }

    /** For terminal output: like {@link #cell} without the spreadsheet prefix. */
    public static String terminal(String value) {
        return value == null ? "" : CONTROL_OR_NEWLINE.matcher(ANSI.matcher(value).replaceAll("")).replaceAll(" ");
    }

    /** A spreadsheet would run a cell starting with = + - @ (or tab/CR) as a formula: prefix a quote. */
    static String neutralise(String value) {
        if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
            return "'" + value;
        }
        return value;
    }

    /** ISO-8601 UTC to the second, `Z` suffix; empty for null. */
    public static String time(Instant t) {
        return t == null ? "" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
