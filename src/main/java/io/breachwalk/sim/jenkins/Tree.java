package io.breachwalk.sim.jenkins;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code tree} query parameter of Jenkins' remote API: {@code a,b[c,d[e]]{0,10}}. A name may carry a nested field
 * list in brackets and, for arrays, a range in braces: {@code {M,N}} (M inclusive, N exclusive), {@code {M,}},
 * {@code {,N}}, {@code {N}} (just element N), as in core's hudson/model/Api/index.jelly.
 */
record Tree(Map<String, Entry> fields) {

    record Entry(Tree sub, Range range) { }

    record Range(Integer from, Integer to) {
        int start(int size) { return from == null ? 0 : Math.min(from, size); }
        int end(int size) { return to == null ? size : Math.max(start(size), Math.min(to, size)); }
    }

    static Tree parse(String text) {
        Parser p = new Parser(text);
        Tree t = p.list();
        if (p.pos != text.length()) {
            throw new IllegalArgumentException("unexpected '" + text.charAt(p.pos) + "' at " + p.pos + " in tree");
        }
        return t;
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) { this.s = s; }

        Tree list() {
            Map<String, Entry> out = new LinkedHashMap<>();
            while (pos < s.length()) {
                int start = pos;
                while (pos < s.length() && "[]{},".indexOf(s.charAt(pos)) < 0) pos++;
                String name = s.substring(start, pos).trim();
                Tree sub = null;
                Range range = null;
                if (pos < s.length() && s.charAt(pos) == '[') {
                    pos++;
                    sub = list();
                    expect(']');
                }
                if (pos < s.length() && s.charAt(pos) == '{') {
                    pos++;
                    int close = s.indexOf('}', pos);
                    if (close < 0) throw new IllegalArgumentException("unclosed range in tree");
                    range = range(s.substring(pos, close));
                    pos = close + 1;
                }
                if (!name.isEmpty()) out.put(name, new Entry(sub, range));
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                break;
            }
            return new Tree(out);
        }

        void expect(char c) {
            if (pos >= s.length() || s.charAt(pos) != c) throw new IllegalArgumentException("expected '" + c + "' in tree");
            pos++;
        }

        static Range range(String r) {
            int comma = r.indexOf(',');
            if (comma < 0) {
                int n = Integer.parseInt(r.trim());
                return new Range(n, n + 1);
            }
            String a = r.substring(0, comma).trim();
            String b = r.substring(comma + 1).trim();
            return new Range(a.isEmpty() ? null : Integer.parseInt(a), b.isEmpty() ? null : Integer.parseInt(b));
        }
    }
}
