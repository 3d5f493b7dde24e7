package io.breachwalk.source.jenkins;

import io.breachwalk.evidence.LinksByName;
import com.cdancy.jenkins.rest.domain.job.Stage;
import com.cdancy.jenkins.rest.domain.job.Workflow;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.model.EvidenceLink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Jenkins over HTTP, each answer a verdict may rest on stored in the evidence folder as it is read. */
final class LiveJenkinsData implements JenkinsData {
    private static final ObjectMapper JSON = new ObjectMapper();

    interface Workflows {
        Workflow workflow(List<String> names, int number) throws IOException;
    }

    interface Configs {
        String config(List<String> names) throws IOException;
    }

    private final JenkinsHttp http;
    private final Configs configs;
    private final Workflows workflows;
    private final ScmFiles scm;
    private final EvidenceStore store;
    private final IndicatorMatcher matcher;
    private final LinksByName links = new LinksByName();

    LiveJenkinsData(JenkinsHttp http, Configs configs, Workflows workflows, ScmFiles scm, EvidenceStore store,
                    IndicatorMatcher matcher) {
        this.http = http;
        this.configs = configs;
        this.workflows = workflows;
        this.scm = scm;
        this.store = store;
        this.matcher = matcher;
    }

    @Override
    public JsonNode build(String jobName, String buildPath, int number) throws IOException {
        String path = buildPath + "api/json?tree=" + JenkinsSource.BUILD_TREE;
        JsonNode n = http.json(path);
        String name = jobName + "/" + number;
        remember(n == null ? EvidenceLink.absent(BUILD, name, null, "gone")
                : EvidenceLink.stored(BUILD, name, null, store.put(BUILD, http.base() + path, "application/json", n.toString())));
        return n;
    }

    @Override
    public ConsoleScan.Result console(String jobName, String buildPath, int number) throws IOException {
        ConsoleScan.Result r = http.read(buildPath + "consoleText", in -> ConsoleScan.scan(in, matcher, true));
        String name = jobName + "/" + number;
        if (r == null) {
            remember(EvidenceLink.absent(CONSOLE, name, null, "gone"));
        } else {
            remember(EvidenceLink.stored(CONSOLE, name, null, store.put(r.complete() ? CONSOLE : CONSOLE + "-excerpt",
                    http.base() + buildPath + "consoleText", "text/plain", r.kept())));
        }
        return r;
    }

    @Override
    public String config(String jobName, List<String> names) throws IOException {
        String xml;
        try {
            xml = configs.config(names);
        } catch (IOException e) {
            remember(EvidenceLink.absent(CONFIG, jobName, null, "error: " + e.getMessage()));
            throw e;
        }
        remember(xml == null ? EvidenceLink.absent(CONFIG, jobName, null, "not found")
                : EvidenceLink.stored(CONFIG, jobName, null, store.put(CONFIG, http.base()
                + JenkinsSource.jobPath(names) + "config.xml", "application/xml", xml)));
        return xml;
    }

    @Override
    public Revision revision(List<String> remotes, String sha) {
        List<ScmFiles.Tree> trees = new ArrayList<>();
        for (String remote : remotes) trees.add(scm.tree(remote, sha));
        return new Revision() {
            private String unreachable;

            @Override
            public Optional<String> read(String path, String[] why) {
                Optional<String> text = Optional.empty();
                String from = "";
                boolean reached = false;
                for (ScmFiles.Tree t : trees) {
                    ScmFiles.Result r = t.result(path);
                    from = t.url;
                    reached |= !r.unreachable();
                    if (r.text() != null) {
                        text = Optional.of(r.text());
                        break;
                    }
                    why[0] = r.why();
                }
                if (!reached && !trees.isEmpty()) unreachable = why[0];
                rememberFile(from, sha, path, text, why[0]);
                return text;
            }

            @Override
            public String unreachable() { return unreachable; }

            @Override
            public void close() { trees.forEach(ScmFiles.Tree::close); }
        };
    }

    /** A file read from a job's git remote at one commit, stored as evidence, or why it is absent. */
    private void rememberFile(String remote, String sha, String path, Optional<String> text, String why) {
        String name = path + "@" + sha;
        remember(text.isEmpty() ? EvidenceLink.absent(SCM_FILE, name, null, why)
                : EvidenceLink.stored(SCM_FILE, name, null, store.put(SCM_FILE, remote + "#" + sha + ":" + path,
                "text/plain", text.get())));
    }

    @Override
    public History history(String jobName, List<String> remotes, String branch, String path, java.time.Instant since,
                           java.time.Instant until) {
        ScmFiles.History found = null;
        String from = "";
        String failure = "no git remote is recorded for the job";
        for (String remote : remotes) {
            ScmFiles.History h = scm.history(remote, branch, path, since, until);
            if (h.failure() == null) {
                found = h;
                from = remote;
                break;
            }
            failure = h.failure();
        }
        if (found == null) {
            remember(EvidenceLink.absent(SCM_HISTORY, jobName, null, failure));
            String why = failure;
            return new History() {
                public List<ScmFiles.Version> versions() { return List.of(); }

                public String failure() { return why; }

                public Revision at(String sha) { return (p, w) -> Optional.empty(); }
            };
        }
        StringBuilder list = new StringBuilder();
        for (ScmFiles.Version v : found.versions()) list.append(v.sha()).append(' ').append(v.time()).append('\n');
        remember(EvidenceLink.stored(SCM_HISTORY, jobName, null, store.put(SCM_HISTORY, from + "#" + branch + ":" + path
                + "?since=" + since + "&until=" + until, "text/plain", list.toString())));
        ScmFiles.History h = found;
        String remote = from;
        return new History() {
            public List<ScmFiles.Version> versions() { return h.versions(); }

            public String failure() { return null; }

            public Revision at(String sha) {
                return (p, why) -> {
                    Optional<String> text = h.read(sha, p, why);
                    rememberFile(remote, sha, p, text, why[0]);
                    return text;
                };
            }

            public void close() { h.close(); }
        };
    }

    @Override
    public List<String> stages(String jobName, List<String> names, int number) {
        List<String> out = new ArrayList<>();
        try {
            Workflow wf = workflows.workflow(names, number);
            if (wf != null && wf.stages() != null) {
                for (Stage s : wf.stages()) out.add(s.name());
            }
        } catch (IOException | RuntimeException e) {
            // wfapi is a plugin; without it (404, or a client that cannot read the answer) the job name stands
        }
        ObjectNode n = JSON.createObjectNode();
        ArrayNode a = n.putArray("stages");
        out.forEach(a::add);
        remember(EvidenceLink.stored(WFAPI, jobName + "/" + number, null, store.put(WFAPI, http.base()
                + JenkinsSource.jobPath(names) + number + "/wfapi/describe", "application/json", n.toString())));
        return out;
    }

    @Override
    public JsonNode credentials(String owner, String path) throws IOException {
        JsonNode n;
        try {
            n = http.json(path);
        } catch (IOException e) {
            remember(EvidenceLink.absent(CREDENTIALS, owner, null, "error: " + e.getMessage()));
            throw e;
        }
        remember(n == null ? EvidenceLink.absent(CREDENTIALS, owner, null, "no store")
                : EvidenceLink.stored(CREDENTIALS, owner, null, store.put(CREDENTIALS, http.base() + path,
                "application/json", n.toString())));
        return n;
    }

    @Override
    public EvidenceLink link(String kind, String name) {
        return links.get(kind, name);
    }

    private void remember(EvidenceLink l) {
        links.put(l);
    }
}
