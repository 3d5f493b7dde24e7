package io.breachwalk.source.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.model.EvidenceLink;
import io.breachwalk.source.HttpFailure;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live API for one project's walk, keeping every answer as evidence (kind `gitlab-api`, named by its path) so that
 * `scan --offline` replays the walk from {@link StoredGitLabData}. Variable listings are kept without their values: only key,
 * type, `protected`, `masked` and `environment_scope`. A failure is kept as a note (kind and status), a 404 as absent.
 * Group and instance answers are shared between projects through {@code shared}: asked once per scan, linked from
 * every project that used them.
 */
final class LiveGitLabData implements GitLabData {
    static final String KIND = "gitlab-api";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> VARIABLE_FIELDS = Set.of("key", "variable_type", "protected", "masked",
            "environment_scope");

    /** One answer as kept: the link to its evidence, and what the walk gets back. */
    record Answer(EvidenceLink link, Object value, HttpFailure failure) { }

    private final GitLabData live;
    private final EvidenceStore evidence;
    private final String webRoot;
    private final Map<String, Answer> shared;
    private final List<EvidenceLink> links = new ArrayList<>();

    LiveGitLabData(GitLabData live, EvidenceStore evidence, String webRoot, Map<String, Answer> shared) {
        this.live = live;
        this.evidence = evidence;
        this.webRoot = webRoot;
        this.shared = shared;
    }

    /** The links of every answer this project's walk used, in the order asked. */
    synchronized List<EvidenceLink> links() {
        return links.stream().distinct().toList();
    }

    @Override
    public Listing list(String path, int maxPages) throws IOException {
        return (Listing) answer("list:" + maxPages + ":" + path, () -> {
            Listing l = live.list(path, maxPages);
            ObjectNode kept = JSON.createObjectNode();
            ArrayNode items = kept.putArray("items");
            boolean variables = isVariables(path);
            for (JsonNode n : l.items()) items.add(variables ? withoutValue(n) : n);
            kept.put("capped", l.capped());
            List<JsonNode> out = new ArrayList<>();
            items.forEach(out::add);
            return new Kept(new Listing(out, l.capped()), JSON.writeValueAsString(kept), "application/json");
        });
    }

    @Override
    public JsonNode json(String path) throws IOException {
        return (JsonNode) answer("json:" + path, () -> {
            JsonNode n = live.json(path);
            return new Kept(n, JSON.writeValueAsString(n), "application/json");
        });
    }

    @Override
    public String text(String path) throws IOException {
        return (String) answer("text:" + path, () -> {
            String t = live.text(path);
            return new Kept(t, t, "text/plain");
        });
    }

    private record Kept(Object value, String content, String mediaType) { }

    private interface Fetch {
        Kept fetch() throws IOException;
    }

    private Object answer(String name, Fetch fetch) throws IOException {
        boolean share = name.contains(":/groups/") || name.contains(":/admin/");
        Answer a;
        if (share) {
            // Once per scan, even when several pipelines ask at the same moment.
            try {
                a = shared.computeIfAbsent(name, n -> {
                    try {
                        return fetchAndKeep(n, fetch);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
        } else {
            a = fetchAndKeep(name, fetch);
        }
        synchronized (this) {
            links.add(a.link());
        }
        if (a.failure() != null) throw a.failure();
        return a.value();
    }

    private Answer fetchAndKeep(String name, Fetch fetch) throws IOException {
        try {
            Kept k = fetch.fetch();
            if (k.content() == null) return new Answer(EvidenceLink.absent(KIND, name, null, "404"), null, null);
            String hash = evidence.put(KIND, webRoot + "/api/v4" + name.substring(name.indexOf(":/") + 1),
                    k.mediaType(), k.content());
            return new Answer(EvidenceLink.stored(KIND, name, null, hash), k.value(), null);
        } catch (HttpFailure f) {
            String note = "failure|" + f.kind() + "|" + f.status() + "|" + f.getMessage();
            return new Answer(EvidenceLink.absent(KIND, name, null, note), null, f);
        }
    }

    static boolean isVariables(String path) {
        String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        return p.endsWith("/variables");
    }

    private static JsonNode withoutValue(JsonNode v) {
        ObjectNode out = JSON.createObjectNode();
        v.fields().forEachRemaining(e -> {
            if (VARIABLE_FIELDS.contains(e.getKey())) out.set(e.getKey(), e.getValue());
        });
        return out;
    }
}
