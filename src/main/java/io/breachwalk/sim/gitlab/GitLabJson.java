package io.breachwalk.sim.gitlab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breachwalk.sim.gitlab.GitLabEstate.Commit;
import io.breachwalk.sim.gitlab.GitLabEstate.Group;
import io.breachwalk.sim.gitlab.GitLabEstate.Job;
import io.breachwalk.sim.gitlab.GitLabEstate.Pipeline;
import io.breachwalk.sim.gitlab.GitLabEstate.Project;
import io.breachwalk.sim.gitlab.GitLabEstate.Token;
import io.breachwalk.sim.gitlab.GitLabEstate.Variable;

import java.time.Duration;
import java.time.Instant;

/**
 * The JSON bodies of the {@link GitLabSimulator}, shaped as GitLab's REST API v4 documents them (the fields a client
 * reads, plus enough of the rest that a strict model accepts them). Links point at the estate's web URL.
 */
final class GitLabJson {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String webUrl;
    private final GitLabEstate estate;

    GitLabJson(String webUrl, GitLabEstate estate) {
        this.webUrl = webUrl;
        this.estate = estate;
    }

    static ObjectNode message(String message) {
        return JSON.createObjectNode().put("message", message);
    }

    ObjectNode user(Token t) {
        ObjectNode u = JSON.createObjectNode();
        u.put("id", 4242);
        u.put("username", t.username());
        u.put("name", t.username());
        u.put("state", "active");
        u.put("web_url", webUrl + "/" + t.username());
        u.put("is_admin", t.admin());
        return u;
    }

