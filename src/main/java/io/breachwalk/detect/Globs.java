package io.breachwalk.detect;

/** Version globs from playbooks: `*` matches any run of characters, everything else literally. */
final class Globs {
    private Globs() {
    }

    static boolean matches(String glob, String value) {
        return matches(glob, 0, value, 0);
    }

    private static boolean matches(String glob, int g, String value, int v) {
        while (g < glob.length()) {
            char c = glob.charAt(g);
            if (c == '*') {
                for (int k = v; k <= value.length(); k++) {
                    if (matches(glob, g + 1, value, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (v >= value.length() || value.charAt(v) != c) {
                return false;
            }
            g++;
            v++;
        }
        return v == value.length();
    }
}
