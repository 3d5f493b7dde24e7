package io.breachwalk.source.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import io.breachwalk.model.EvidenceRecord;
import io.breachwalk.source.CiSource;
import io.breachwalk.source.Findings;
import io.breachwalk.source.HttpFailure;
import io.breachwalk.source.ScanContext;
import io.breachwalk.source.Sink;
import io.breachwalk.source.SourceException;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * GitLab CI (gitlab.com or a self-managed instance): every project of the groups (with their subgroups) and the
 * named projects, each judged as one unit by {@link ProjectWalk}. Shaped as units and a judge of one unit: {@link
 * #units} lists the projects, {@link #judge} walks one into its {@link Findings.Unit}; {@link #walk} loops them.
 */
public final class GitLabSource implements CiSource<GitLabSource.Project> {
    public static final String PROVIDER = "gitlab-ci";

    /** A project to walk, as `/projects/:id` describes it. */
    public record Project(long id, String fullPath, String configPath, String namespacePath, String namespaceKind,
                   String webUrl, String defaultBranch, boolean ciDisabled) {
        /** The project's ancestor groups, closest first ("acme/platform", then "acme"); none for a user namespace. */
        /** The project as the evidence manifest keeps it, for `scan --offline`. */
        Map<String, String> facts() {
            Map<String, String> f = new java.util.LinkedHashMap<>();
            f.put("project_id", Long.toString(id));
            f.put("config_path", configPath);
            f.put("namespace_path", namespacePath);
            f.put("namespace_kind", namespaceKind);
            f.put("web_url", webUrl);
            f.put("default_branch", defaultBranch);
            f.put("ci_disabled", Boolean.toString(ciDisabled));
            return f;
        }

        static Project fromFacts(String fullPath, Map<String, String> f) {
            return new Project(Long.parseLong(f.get("project_id")), fullPath, f.getOrDefault("config_path",
                    ".gitlab-ci.yml"), f.getOrDefault("namespace_path", ""), f.getOrDefault("namespace_kind", "group"),
                    f.getOrDefault("web_url", ""), f.getOrDefault("default_branch", ""),
                    Boolean.parseBoolean(f.get("ci_disabled")));
        }

        List<String> groups() {
            List<String> out = new ArrayList<>();
            if (!"group".equals(namespaceKind) || namespacePath == null || namespacePath.isEmpty()) return out;
            String p = namespacePath;
            while (true) {
                out.add(p);
                int slash = p.lastIndexOf('/');
                if (slash < 0) break;
                p = p.substring(0, slash);
            }
            return out;
        }
    }

    private final String url;
    private final String token;
    private final List<String> groups;
    private final List<String> projects;
    private final String host;
    private volatile String username = "";
    private GitLabHttp http;
    /** The live API the walk reads: gitlab4j-api with a token, falling back to {@link #http} where it lacks a call. */
    private GitLabData live;
    /** Group and instance answers, asked once per scan and linked from every project's evidence. */
    private final Map<String, LiveGitLabData.Answer> shared = new ConcurrentHashMap<>();
    private VariableStores stores;

    public GitLabSource(String url, String token, List<String> groups, List<String> projects) {
        this.url = url.replaceAll("/+$", "");
        this.token = token;
        this.groups = List.copyOf(groups);
        this.projects = List.copyOf(projects);
        this.host = URI.create(this.url).getHost();
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public String identity() {
        return username;
    }

    @Override
    public String unitLabel() {
        return "GitLab projects";
    }

    @Override
    public String unitName(Project p) {
        return p.fullPath();
    }

    /** Projects are judged one at a time: the requests of each count into it, and its pipelines share the pool. */
    @Override
    public boolean parallelUnits() {
        return false;
    }

    /** Checks the token and lists the projects to walk, sorted by full path. */
    @Override
    public List<Project> units(ScanContext ctx) throws SourceException {
        http = new GitLabHttp(url, token, ctx.retry(), ctx.findings());
        live = token == null ? http : new GitLab4jApi(url, token, http);
        stores = new VariableStores(host);
        checkToken();
        Map<String, Project> out = new TreeMap<>();
        for (String g : groups) {
            try {
                live.json("/groups/" + GitLabHttp.enc(g));
                for (JsonNode p : live.list("/groups/" + GitLabHttp.enc(g) + "/projects?include_subgroups=true&with_shared=false"
                        + "&order_by=id&sort=asc", 0).items()) {
                    Project project = project(p);
                    out.put(project.fullPath(), project);
                }
            } catch (HttpFailure f) {
                throw targetFailure("group", g, f);
            } catch (IOException e) {
                throw new SourceException("cannot list the projects of GitLab group '" + g + "' at " + url + ": "
                        + e.getMessage());
            }
        }
        for (String name : projects) {
            try {
                Project project = project(live.json("/projects/" + GitLabHttp.enc(name)));
                out.put(project.fullPath(), project);
            } catch (HttpFailure f) {
                throw targetFailure("project", name, f);
            } catch (IOException e) {
                throw new SourceException("cannot read GitLab project '" + name + "' at " + url + ": " + e.getMessage());
            }
        }
        return new ArrayList<>(out.values());
    }

    /** Walks one project into {@code sink}, its pipelines on {@code pool}; a failure inside is a gap there. */
    @Override
    public void judge(Project project, Findings.Unit sink, ScanContext ctx, ExecutorService pool) {
        http.countInto(sink);
        try {
            LiveGitLabData api = new LiveGitLabData(live, ctx.evidence(), url, shared);
            new ProjectWalk(ctx, sink, api, stores, host, project, pool).walk();
            sink.evidence(new EvidenceRecord(PROVIDER, host, project.fullPath(), "", project.facts(), api.links()));
        } finally {
            http.countInto(ctx.findings()); // requests between projects count into the scan
        }
    }

    String host() {
        return host;
    }

    private void checkToken() throws SourceException {
        if (token == null) return; // anonymous: /user answers 401, which is no rejected token; the listing tells
        try {
            JsonNode user = live.json("/user");
            username = user.path("username").asText("");
        } catch (HttpFailure f) {
            switch (f.kind()) {
                case DENIED -> throw new SourceException(SourceException.Kind.ACCESS_DENIED, "GitLab rejected the "
                        + "token in GITLAB_TOKEN (HTTP " + f.status() + ") at " + url);
                case UNREACHABLE -> throw new SourceException(SourceException.Kind.UNREACHABLE, "cannot reach GitLab at "
                        + url + ": " + f.getMessage().replaceFirst(" for /\\S*$", "") + " (check --gitlab-url and the network)", f);
                case NOT_FOUND -> throw new SourceException(SourceException.Kind.NOT_THE_API, url + " answered 404 on "
                        + "/api/v4/user: not a GitLab instance; --gitlab-url is the instance's root, e.g. https://gitlab.com", f);
                default -> throw new SourceException("GitLab at " + url + " failed the token check (GET /api/v4/user): "
                        + f.getMessage(), f);
            }
        } catch (IOException e) {
            throw new SourceException("cannot reach GitLab at " + url + ": " + e.getMessage(), e);
        }
    }

    private SourceException targetFailure(String what, String name, HttpFailure f) {
        if (f.kind() == HttpFailure.Kind.NOT_FOUND) {
            return new SourceException("GitLab " + what + " '" + name + "' was not found at " + url
                    + " (or the token in GITLAB_TOKEN cannot see it)");
        }
        return new SourceException("cannot read GitLab " + what + " '" + name + "' at " + url + ": " + f.getMessage(), f);
    }

    private static Project project(JsonNode p) {
        JsonNode ns = p.path("namespace");
        String config = p.path("ci_config_path").asText("");
        return new Project(p.path("id").asLong(), p.path("path_with_namespace").asText(),
                config.isBlank() ? ".gitlab-ci.yml" : config, ns.path("full_path").asText(""),
                ns.path("kind").asText("group"), p.path("web_url").asText(""), p.path("default_branch").asText(""),
                "disabled".equals(p.path("builds_access_level").asText("")) || !p.path("jobs_enabled").asBoolean(true));
    }
}