    ObjectNode group(Group g) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", g.id());
        n.put("name", g.name());
        n.put("path", g.path());
        n.put("full_name", g.fullPath().replace("/", " / "));
        n.put("full_path", g.fullPath());
        n.put("description", "");
        n.put("visibility", "private");
        n.put("web_url", webUrl + "/groups/" + g.fullPath());
        if (g.parentId() == null) {
            n.putNull("parent_id");
        } else {
            n.put("parent_id", g.parentId());
        }
        n.put("created_at", "2020-01-01T00:00:00.000Z");
        return n;
    }

    ObjectNode project(Project p) {
        Group ns = estate.groupById(p.namespaceId()).orElseThrow();
        ObjectNode n = JSON.createObjectNode();
        n.put("id", p.id());
        n.put("name", p.path());
        n.put("path", p.path());
        n.put("name_with_namespace", p.pathWithNamespace().replace("/", " / "));
        n.put("path_with_namespace", p.pathWithNamespace());
        n.put("description", "");
        n.put("default_branch", p.defaultBranch());
        n.put("visibility", "private");
        n.put("archived", false);
        n.put("empty_repo", p.commits().isEmpty());
        n.put("web_url", webUrl + "/" + p.pathWithNamespace());
        n.put("http_url_to_repo", webUrl + "/" + p.pathWithNamespace() + ".git");
        if (p.ciConfigPath() == null) {
            n.putNull("ci_config_path");
        } else {
            n.put("ci_config_path", p.ciConfigPath());
        }
        n.put("created_at", "2020-01-01T00:00:00.000Z");
        n.put("jobs_enabled", true);
        ObjectNode namespace = n.putObject("namespace");
        namespace.put("id", ns.id());
        namespace.put("name", ns.name());
        namespace.put("path", ns.path());
        namespace.put("kind", "group");
        namespace.put("full_path", ns.fullPath());
        if (ns.parentId() == null) {
            namespace.putNull("parent_id");
        } else {
            namespace.put("parent_id", ns.parentId());
        }
        namespace.put("web_url", webUrl + "/groups/" + ns.fullPath());
        return n;
    }

    /** The short form of the pipelines listing. */
    ObjectNode pipelineBasic(Project p, Pipeline pl) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", pl.id());
        n.put("iid", pl.iid());
        n.put("project_id", p.id());
        n.put("sha", pl.sha());
        n.put("ref", pl.ref());
        n.put("status", pl.status());
        n.put("source", pl.source());
        n.put("created_at", time(pl.createdAt()));
        n.put("updated_at", time(pl.updatedAt()));
        n.put("web_url", webUrl + "/" + p.pathWithNamespace() + "/-/pipelines/" + pl.id());
        return n;
    }

    ObjectNode pipeline(Project p, Pipeline pl) {
        ObjectNode n = pipelineBasic(p, pl);
        n.put("before_sha", "0000000000000000000000000000000000000000");
        n.put("tag", pl.tag());
        n.putNull("yaml_errors");
        n.set("user", userStub());
        Instant started = pl.jobs().stream().map(Job::startedAt).filter(t -> t != null).min(Instant::compareTo)
                .orElse(null);
        Instant finished = pl.jobs().stream().map(Job::finishedAt).filter(t -> t != null).max(Instant::compareTo)
                .orElse(null);
        putTime(n, "started_at", started);
        putTime(n, "finished_at", finished);
        n.putNull("committed_at");
        if (started != null && finished != null) {
            n.put("duration", Duration.between(started, finished).getSeconds());
        } else {
            n.putNull("duration");
        }
        n.putNull("coverage");
        ObjectNode ds = n.putObject("detailed_status");
        ds.put("icon", "status_" + pl.status());
        ds.put("text", pl.status());
        ds.put("label", pl.status());
        ds.put("group", pl.status());
        return n;
    }

    private ObjectNode pipelineRef(Project p, Pipeline pl) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", pl.id());
        n.put("project_id", p.id());
        n.put("ref", pl.ref());
        n.put("sha", pl.sha());
        n.put("status", pl.status());
        return n;
    }

    ObjectNode job(Project p, Pipeline pl, Job j) {
        ObjectNode n = jobCommon(p, pl, j.id(), j.name(), j.stage(), j.status(), j.createdAt(), j.startedAt(),
                j.finishedAt());
        putTime(n, "erased_at", j.erased() ? j.finishedAt() == null ? j.createdAt() : j.finishedAt() : null);
        n.putArray("artifacts");
        n.putNull("artifacts_expire_at");
        n.putArray("tag_list");
        n.putNull("runner");
        n.putObject("project").put("ci_job_token_scope_enabled", false);
        Commit c = p.commit(pl.sha()).orElse(null);
        ObjectNode commit = n.putObject("commit");
        commit.put("id", pl.sha());
        commit.put("short_id", pl.sha().substring(0, 8));
        commit.put("title", c == null ? "" : firstLine(c.message()));
        commit.put("message", c == null ? "" : c.message());
        commit.put("created_at", c == null ? null : time(c.date()));
        if (j.status().equals("failed")) {
            n.put("failure_reason", "script_failure");
        }
        return n;
    }

    /** A bridge (trigger job) of the parent pipeline, pointing at the child it started. */
    ObjectNode bridge(Project p, Pipeline parent, Pipeline child, long bridgeId) {
        ObjectNode n = jobCommon(p, parent, bridgeId, child.triggerJob(), "test", child.status(), child.createdAt(),
                child.createdAt(), child.updatedAt());
        n.putNull("erased_at");
        ObjectNode down = pipelineBasic(p, child);
        n.set("downstream_pipeline", down);
        return n;
    }

    private ObjectNode jobCommon(Project p, Pipeline pl, long id, String name, String stage, String status,
                                 Instant created, Instant started, Instant finished) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("name", name);
        n.put("stage", stage);
        n.put("status", status);
        n.put("ref", pl.ref());
        n.put("tag", pl.tag());
        n.putNull("coverage");
        n.put("allow_failure", false);
        n.put("created_at", time(created));
        putTime(n, "started_at", started);
        putTime(n, "finished_at", finished);
        if (started != null && finished != null) {
            n.put("duration", Duration.between(started, finished).toMillis() / 1000.0);
        } else {
            n.putNull("duration");
        }
        n.put("queued_duration", started == null ? 0.0 : 1.0);
        n.set("user", userStub());
        n.set("pipeline", pipelineRef(p, pl));
        n.put("web_url", webUrl + "/" + p.pathWithNamespace() + "/-/jobs/" + id);
        return n;
    }

    ObjectNode deployment(Project p, Pipeline pl, Job j, int iid) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", 700_000 + j.id() % 100_000_000);
        n.put("iid", iid);
        n.put("ref", pl.ref());
        n.put("sha", pl.sha());
        n.put("created_at", time(j.createdAt()));
        n.put("updated_at", time(j.finishedAt() == null ? j.createdAt() : j.finishedAt()));
        n.put("status", j.status());
        n.set("user", userStub());
        ObjectNode env = n.putObject("environment");
        env.put("id", Math.abs(j.environment().hashCode()) % 100_000);
        env.put("name", j.environment());
        n.set("deployable", job(p, pl, j));
        return n;
    }

    ObjectNode commit(Project p, Commit c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", c.sha());
        n.put("short_id", c.sha().substring(0, 8));
        n.put("title", firstLine(c.message()));
        n.put("message", c.message());
        n.put("author_name", "Dev");
        n.put("author_email", "dev@example.com");
        n.put("authored_date", time(c.date()));
        n.put("committer_name", "Dev");
        n.put("committer_email", "dev@example.com");
        n.put("committed_date", time(c.date()));
        n.put("created_at", time(c.date()));
        if (c.parentSha() == null) {
            n.putArray("parent_ids");
        } else {
            n.putArray("parent_ids").add(c.parentSha());
        }
        n.put("web_url", webUrl + "/" + p.pathWithNamespace() + "/-/commit/" + c.sha());
        return n;
    }

    static ObjectNode branch(String name, Commit c, boolean isDefault, boolean isProtected) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", name);
        n.put("merged", false);
        n.put("protected", isProtected);
        n.put("default", isDefault);
        ObjectNode commit = n.putObject("commit");
        commit.put("id", c.sha());
        commit.put("short_id", c.sha().substring(0, 8));
        commit.put("committed_date", time(c.date()));
        return n;
    }

    static ObjectNode protectedBranch(int id, String name) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("name", name);
        n.putArray("push_access_levels").addObject().put("access_level", 40)
                .put("access_level_description", "Maintainers");
        n.putArray("merge_access_levels").addObject().put("access_level", 40)
                .put("access_level_description", "Maintainers");
        n.put("allow_force_push", false);
        n.put("code_owner_approval_required", false);
        return n;
    }

    static ObjectNode protectedTag(String name) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", name);
        n.putArray("create_access_levels").addObject().put("access_level", 40)
                .put("access_level_description", "Maintainers");
        return n;
    }

    /** GitLab's variables API answers the value too; the simulator's is a fake the walk must drop. */
    static ObjectNode variable(Variable v, boolean withScope) {
        ObjectNode n = JSON.createObjectNode();
        n.put("variable_type", v.variableType());
        n.put("key", v.key());
        n.put("value", v.value());
        n.put("protected", v.isProtected());
        n.put("masked", v.masked());
        n.put("hidden", false);
        n.put("raw", false);
        if (withScope) {
            n.put("environment_scope", v.environmentScope());
        }
        n.putNull("description");
        return n;
    }

    private ObjectNode userStub() {
        ObjectNode u = JSON.createObjectNode();
        u.put("id", 1);
        u.put("username", "dev");
        u.put("name", "Dev");
        u.put("state", "active");
        u.put("web_url", webUrl + "/dev");
        return u;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** GitLab's form: milliseconds and Z, e.g. 2021-03-01T10:00:00.000Z. */
    static String time(Instant t) {
        return t == null ? null : java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(t);
    }

    private static void putTime(ObjectNode n, String field, Instant t) {
        if (t == null) {
            n.putNull(field);
        } else {
            n.put(field, time(t));
        }
    }
}
