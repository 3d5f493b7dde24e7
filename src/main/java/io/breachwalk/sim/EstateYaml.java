package io.breachwalk.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.representer.Representer;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads a simulator estate's YAML (from a file, a classpath resource or text) into a Jackson tree, the safe way, for
 * the GitHub and GitLab estate loaders, which then give the tree its meaning.
 */
public final class EstateYaml {
    private EstateYaml() {}

    public static JsonNode read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read estate " + file, e);
        }
    }

    /** Reads an estate from the classpath, e.g. {@code samples/github/estate.yaml}. */
    public static JsonNode readResource(String resource) {
        try (InputStream in = EstateYaml.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("estate resource not found on the classpath: " + resource);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read estate resource " + resource, e);
        }
    }

    /** The estate's root mapping. */
    public static JsonNode parse(String yaml) {
        // The estate is our own data, but parse it the safe way anyway: SnakeYAML's composer (no object
        // construction), bounded aliases, no duplicate keys. Jackson's YAML parser does not expand aliases, and
        // estates use anchors to repeat step lists, so the node tree is turned into Jackson nodes here.
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(200);
        options.setAllowDuplicateKeys(false);
        JsonNode root;
        try {
            Node node = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()),
                    new DumperOptions(), options).compose(new StringReader(yaml));
            root = node == null ? null : toJson(node, 0);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("estate is not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("estate must be a YAML mapping");
        }
        return root;
    }

    /** Rejects keys the format does not know: a misspelt key would otherwise silently change the estate. */
    public static void keys(JsonNode node, String where, String... allowed) {
        if (node.isMissingNode() || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be a mapping");
        }
        List<String> known = List.of(allowed);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw new IllegalArgumentException(where + ": unknown key " + k + " (known: " + known + ")");
            }
        }
    }

    /** Scalars become text (Jackson's asInt/asBoolean read numbers from text); `~` and empty values become null. */
    private static JsonNode toJson(Node node, int depth) {
        if (depth > 64) {
            throw new IllegalArgumentException("estate is nested too deep");
        }
        if (node instanceof ScalarNode s) {
            return s.getTag().getValue().endsWith(":null") ? NullNode.getInstance() : TextNode.valueOf(s.getValue());
        }
        if (node instanceof SequenceNode seq) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            seq.getValue().forEach(n -> a.add(toJson(n, depth + 1)));
            return a;
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        List<JsonNode> merges = new ArrayList<>();
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            JsonNode value = toJson(t.getValueNode(), depth + 1);
            if (key.equals("<<")) {
                merges.add(value);
            } else {
                o.set(key, value);
            }
        }
        for (JsonNode m : merges) {
            for (JsonNode src : m.isArray() ? m : List.of(m)) {
                src.fields().forEachRemaining(e -> {
                    if (!o.has(e.getKey())) {
                        o.set(e.getKey(), e.getValue());
                    }
                });
            }
        }
        return o;
    }
}
