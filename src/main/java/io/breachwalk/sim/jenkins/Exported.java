package io.breachwalk.sim.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An object as Jenkins' @Exported machinery shows it: values are computed only when asked for (so a tree query on a
 * 10,000-build job does not build 10,000 build objects unless it names them), some fields appear only when named in
 * {@code tree} (allBuilds), and nested objects beyond the requested depth show only their summary fields.
 */
final class Exported {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final String clazz;
    private final Map<String, Supplier<?>> fields = new LinkedHashMap<>();
    private final Set<String> hidden = new HashSet<>();
    private final Set<String> summary = new HashSet<>();
    private boolean open;

    Exported(String clazz) { this.clazz = clazz; }

    Exported put(String name, Object value) {
        fields.put(name, () -> value);
        return this;
    }

    Exported lazy(String name, Supplier<?> value) {
        fields.put(name, value);
        return this;
    }

    /** A field shown only when a tree names it (Jenkins' visibility=-2, e.g. Job.allBuilds). */
    Exported hidden(String name, Supplier<?> value) {
        fields.put(name, value);
        hidden.add(name);
        return this;
    }

    /** Names the fields a nested object shows beyond the requested depth. */
    Exported summary(String... names) {
        summary.addAll(List.of(names));
        return this;
    }

    /**
     * Shows every field at any nesting level. Jenkins does this for objects whose properties carry a high export
     * visibility: build actions, causes, parameters, git BuildData and credential entries show at depth 0.
     */
    Exported open() {
        open = true;
        return this;
    }

    JsonNode render(Tree tree, int depth) { return render(tree, depth, 0); }

    private ObjectNode render(Tree tree, int depth, int level) {
        ObjectNode out = F.objectNode();
        if (clazz != null) out.put("_class", clazz);
        if (tree != null) {
            for (Map.Entry<String, Supplier<?>> f : fields.entrySet()) {
                Tree.Entry want = tree.fields().get(f.getKey());
                if (want == null) continue;
                out.set(f.getKey(), value(f.getValue().get(), want.sub(), want.range(), true, depth, level + 1));
            }
            return out;
        }
        boolean full = open || level <= depth;
        for (Map.Entry<String, Supplier<?>> f : fields.entrySet()) {
            if (hidden.contains(f.getKey())) continue;
            if (!full && !summary.contains(f.getKey())) continue;
            out.set(f.getKey(), value(f.getValue().get(), null, null, false, depth, level + 1));
        }
        return out;
    }

    private static JsonNode value(Object v, Tree sub, Tree.Range range, boolean treeMode, int depth, int level) {
        if (v == null) return F.nullNode();
        if (v instanceof JsonNode n) return n;
        if (v instanceof String s) return F.textNode(s);
        if (v instanceof Boolean b) return F.booleanNode(b);
        if (v instanceof Integer i) return F.numberNode(i);
        if (v instanceof Long l) return F.numberNode(l);
        if (v instanceof Number n) return F.numberNode(n.doubleValue());
        if (v instanceof Exported e) {
            // In tree mode an object named without a field list shows only its _class, as Jenkins does.
            if (treeMode) return e.render(sub == null ? new Tree(Map.of()) : sub, depth, level);
            return e.render(null, depth, level);
        }
        if (v instanceof List<?> list) {
            ArrayNode arr = F.arrayNode();
            int from = range == null ? 0 : range.start(list.size());
            int to = range == null ? list.size() : range.end(list.size());
            for (int i = from; i < to; i++) arr.add(value(list.get(i), sub, null, treeMode, depth, level));
            return arr;
        }
        if (v instanceof Map<?, ?> map) {
            ObjectNode o = F.objectNode();
            map.forEach((k, x) -> o.set(String.valueOf(k), value(x, sub, null, treeMode, depth, level)));
            return o;
        }
        return F.textNode(String.valueOf(v));
    }
}
