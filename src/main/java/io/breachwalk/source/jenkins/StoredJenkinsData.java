package io.breachwalk.source.jenkins;

import io.breachwalk.evidence.LinksByName;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.model.EvidenceLink;
import io.breachwalk.model.EvidenceRecord;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Jenkins as an evidence folder holds it (`scan --offline`): every answer from a stored file, no request. */
final class StoredJenkinsData implements JenkinsData {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EvidenceStore store;
    private final io.breachwalk.detect.IndicatorMatcher matcher;
    private final LinksByName links;

    StoredJenkinsData(EvidenceStore store, io.breachwalk.detect.IndicatorMatcher matcher, List<EvidenceRecord> records) {
        this.store = store;
        this.matcher = matcher;
        this.links = LinksByName.of(records);
    }

    @Override
    public JsonNode build(String jobName, String buildPath, int number) throws IOException {
        EvidenceLink l = need(BUILD, jobName + "/" + number);
        return l.hash() == null ? null : JSON.readTree(text(l));
    }

    @Override
    public ConsoleScan.Result console(String jobName, String buildPath, int number) throws IOException {
        EvidenceLink l = need(CONSOLE, jobName + "/" + number);
        if (l.hash() == null) return null;
        return ConsoleScan.scan(new ByteArrayInputStream(text(l).getBytes(StandardCharsets.UTF_8)), matcher, false);
    }

    @Override
    public String config(String jobName, List<String> names) throws IOException {
        EvidenceLink l = need(CONFIG, jobName);
        if (l.hash() != null) return text(l);
        if ("not found".equals(l.note())) return null;
        throw new IOException(l.note());
    }

    @Override
    public Revision revision(List<String> remotes, String sha) {
        return (path, why) -> scmFile(sha, path, why);
    }

    private Optional<String> scmFile(String sha, String path, String[] why) throws IOException {
        EvidenceLink l = link(SCM_FILE, path + "@" + sha);
        if (l == null) {
            why[0] = path + " at " + ScmFiles.abbrev(sha) + " is not in the evidence (the online scan did not read it)";
            return Optional.empty();
        }
        if (l.hash() == null) {
            why[0] = l.note();
            return Optional.empty();
        }
        return Optional.of(text(l));
    }

    @Override
    public History history(String jobName, List<String> remotes, String branch, String path, java.time.Instant since,
                           java.time.Instant until) {
        EvidenceLink l = link(SCM_HISTORY, jobName);
        List<ScmFiles.Version> versions = new ArrayList<>();
        String failure = null;
        if (l == null) {
            failure = "the history of " + path + " is not in the evidence (the online scan did not read it)";
        } else if (l.hash() == null) {
            failure = l.note();
        } else {
            try {
                for (String line : text(l).split("\n")) {
                    String[] f = line.trim().split(" ");
                    if (f.length == 2) versions.add(new ScmFiles.Version(f[0], java.time.Instant.parse(f[1])));
                }
            } catch (IOException | RuntimeException e) {
                failure = "the stored history of " + path + " cannot be read: " + e.getMessage();
            }
        }
        String why = failure;
        return new History() {
            public List<ScmFiles.Version> versions() { return versions; }

            public String failure() { return why; }

            public Revision at(String sha) { return (p, w) -> scmFile(sha, p, w); }
        };
    }

    @Override
    public List<String> stages(String jobName, List<String> names, int number) throws IOException {
        EvidenceLink l = link(WFAPI, jobName + "/" + number);
        if (l == null || l.hash() == null) return List.of();
        List<String> out = new ArrayList<>();
        JSON.readTree(text(l)).path("stages").forEach(s -> out.add(s.asText()));
        return out;
    }

    @Override
    public JsonNode credentials(String owner, String path) throws IOException {
        EvidenceLink l = need(CREDENTIALS, owner);
        if (l.hash() != null) return JSON.readTree(text(l));
        if ("no store".equals(l.note())) return null;
        throw new IOException(l.note());
    }

    @Override
    public EvidenceLink link(String kind, String name) {
        return links.get(kind, name);
    }

    private EvidenceLink need(String kind, String name) throws IOException {
        EvidenceLink l = link(kind, name);
        if (l == null) throw new IOException(kind + " " + name + " is not in the evidence (the online scan did not read it)");
        return l;
    }

    private String text(EvidenceLink l) throws IOException {
        return store.read(l.hash()).orElseThrow(() -> new IOException("evidence file " + l.hash() + " (" + l.kind()
                + " " + l.name() + ") is missing from the folder"));
    }
}
