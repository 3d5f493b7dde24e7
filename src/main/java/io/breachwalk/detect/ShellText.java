package io.breachwalk.detect;

/** Shell, batch and Groovy line helpers shared by the indicator matcher and the shell scanner. */
public final class ShellText {
    private ShellText() { }

    /** Drops shell, batch and Groovy comments, keeping anything inside quotes. */
    public static String stripComment(String line) {
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
