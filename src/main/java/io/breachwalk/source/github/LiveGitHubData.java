package io.breachwalk.source.github;

import io.breachwalk.evidence.LinksByName;
import com.fasterxml.jackson.databind.JsonNode;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.evidence.EvidenceStore;
import io.breachwalk.model.EvidenceLink;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breachwalk.source.github.graphql.CheckRunJob;
import io.breachwalk.source.github.graphql.CheckRunStep;
import io.breachwalk.source.github.graphql.FileRead;
import io.breachwalk.source.github.graphql.SuiteJobs;
import org.kohsuke.github.GHFileNotFoundException;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The GitHub API, each answer a verdict may rest on stored in the evidence folder as it is read. */
final class LiveGitHubData implements GitHubData {
    /** A log up to this size is kept whole; a longer one as the lines that mention the incident (an excerpt). */
    static final int WHOLE_LOG_LIMIT = 2 * 1024 * 1024;
    private static final int EXCERPT_LINES = 10_000;

    private final GitHub gh;
    private final GitHubRest rest;
    private final GHRepository repo;
    private final String fullName;
    private final String apiUrl;
    private final Map<String, GHRepository> otherRepos;
    private final EvidenceStore store;
    private final IndicatorMatcher matcher;
    private final LinksByName links = new LinksByName();
    /** Files and jobs read ahead through GraphQL (null: none); an item it does not know is read through REST. */
    private final GitHubPrefetch.Repo ahead;

    LiveGitHubData(GitHub gh, GitHubRest rest, GHRepository repo, String apiUrl, Map<String, GHRepository> otherRepos,
                 EvidenceStore store, IndicatorMatcher matcher) {
        this(gh, rest, repo, apiUrl, otherRepos, store, matcher, null);
    }

    LiveGitHubData(GitHub gh, GitHubRest rest, GHRepository repo, String apiUrl, Map<String, GHRepository> otherRepos,
                 EvidenceStore store, IndicatorMatcher matcher, GitHubPrefetch.Repo ahead) {
        this.ahead = ahead;
        this.gh = gh;
        this.rest = rest;
        this.repo = repo;
        this.fullName = repo.getFullName();
        this.apiUrl = apiUrl;
        this.otherRepos = otherRepos;
        this.store = store;
        this.matcher = matcher;
    }

    @Override
    public Map<String, EvidenceLink> runs(List<JsonNode> runs) {
        Map<String, EvidenceLink> out = new java.util.HashMap<>();
        if (runs.isEmpty()) {
            return out;
        }
        List<JsonNode> byId = new ArrayList<>(runs);
        byId.sort(java.util.Comparator.comparingLong(r -> r.path("id").asLong()));
        ArrayNode all = GitHubRest.JSON.createArrayNode();
        byId.forEach(all::add);
        String hash = store.put(RUN, apiUrl + "/repos/" + fullName + "/actions/runs", "application/json",
                all.toString());
        for (JsonNode r : byId) {
            String id = r.path("id").asText();
            out.put(id, remember(EvidenceLink.stored(RUN, id, null, hash)));
        }
        return out;
    }

