package io.breachwalk.source.github;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.DumperOptions;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as plain values that remember their line: workflow evidence cites `file@sha:line`. Parsed with
 * SnakeYAML's composer (no object construction at all, so no arbitrary types), bounded aliases and nesting, and
 * keys kept as written (YAML 1.1 would turn the `on:` key into `true`).
 */
final class YamlTree {
    private static final int MAX_DEPTH = 64;

    /**
     * One value: {@code text} for a scalar, {@code list} for a sequence, {@code map} for a mapping (exactly one is set).
     * {@code line} is 1-based; {@code block} tells a `|`/`>` scalar, whose content starts on the next line.
     */
    record Y(String text, List<Y> list, Map<String, Y> map, int line, boolean block) {
        boolean isText() {
            return text != null;
        }

        boolean isMap() {
            return map != null;
        }

        boolean isList() {
            return list != null;
        }

        Y get(String key) {
            return map == null ? null : map.get(key);
        }

        String textOf(String key) {
            Y v = get(key);
            return v == null ? null : v.text();
        }

        /** 1-based line of line {@code k} (1-based) of this scalar's text. */
        int lineOf(int k) {
            return block ? line + k : line + k - 1;
        }
    }

    static final class ParseException extends Exception {
        ParseException(String message) {
            super(message);
        }
    }

    private YamlTree() {}

    static Y parse(String text) throws ParseException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setAllowDuplicateKeys(false);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(4 * 1024 * 1024);
        Yaml yaml = new Yaml(new SafeConstructor(options), new org.yaml.snakeyaml.representer.Representer(
                new DumperOptions()), new DumperOptions(), options);
        try {
            Node root = yaml.compose(new StringReader(text));
            if (root == null) {
                throw new ParseException("empty document");
            }
            return convert(root, 0);
        } catch (MarkedYAMLException e) {
            String where = e.getProblemMark() == null ? "" : "line " + (e.getProblemMark().getLine() + 1) + ": ";
            throw new ParseException(where + e.getProblem());
        } catch (RuntimeException e) {
            throw new ParseException(String.valueOf(e.getMessage()));
        }
    }

    private static Y convert(Node node, int depth) throws ParseException {
        if (depth > MAX_DEPTH) {
            throw new ParseException("nested too deep");
        }
        int line = node.getStartMark().getLine() + 1;
        if (node instanceof ScalarNode s) {
            boolean block = s.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL
                    || s.getScalarStyle() == DumperOptions.ScalarStyle.FOLDED;
            String value = s.getValue();
            // `key:` with nothing after it is null, not the text "null".
            if (s.getTag().getValue().endsWith(":null")) {
                value = "";
            }
            return new Y(value, null, null, line, block);
        }
        if (node instanceof SequenceNode seq) {
            List<Y> items = new ArrayList<>();
            for (Node n : seq.getValue()) {
                items.add(convert(n, depth + 1));
            }
            return new Y(null, items, null, line, false);
        }
        MappingNode m = (MappingNode) node;
        Map<String, Y> map = new LinkedHashMap<>();
        List<Y> merges = new ArrayList<>();
        for (NodeTuple t : m.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
            Y value = convert(t.getValueNode(), depth + 1);
            if (key.equals("<<")) {
                merges.add(value);
            } else {
                map.put(key, value);
            }
        }
        // Merge keys (`<<: *defaults`): explicit keys win.
        for (Y merge : merges) {
            List<Y> sources = merge.isList() ? merge.list() : List.of(merge);
            for (Y src : sources) {
                if (src.isMap()) {
                    src.map().forEach(map::putIfAbsent);
                }
            }
        }
        return new Y(null, null, map, line, false);
    }
}
