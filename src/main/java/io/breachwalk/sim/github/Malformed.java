package io.breachwalk.sim.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Answers that are not what the GitHub API promises, as a proxy, a broken GHES or a bug can serve them with status
 * 200: what a client must survive without crashing, looping or silently dropping data.
 * <ul>
 *   <li>{@code html-200}: a proxy's login page, text/html;</li>
 *   <li>{@code json-truncated}: the JSON cut in the middle, with a Content-Length that matches (no transport error);</li>
 *   <li>{@code json-list-object}: every list (the top-level array, {@code workflow_runs}, {@code jobs},
 *       {@code secrets}...) an object keyed by index;</li>
 *   <li>{@code json-id-string}: every {@code id} the string "abc";</li>
 *   <li>{@code json-count-negative} / {@code json-count-huge}: {@code total_count} -5 / 9,000,000,000;</li>
 *   <li>{@code json-steps-null}: every job's {@code steps} null;</li>
 *   <li>{@code json-bad-times}: every {@code *_at} timestamp "yesterday";</li>
 *   <li>{@code binary-content}: the contents API's base64 {@code content} decodes to binary (invalid UTF-8).</li>
 * </ul>
 */
final class Malformed {
    private Malformed() {}

    record Answer(byte[] body, String contentType) {}

    static final String LOGIN_PAGE = """
            <!DOCTYPE html>
            <html><head><title>Sign in - Corporate Proxy</title></head>
            <body><form method="post" action="/login"><input name="user"><input name="password" type="password">
            <button>Sign in</button></form></body></html>
            """;

    /** Bytes that are not UTF-8: a lone continuation byte, an overlong form, a NUL, an invalid lead byte. */
    static final byte[] BINARY = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xC0, (byte) 0xAF, (byte) 0xFF, (byte) 0xFE,
            'j', 'o', 'b', 's', ':', (byte) 0xE2, (byte) 0x28, (byte) 0xA1, '\n'};

    static Answer apply(String kind, byte[] body, String contentType) {
        if (kind.equals("html-200")) {
            return new Answer(LOGIN_PAGE.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
        }
        if (!contentType.startsWith("application/json") || body.length == 0) {
            return new Answer(body, contentType);
        }
        if (kind.equals("json-truncated")) {
            return new Answer(Arrays.copyOf(body, Math.max(1, body.length / 2)), contentType);
        }
        JsonNode root;
        try {
            root = Payloads.JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode bent = switch (kind) {
            case "json-list-object" -> root.isArray() ? indexed((ArrayNode) root) : listsToObjects(root);
            default -> {
                edit(root, kind);
                yield root;
            }
        };
        try {
            return new Answer(Payloads.JSON.writeValueAsBytes(bent), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode indexed(ArrayNode a) {
        ObjectNode o = Payloads.JSON.createObjectNode();
        for (int i = 0; i < a.size(); i++) {
            o.set(Integer.toString(i), a.get(i));
        }
        return o;
    }

    /** The lists of the top-level object become objects (nested lists such as labels stay lists). */
    private static JsonNode listsToObjects(JsonNode root) {
        if (root instanceof ObjectNode o) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            o.fields().forEachRemaining(fields::add);
            for (Map.Entry<String, JsonNode> f : fields) {
                if (f.getValue() instanceof ArrayNode a) {
                    o.set(f.getKey(), indexed(a));
                }
            }
        }
        return root;
    }

    private static void edit(JsonNode node, String kind) {
        if (node instanceof ArrayNode a) {
            a.forEach(x -> edit(x, kind));
            return;
        }
        if (!(node instanceof ObjectNode o)) {
            return;
        }
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode v = o.get(name);
            switch (kind) {
                case "json-id-string" -> {
                    if (name.equals("id")) o.put(name, "abc");
                }
                case "json-count-negative" -> {
                    if (name.equals("total_count")) o.put(name, -5);
                }
                case "json-count-huge" -> {
                    if (name.equals("total_count")) o.put(name, 9_000_000_000L);
                }
                case "json-steps-null" -> {
                    if (name.equals("steps")) o.putNull(name);
                }
                case "json-bad-times" -> {
                    if (name.endsWith("_at") && v.isTextual()) o.put(name, "yesterday");
                }
                case "binary-content" -> {
                    if (name.equals("content") && "base64".equals(o.path("encoding").asText())) {
                        o.put(name, Base64.getMimeEncoder().encodeToString(BINARY) + "\n");
                    }
                }
                default -> throw new IllegalArgumentException("not a malformed-answer kind: " + kind);
            }
            JsonNode now = o.get(name);
            if (now.isContainerNode()) {
                edit(now, kind);
            }
        }
    }
}
