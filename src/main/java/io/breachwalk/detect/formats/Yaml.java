package io.breachwalk.detect.formats;

import io.breachwalk.detect.yaml.YNode;
import java.util.ArrayList;
import java.util.List;

/** Small helpers over {@link YNode} shared by the readers. */
final class Yaml {
    private Yaml() { }

    /** Flattens nested sequences (an alias to a list used as one item) into the scalar and map items. */
    static List<YNode> flat(YNode n) {
        List<YNode> out = new ArrayList<>();
        flatInto(n, out, 0);
        return out;
    }

    private static void flatInto(YNode n, List<YNode> out, int depth) {
        if (depth > 20) return;
        if (n.isSeq()) n.seq().forEach(c -> flatInto(c, out, depth + 1));
        else if (n.isPresent()) out.add(n);
    }

    /** "KEY=value" entries of a string ("A=1 B='x y'"), list or map env definition, as name -> value. */
    static java.util.Map<String, String> envAssignments(YNode env) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        if (env.isMap()) {
            env.map().forEach((k, v) -> out.put(k, v.isScalar() ? v.text() : ""));
            return out;
        }
        for (YNode item : flat(env)) {
            if (item.isScalar()) parseAssignments(item.text(), out);
            else if (item.isMap() && !item.has("secure")) item.map().forEach((k, v) -> out.put(k, v.text("")));
        }
        return out;
    }

    private static final java.util.regex.Pattern ASSIGN = java.util.regex.Pattern.compile(
            "([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|'[^']*'|\\S*)");

    static void parseAssignments(String s, java.util.Map<String, String> out) {
        var m = ASSIGN.matcher(s);
        while (m.find()) {
            String v = m.group(2);
            if (v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'"))) v = v.substring(1, v.length() - 1);
            out.put(m.group(1), v);
        }
    }

    /** Count of Travis "secure:" entries in an env definition: their names are encrypted with the value. */
    static int secureCount(YNode env) {
        int n = 0;
        for (YNode item : flat(env)) if (item.isMap() && item.has("secure")) n++;
        if (env.isMap()) for (YNode v : env.map().values()) n += secureCount(v);
        return n;
    }
}
