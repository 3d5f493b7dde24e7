package io.breachwalk.source.github;

import io.breachwalk.evidence.LinksByName;
import com.fasterxml.jackson.databind.JsonNode;
import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.model.EvidenceLink;
import io.breachwalk.model.EvidenceRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One repository as an evidence folder holds it (`scan --offline`): every answer comes from a stored file, nothing
 * from the network. What the online scan never fetched is said so (an IOException that the walk turns into a gap),
 * never guessed.
 */
final class StoredGitHubData implements GitHubData {
    private final EvidenceStore store;
    private final LinksByName links;

    StoredGitHubData(EvidenceStore store, List<EvidenceRecord> records) {
        this.store = store;
        this.links = LinksByName.of(records);
    }

    /** The stored run records, in run id order. */
    List<JsonNode> runs() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (EvidenceLink l : links.all()) {
            if (l.kind().equals(RUN)) {
                out.add(record(l));
            }
        }
        out.sort(java.util.Comparator.comparingLong(n -> n.path("id").asLong()));
        return out;
    }

    @Override
    public Map<String, EvidenceLink> runs(List<JsonNode> runs) {
        Map<String, EvidenceLink> out = new java.util.HashMap<>();
        for (JsonNode r : runs) {
            String id = r.path("id").asText();
            EvidenceLink l = links.get(RUN, id);
            if (l != null) {
                out.put(id, l);
            }
        }
        return out;
    }

    @Override
    public Optional<String> file(String repo, String path, String ref) throws IOException {
        EvidenceLink l = need(FILE, GitHubData.fileName(repo, path, ref), path + " of " + repo + " at " + ref);
        return l.hash() == null ? Optional.empty() : Optional.of(text(l));
    }

    @Override
    public Optional<JsonNode> workflow(long id) throws IOException {
        EvidenceLink l = need(WORKFLOW, "workflow-id:" + id, "workflow " + id);
        return l.hash() == null ? Optional.empty() : Optional.of(json(l));
    }

    @Override
    public List<JsonNode> jobs(String runId) throws IOException {
        EvidenceLink listing = link(JOBS, runId);
        if (listing == null) {
            throw new NotInEvidence("the jobs of run " + runId + " are not in the evidence (the online scan did not "
                    + "fetch them: its workflow referenced no indicator then); scan online to judge them");
        }
        List<JsonNode> out = new ArrayList<>();
        for (String id : listing.note().split(",")) {
            if (!id.isEmpty()) {
                out.add(record(need(JOB, id, "job " + id)));
            }
        }
        return out;
    }

    @Override
    public Optional<String> log(String jobId) throws IOException, GitHubRest.ApiError {
        EvidenceLink l = link(LOG, jobId);
        if (l == null) {
            throw new NotInEvidence("not in the evidence (the online scan did not read it)");
        }
        if (l.hash() != null) {
            return Optional.of(text(l));
        }
        if ("expired".equals(l.note())) {
            return Optional.empty();
        }
        throw new IOException(l.note());
    }

    @Override
    public List<JsonNode> secrets(String storeName, String path) throws IOException, GitHubRest.ApiError {
        EvidenceLink l = need(SECRETS, storeName, storeName + " secrets listing");
        if (l.hash() == null) {
            String note = l.note() == null ? "" : l.note();
            if (note.startsWith("status:")) {
                String[] parts = note.split(":", 3);
                throw new GitHubRest.ApiError(Integer.parseInt(parts[1]), parts[2], path);
            }
            throw new IOException(note);
        }
        List<JsonNode> out = new ArrayList<>();
        json(l).forEach(out::add);
        return out;
    }

    @Override
    public Listing listing(String path) throws IOException {
        JsonNode n = json(need(HISTORY, path, "the commit-history listing " + path.replaceAll("\\?.*", "")));
        JsonNode next = n.path("next");
        return new Listing(n.path("status").asInt(), n.path("message").asText(""),
                next.isTextual() ? next.asText() : null, n.path("body").isMissingNode() || n.path("body").isNull()
                ? null : n.path("body"));
    }

    @Override
    public EvidenceLink link(String kind, String name) {
        return links.get(kind, name);
    }

    private EvidenceLink need(String kind, String name, String what) throws NotInEvidence {
        EvidenceLink l = link(kind, name);
        if (l == null) {
            throw new NotInEvidence(what + " is not in the evidence (the online scan did not read it)");
        }
        return l;
    }

    private String text(EvidenceLink l) throws IOException {
        return store.read(l.hash()).orElseThrow(() -> new NotInEvidence("evidence file " + l.hash() + " (" + l.kind()
                + " " + l.name() + ") is missing from the folder"));
    }

    private JsonNode json(EvidenceLink l) throws IOException {
        return GitHubRest.JSON.readTree(text(l));
    }

    /** Files holding several records (a repository's runs, a run's jobs), parsed once: by hash. */
    private final Map<String, JsonNode> parsed = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The run or job record a link names: the element with the link's id of the array its file holds, or, in
     * evidence folders written before records were grouped, the file's one object.
     */
    private JsonNode record(EvidenceLink l) throws IOException {
        JsonNode n = parsed.get(l.hash());
        if (n == null) {
            n = json(l);
            parsed.put(l.hash(), n);
        }
        if (!n.isArray()) {
            return n;
        }
        for (JsonNode r : n) {
            if (r.path("id").asText().equals(l.name())) {
                return r;
            }
        }
        throw new NotInEvidence(l.kind() + " " + l.name() + " is not in its evidence file " + l.hash());
    }

    /** Something the re-analysis needs that the evidence folder does not hold. */
    static final class NotInEvidence extends IOException {
        NotInEvidence(String message) {
            super(message);
        }
    }
}
