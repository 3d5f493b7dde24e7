package io.breachwalk.detect.config;

/** Shell, batch and Groovy line helpers shared by the scanners. */
final class ShellText {
    private ShellText() { }

    /** Drops shell, batch and Groovy comments, keeping anything inside quotes. */
    static String stripComment(String line) {
        String t = line.trim();
        if (t.startsWith("#") || t.startsWith("//") || t.startsWith("::") || t.regionMatches(true, 0, "rem ", 0, 4)) return "";
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' && !dbl) single = !single;
            else if (c == '"' && !single) dbl = !dbl;
            else if (c == '#' && !single && !dbl && i > 0 && Character.isWhitespace(line.charAt(i - 1))) return line.substring(0, i);
        }
        return line;
    }
}
