package io.breachwalk.source.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.model.EvidenceLink;
import io.breachwalk.source.HttpFailure;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * `scan --offline`: the answers {@link LiveGitLabData} kept for one project, read back from the evidence folder. A kept
 * failure fails again the same way; a path the online scan never asked for is {@link NotInEvidence}.
 */
final class StoredGitLabData implements GitLabData {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EvidenceStore store;
    private final Map<String, EvidenceLink> links = new HashMap<>();

    StoredGitLabData(EvidenceStore store, List<EvidenceLink> items) {
        this.store = store;
        for (EvidenceLink l : items) {
            if (LiveGitLabData.KIND.equals(l.kind())) links.putIfAbsent(l.name(), l);
        }
    }

    @Override
    public Listing list(String path, int maxPages) throws IOException {
        String body = read("list:" + maxPages + ":" + path, path);
        if (body == null) throw new HttpFailure(HttpFailure.Kind.NOT_FOUND, 404, null, "HTTP 404 for " + path);
        JsonNode kept = JSON.readTree(body);
        List<JsonNode> items = new ArrayList<>();
        kept.path("items").forEach(items::add);
        return new Listing(items, kept.path("capped").asBoolean(false));
    }

    @Override
    public JsonNode json(String path) throws IOException {
        String body = read("json:" + path, path);
        if (body == null) throw new HttpFailure(HttpFailure.Kind.NOT_FOUND, 404, null, "HTTP 404 for " + path);
        return JSON.readTree(body);
    }

    @Override
    public String text(String path) throws IOException {
        return read("text:" + path, path);
    }

    /** The kept body; null for a kept 404; the kept failure thrown again. */
    private String read(String name, String path) throws IOException {
        EvidenceLink l = links.get(name);
        if (l == null) throw new NotInEvidence(path);
        if (l.hash() == null) {
            String note = l.note() == null ? "" : l.note();
            if (note.startsWith("failure|")) {
                String[] f = note.split("\\|", 4);
                HttpFailure.Kind kind;
                try {
                    kind = HttpFailure.Kind.valueOf(f[1]);
                } catch (IllegalArgumentException e) {
                    kind = HttpFailure.Kind.FATAL;
                }
                int status = f.length > 2 && f[2].matches("\\d+") ? Integer.parseInt(f[2]) : 0;
                throw new HttpFailure(kind, status, null, f.length > 3 ? f[3] : "HTTP " + status + " for " + path);
            }
            return null;
        }
        return store.read(l.hash()).orElseThrow(() -> new NotInEvidence(path));
    }
}
