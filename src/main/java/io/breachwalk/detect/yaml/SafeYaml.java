package io.breachwalk.detect.yaml;

import io.breachwalk.detect.ConfigParseException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads untrusted YAML into {@link YNode}s. SnakeYAML only composes the node graph (no object construction, so no
 * arbitrary types); alias, depth and size limits are enforced while composing, and the alias expansion done here is
 * budgeted so that an alias bomb fails fast instead of filling memory.
 */
public final class SafeYaml {
    private final YamlLimits limits;

    public SafeYaml(YamlLimits limits) { this.limits = limits; }

    public SafeYaml() { this(YamlLimits.defaults()); }

    /** A parse's outcome: the tree, or why the text was refused. */
    private record Parsed(YNode tree, String problem) {
    }

    private record Key(YamlLimits limits, String text) {
    }

    /**
     * Texts kept in {@link #PARSED} at most, in characters and entries: enough for the distinct workflows of the
     * read-ahead's two chunks of repositories (a tree takes a few times its text), small beside a scan's heap.
     */
    private static final int CACHE_CHARS = 2 * 1024 * 1024;
    private static final int CACHE_ENTRIES = 2048;
    private static int cachedChars;

    /**
     * Recent parses by text: a walk meets the same workflow at every commit that did not change it (thousands of
     * runs, a few distinct texts), and the prefetch and the walk both analyse it. Trees are immutable.
     */
    private static final LinkedHashMap<Key, Parsed> PARSED = new LinkedHashMap<>(64, 0.75f, true);

    /** Parses the first document; an empty document gives a null node. */
    public YNode parse(String text) throws ConfigParseException {
        Key key = new Key(limits, text);
        Parsed known;
        synchronized (PARSED) {
            known = PARSED.get(key);
        }
        if (known == null) {
            try {
                known = new Parsed(parseAnew(text), null);
            } catch (ConfigParseException e) {
                known = new Parsed(null, e.getMessage());
            }
            if (text.length() <= CACHE_CHARS / 16) {
                synchronized (PARSED) {
                    if (PARSED.put(key, known) == null) {
                        cachedChars += text.length();
                    }
                    var eldest = PARSED.keySet().iterator();
                    while (PARSED.size() > CACHE_ENTRIES || cachedChars > CACHE_CHARS) {
                        cachedChars -= eldest.next().text().length();
                        eldest.remove();
                    }
                }
            }
        }
        if (known.problem() != null) {
            throw new ConfigParseException(known.problem());
        }
        return known.tree();
    }

    private YNode parseAnew(String text) throws ConfigParseException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(limits.maxAliases());
        options.setNestingDepthLimit(limits.maxDepth());
        options.setCodePointLimit(limits.maxCodePoints());
        options.setAllowDuplicateKeys(true); // later keys win, as the CI providers do
        options.setAllowRecursiveKeys(false);
        Yaml yaml = new Yaml(new SafeConstructor(options), new org.yaml.snakeyaml.representer.Representer(
                new org.yaml.snakeyaml.DumperOptions()), new org.yaml.snakeyaml.DumperOptions(), options);
        Node root;
        try {
            Iterable<Node> docs = yaml.composeAll(new StringReader(text));
            var it = docs.iterator();
            root = it.hasNext() ? it.next() : null;
        } catch (MarkedYAMLException e) {
            String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ConfigParseException("malformed YAML at line " + line + ": " + oneLine(problem));
        } catch (YAMLException e) {
            throw new ConfigParseException("rejected YAML: " + oneLine(e.getMessage()));
        } catch (StackOverflowError e) {
            throw new ConfigParseException("rejected YAML: nested too deeply");
        }
        if (root == null) return YNode.nullAt(1);
        return new Expander().expand(root, 0);
    }

    private static String oneLine(String s) {
        if (s == null) return "";
        String t = s.replaceAll("\\s+", " ").trim();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }

    /** Copies the composed graph into a tree, resolving aliases (shared nodes) and merge keys. */
    private final class Expander {
        private int budget = limits.maxExpandedNodes();
        private final IdentityHashMap<Node, Boolean> onPath = new IdentityHashMap<>();

        YNode expand(Node node, int depth) throws ConfigParseException {
            if (--budget < 0) {
                throw new ConfigParseException("rejected YAML: aliases expand to more than "
                        + limits.maxExpandedNodes() + " nodes (alias bomb?)");
            }
            if (depth > limits.maxDepth() * 4) throw new ConfigParseException("rejected YAML: nested too deeply");
            if (onPath.containsKey(node)) throw new ConfigParseException("rejected YAML: recursive alias");
            int line = node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
            onPath.put(node, Boolean.TRUE);
            try {
                if (node instanceof ScalarNode s) {
                    if (Tag.NULL.equals(s.getTag())) return YNode.nullAt(line);
                    var style = s.getScalarStyle();
                    if (style == org.yaml.snakeyaml.DumperOptions.ScalarStyle.LITERAL
                            || style == org.yaml.snakeyaml.DumperOptions.ScalarStyle.FOLDED) {
                        return YNode.blockScalar(s.getValue(), line);
                    }
                    return YNode.scalar(s.getValue(), line);
                }
                if (node instanceof SequenceNode s) {
                    List<YNode> items = new ArrayList<>();
                    for (Node child : s.getValue()) items.add(expand(child, depth + 1));
                    return YNode.seq(items, line);
                }
                if (node instanceof MappingNode m) {
                    LinkedHashMap<String, YNode> out = new LinkedHashMap<>();
                    List<YNode> merges = new ArrayList<>();
                    for (NodeTuple t : m.getValue()) {
                        Node k = t.getKeyNode();
                        if (k instanceof ScalarNode ks && (Tag.MERGE.equals(ks.getTag()) || "<<".equals(ks.getValue()))) {
                            merges.add(expand(t.getValueNode(), depth + 1));
                            continue;
                        }
                        String key = k instanceof ScalarNode ks ? ks.getValue() : "?complex-key@" + line;
                        out.put(key, expand(t.getValueNode(), depth + 1));
                    }
                    // Explicit keys win over merged ones; among several merged maps the first wins (YAML merge spec).
                    for (YNode merge : merges) {
                        for (YNode src : merge.isSeq() ? merge.seq() : List.of(merge)) {
                            for (Map.Entry<String, YNode> e : src.map().entrySet()) out.putIfAbsent(e.getKey(), e.getValue());
                        }
                    }
                    return YNode.map(out, line);
                }
                return YNode.nullAt(line);
            } finally {
                onPath.remove(node);
            }
        }
    }
}