    @Override
    public Optional<String> file(String repoName, String path, String ref) throws IOException {
        String name = GitHubData.fileName(repoName, path, ref);
        String url = apiUrl + "/repos/" + repoName + "/contents/" + path + "?ref="
                + URLEncoder.encode(ref, StandardCharsets.UTF_8);
        FileRead known = ahead == null ? null : ahead.files.remove(name);
        if (known != null && known.kind() == FileRead.Kind.TEXT) {
            remember(EvidenceLink.stored(FILE, name, null, store.put(FILE, url, "text/plain", known.text())));
            return Optional.of(known.text());
        }
        if (known != null && known.kind() == FileRead.Kind.ABSENT) {
            remember(EvidenceLink.absent(FILE, name, null, "not found"));
            return Optional.empty();
        }
        try {
            GHRepository r = repoName.equalsIgnoreCase(fullName) ? repo : otherRepo(repoName);
            if (r == null) {
                remember(EvidenceLink.absent(FILE, name, null, "repository not found"));
                return Optional.empty();
            }
            byte[] bytes;
            try (InputStream in = r.getFileContent(path, ref).read()) {
                bytes = in.readAllBytes();
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            remember(EvidenceLink.stored(FILE, name, null, store.put(FILE, url, "text/plain", text)));
            if (!utf8(bytes)) {
                // Decoding leniently would hand the YAML parser replacement characters and the analysis a file
                // that is not the one in the repository: say what it is instead. (The evidence keeps what was read.)
                throw new NotText(path + " at " + (ref.length() > 7 ? ref.substring(0, 7) : ref)
                        + " is not UTF-8 text (binary content, or another encoding)", text);
            }
            return Optional.of(text);
        } catch (GHFileNotFoundException e) {
            remember(EvidenceLink.absent(FILE, name, null, "not found"));
            return Optional.empty();
        }
    }

    private static boolean utf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    @Override
    public Optional<JsonNode> workflow(long id) throws IOException {
        String path = "/repos/" + fullName + "/actions/workflows/" + id;
        GitHubRest.Response r = rest.get(path);
        if (r.status() != 200) {
            remember(EvidenceLink.absent(WORKFLOW, "workflow-id:" + id, null, "HTTP " + r.status()));
            return Optional.empty();
        }
        JsonNode n = r.json();
        remember(EvidenceLink.stored(WORKFLOW, "workflow-id:" + id, null,
                store.put(WORKFLOW, apiUrl + path, "application/json", n.toString())));
        return Optional.of(n);
    }

    @Override
    public List<JsonNode> jobs(String runId) throws IOException, GitHubRest.ApiError {
        SuiteJobs known = ahead == null ? null : ahead.jobs.remove(runId);
        List<JsonNode> jobs = known != null ? restShape(known) : rest.pages("/repos/" + fullName + "/actions/runs/" + runId + "/jobs?filter=all&per_page=100",
                "jobs");
        List<String> ids = new ArrayList<>();
        // One file for the run's jobs (a JSON array; each job's link is read back by its id), not one per job.
        String hash = jobs.isEmpty() ? null : store.put(JOB, apiUrl + "/repos/" + fullName + "/actions/runs/" + runId
                + "/jobs", "application/json", GitHubRest.JSON.createArrayNode().addAll(jobs).toString());
        for (JsonNode j : jobs) {
            String id = j.path("id").asText();
            ids.add(id);
            remember(EvidenceLink.stored(JOB, id, id, hash));
        }
        remember(EvidenceLink.absent(JOBS, runId, null, String.join(",", ids)));
        return jobs;
    }

    /**
     * Jobs read through GraphQL in the jobs API's shape (the fields the walk reads); only runs of one attempt are read
     * this way, so every job is of attempt 1.
     */
    private static List<JsonNode> restShape(SuiteJobs suite) {
        List<JsonNode> out = new ArrayList<>();
        for (CheckRunJob j : suite.jobs()) {
            ObjectNode n = GitHubRest.JSON.createObjectNode();
            n.put("id", j.id());
            n.put("run_id", j.runId());
            n.put("run_attempt", 1);
            n.put("node_id", j.nodeId());
            n.put("name", j.name());
            n.put("status", j.status());
            n.put("conclusion", j.conclusion());
            n.put("started_at", j.startedAt());
            n.put("completed_at", j.completedAt());
            n.put("html_url", j.htmlUrl());
            ArrayNode steps = n.putArray("steps");
            for (CheckRunStep s : j.steps()) {
                ObjectNode st = steps.addObject();
                st.put("name", s.name());
                st.put("status", s.status());
                st.put("conclusion", s.conclusion());
                st.put("number", s.number());
                st.put("started_at", s.startedAt());
                st.put("completed_at", s.completedAt());
            }
            out.add(n);
        }
        return out;
    }

    @Override
    public Optional<String> log(String jobId) throws IOException, GitHubRest.ApiError {
        String path = "/repos/" + fullName + "/actions/jobs/" + jobId + "/logs";
        Optional<String> log;
        try {
            log = rest.log(path);
        } catch (IOException | GitHubRest.ApiError e) {
            remember(EvidenceLink.absent(LOG, jobId, jobId, "error: " + e.getMessage()));
            throw e;
        }
        if (log.isEmpty()) {
            remember(EvidenceLink.absent(LOG, jobId, jobId, "expired"));
            return log;
        }
        String text = log.get();
        boolean whole = text.length() <= WHOLE_LOG_LIMIT;
        String kept = whole ? text : excerpt(text);
        remember(EvidenceLink.stored(LOG, jobId, jobId, store.put(whole ? LOG : LOG + "-excerpt", apiUrl + path,
                "text/plain", kept)));
        return log;
    }

    /** The lines a playbook could read as evidence: those that mention codecov or that the matcher knows. */
    private String excerpt(String log) {
        StringBuilder out = new StringBuilder();
        int kept = 0;
        for (String line : log.split("\r?\n")) {
            if (kept < EXCERPT_LINES && (line.toLowerCase(Locale.ROOT).contains("codecov") || matcher.log(line).isPresent()
                    || line.startsWith("##[breachwalk]"))) {
                out.append(line).append('\n');
                kept++;
            }
        }
        return out.toString();
    }

    @Override
    public List<JsonNode> secrets(String storeName, String path) throws IOException, GitHubRest.ApiError {
        List<JsonNode> items;
        try {
            items = rest.pages(path, "secrets");
        } catch (GitHubRest.ApiError e) {
            remember(EvidenceLink.absent(SECRETS, storeName, null, "status:" + e.status + ":" + e.detail));
            throw e;
        } catch (IOException | RuntimeException e) {
            remember(EvidenceLink.absent(SECRETS, storeName, null, "error: " + e.getMessage()));
            throw e;
        }
        com.fasterxml.jackson.databind.node.ArrayNode all = GitHubRest.JSON.createArrayNode();
        items.forEach(all::add);
        remember(EvidenceLink.stored(SECRETS, storeName, null, store.put(SECRETS, apiUrl + path, "application/json",
                all.toString())));
        return items;
    }

    @Override
    public Listing listing(String path) throws IOException {
        GitHubRest.Response r = rest.get(path);
        JsonNode body = r.status() == 200 ? r.json() : null;
        // The next page as a path: the stored answer must not depend on the address the API was reached at.
        String next = r.next().map(LiveGitHubData::pathOf).orElse(null);
        Listing l = new Listing(r.status(), r.status() == 200 ? "" : r.message(), next, body);
        com.fasterxml.jackson.databind.node.ObjectNode stored = GitHubRest.JSON.createObjectNode();
        stored.put("status", l.status());
        stored.put("message", l.message());
        stored.put("next", l.next());
        stored.set("body", body);
        remember(EvidenceLink.stored(HISTORY, path, null, store.put(HISTORY, apiUrl + path, "application/json",
                stored.toString())));
        return l;
    }

    private static String pathOf(String url) {
        if (url.startsWith("/")) {
            return url;
        }
        java.net.URI u = java.net.URI.create(url);
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    @Override
    public EvidenceLink link(String kind, String name) {
        return links.get(kind, name);
    }

    private EvidenceLink remember(EvidenceLink l) {
        return links.put(l);
    }

    private GHRepository otherRepo(String name) throws IOException {
        synchronized (otherRepos) {
            if (!otherRepos.containsKey(name)) {
                GHRepository r;
                try {
                    r = gh.getRepository(name);
                } catch (GHFileNotFoundException e) {
                    r = null;
                }
                otherRepos.put(name, r);
            }
            return otherRepos.get(name);
        }
    }
}
