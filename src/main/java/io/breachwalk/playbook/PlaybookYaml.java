package io.breachwalk.playbook;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A playbook's YAML as a tree of nodes with their lines, read before Jackson binds it: YAML syntax errors are said in
 * words at the line where the problem starts, and a key the playbook format does not know is named at any depth
 * (with the likely intended key) before Jackson would report it as a missing field somewhere else.
 */
final class PlaybookYaml {

    private final Node root;

    private PlaybookYaml(Node root) {
        this.root = root;
    }

    /** Parses the YAML into nodes; a syntax error is one sentence naming the line (prefixed by {@code source}). */
    static PlaybookYaml compose(String yaml, String source, LoaderOptions options) throws PlaybookException {
        try {
            return new PlaybookYaml(new Yaml(options).compose(new StringReader(yaml)));
        } catch (MarkedYAMLException e) {
            throw new PlaybookException(source + ": " + syntax(e));
        } catch (YAMLException e) {
            // The loader's limits (aliases, nesting, size) and encoding problems: the message is already words.
            throw new PlaybookException(source + ": not a valid playbook: " + firstLine(e.getMessage()));
        }
    }

    boolean isEmpty() {
        return root == null;
    }

    boolean isMapping() {
        return root instanceof MappingNode;
    }

    /** "line N: what is wrong", from SnakeYAML's problem and context. */
    static String syntax(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = e.getContext() == null ? "" : e.getContext();
        Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        Mark opened = e.getContextMark();
        if (problem.contains("(TAB)") || problem.contains("\\t")) {
            return "line " + line(at) + ": tab characters are not allowed for indentation; indent with spaces";
        }
        if (context.contains("quoted scalar") && opened != null && problem.contains("end of stream")) {
            return "line " + line(opened) + ": the quote opened at line " + line(opened) + " col " + col(opened)
                    + " is never closed";
        }
        if (context.contains("quoted scalar") && opened != null) {
            return "line " + line(at) + ": " + problem + " (in the quoted text opened at line " + line(opened)
                    + " col " + col(opened) + ")";
        }
        if (problem.contains("mapping values are not allowed here")) {
            return "line " + line(at) + " col " + col(at) + ": a `:` where no `key: value` can start (quote the "
                    + "value, or check the indentation)";
        }
        StringBuilder s = new StringBuilder("line ").append(line(at)).append(" col ").append(col(at)).append(": ")
                .append(problem.isBlank() ? "not valid YAML" : problem);
        if (!context.isBlank()) {
            s.append(" (").append(context);
            if (opened != null && line(opened) != line(at)) s.append(" that starts at line ").append(line(opened));
            s.append(')');
        }
        return s.toString();
    }

    /**
     * Names the first key that the record {@code type} (and, below it, the records and lists of records it holds)
     * does not declare: "line 8 (indicators.actions[0]): unknown field `repo`; did you mean `repository`?". A key
     * given twice in one mapping is named too (YAML keeps the last silently).
     */
    void checkKeys(Class<?> type, String source) throws PlaybookException {
        checkKeys(root, type, "", source);
    }

    private static void checkKeys(Node node, Class<?> type, String path, String source) throws PlaybookException {
        if (!(node instanceof MappingNode mapping) || !type.isRecord()) {
            return; // a value of the wrong shape is Jackson's to report, with the type it expected
        }
        Map<String, Type> fields = fields(type);
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
                continue;
            }
            String key = keyNode.getValue();
            int line = line(keyNode.getStartMark());
            String where = source + ": line " + line + (path.isEmpty() ? "" : " (" + path + ")");
            if ("<<".equals(key)) {
                continue; // a YAML merge key
            }
            Integer first = seen.putIfAbsent(key, line);
            if (first != null) {
                throw new PlaybookException(where + ": `" + key + "` is given twice (first at line " + first + ")");
            }
            Type fieldType = fields.get(key);
            if (fieldType == null) {
                String guess = closest(key, fields.keySet());
                throw new PlaybookException(where + ": unknown field `" + key + "`; " + (guess != null
                        ? "did you mean `" + guess + "`?" : "known: " + String.join(", ", fields.keySet())));
            }
            String child = path.isEmpty() ? key : path + "." + key;
            Node value = t.getValueNode();
            if (fieldType instanceof Class<?> c && c.isRecord()) {
                checkKeys(value, c, child, source);
            } else if (fieldType instanceof ParameterizedType p && p.getRawType() == List.class
                    && p.getActualTypeArguments()[0] instanceof Class<?> item && item.isRecord()
                    && value instanceof SequenceNode seq) {
                for (int i = 0; i < seq.getValue().size(); i++) {
                    checkKeys(seq.getValue().get(i), item, child + "[" + i + "]", source);
                }
            }
        }
    }

    /** The YAML keys of a playbook record (its @JsonProperty names and aliases) and their types, in order. */
    private static Map<String, Type> fields(Class<?> type) {
        Map<String, Type> fields = new LinkedHashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            // Jackson's annotations do not target record components: Java puts them on the field and the accessor.
            JsonProperty p = annotation(type, c, JsonProperty.class);
            fields.put(p == null || p.value().isEmpty() ? c.getName() : p.value(), c.getGenericType());
            JsonAlias alias = annotation(type, c, JsonAlias.class);
            if (alias != null) {
                for (String a : alias.value()) fields.put(a, c.getGenericType());
            }
        }
        return fields;
    }

    private static <A extends java.lang.annotation.Annotation> A annotation(Class<?> type, RecordComponent c,
                                                                         Class<A> annotation) {
        try {
            A onField = type.getDeclaredField(c.getName()).getAnnotation(annotation);
            return onField != null ? onField : c.getAccessor().getAnnotation(annotation);
        } catch (NoSuchFieldException e) {
            return c.getAccessor().getAnnotation(annotation);
        }
    }

    /** The known key a typo most likely meant: one is the start of the other, or a few letters differ. */
    static String closest(String key, java.util.Collection<String> known) {
        String k = key.toLowerCase(Locale.ROOT);
        List<String> prefixed = new ArrayList<>();
        for (String name : known) {
            if (k.length() >= 3 && (name.startsWith(k) || k.startsWith(name))) prefixed.add(name);
        }
        if (prefixed.size() == 1) return prefixed.get(0);
        return known.stream().filter(n -> distance(k, n) <= Math.max(1, Math.min(3, n.length() / 3)))
                .min(Comparator.comparingInt(n -> distance(k, n))).orElse(null);
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /**
     * The line of the node at a path of field names and list indexes (Jackson's path of a binding error): the
     * value's line when it is there, else the line of the deepest mapping or list on the way (where a missing field
     * belongs); 0 when the path leads nowhere.
     */
    int lineOf(List<Object> path) {
        Node node = root;
        int line = node == null ? 0 : line(node.getStartMark());
        for (Object step : path) {
            Node next = null;
            if (step instanceof String field && node instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(field)) {
                        next = t.getValueNode();
                        // A nested mapping or list starts on the key's line, where the reader looks first.
                        line = line(next instanceof ScalarNode ? next.getStartMark() : k.getStartMark());
                        break;
                    }
                }
            } else if (step instanceof Integer index && node instanceof SequenceNode s && index < s.getValue().size()) {
                next = s.getValue().get(index);
                line = line(next.getStartMark());
            }
            if (next == null) break;
            node = next;
        }
        return line;
    }

    private static int line(Mark m) {
        return m == null ? 0 : m.getLine() + 1;
    }

    private static int col(Mark m) {
        return m == null ? 0 : m.getColumn() + 1;
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
