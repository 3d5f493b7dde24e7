package io.breachwalk.detect.yaml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed YAML value with the line it came from, aliases already expanded and merge keys applied.
 * Scalars keep their raw text: CI files use YAML 1.1 words ("on", "yes") as plain strings.
 */
public final class YNode {
    public enum Kind { MAP, SEQ, SCALAR, NULL }

    private static final YNode MISSING = new YNode(Kind.NULL, null, Map.of(), List.of(), 0);

    private final Kind kind;
    private final String scalar;
    private final Map<String, YNode> map;
    private final List<YNode> seq;
    private final int line;
    private boolean block;

    private YNode(Kind kind, String scalar, Map<String, YNode> map, List<YNode> seq, int line) {
        this.kind = kind;
        this.scalar = scalar;
        this.map = map;
        this.seq = seq;
        this.line = line;
    }

    static YNode scalar(String value, int line) { return new YNode(Kind.SCALAR, value, Map.of(), List.of(), line); }
    static YNode blockScalar(String value, int line) {
        YNode n = scalar(value, line);
        n.block = true;
        return n;
    }
    static YNode nullAt(int line) { return new YNode(Kind.NULL, null, Map.of(), List.of(), line); }
    static YNode map(LinkedHashMap<String, YNode> m, int line) {
        return new YNode(Kind.MAP, null, Collections.unmodifiableMap(m), List.of(), line);
    }
    static YNode seq(List<YNode> s, int line) { return new YNode(Kind.SEQ, null, Map.of(), Collections.unmodifiableList(s), line); }
    public static YNode missing() { return MISSING; }

    /** Builds a map node from code (used when merging GitLab extends or CircleCI commands). */
    public static YNode ofMap(Map<String, YNode> m, int line) { return map(new LinkedHashMap<>(m), line); }
    public static YNode ofSeq(List<YNode> s, int line) { return seq(new ArrayList<>(s), line); }

    public Kind kind() { return kind; }
    public boolean isMap() { return kind == Kind.MAP; }
    public boolean isSeq() { return kind == Kind.SEQ; }
    public boolean isScalar() { return kind == Kind.SCALAR; }
    public boolean isPresent() { return this != MISSING && kind != Kind.NULL; }
    public int line() { return line; }

    /** The file line of the text's first line: a literal or folded block starts on the line after its indicator. */
    public int firstTextLine() { return block ? line + 1 : line; }

    /** The scalar text, or null for maps, sequences and nulls. */
    public String text() { return scalar; }

    /** The scalar text or the fallback. */
    public String text(String fallback) { return scalar == null ? fallback : scalar; }

    public Map<String, YNode> map() { return map; }
    public List<YNode> seq() { return seq; }

    /** Child of a map by key; a missing node (never null) otherwise. */
    public YNode get(String key) {
        YNode v = map.get(key);
        return v == null ? MISSING : v;
    }

    public boolean has(String key) { return map.containsKey(key); }

    /** A sequence's items, a single non-null value as a one-item list, or an empty list. */
    public List<YNode> items() {
        if (kind == Kind.SEQ) return seq;
        if (kind == Kind.NULL) return List.of();
        return List.of(this);
    }

    /** Every scalar below this node, depth first: for scanning values for secret references. */
    public List<YNode> scalars() {
        List<YNode> out = new ArrayList<>();
        collectScalars(this, out);
        return out;
    }

    private static void collectScalars(YNode n, List<YNode> out) {
        switch (n.kind) {
            case SCALAR -> out.add(n);
            case MAP -> n.map.values().forEach(v -> collectScalars(v, out));
            case SEQ -> n.seq.forEach(v -> collectScalars(v, out));
            default -> { }
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SCALAR -> scalar;
            case NULL -> "null";
            case MAP -> map.toString();
            case SEQ -> seq.toString();
        };
    }
}
