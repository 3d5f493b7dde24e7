package io.breachwalk.sim.github;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breachwalk.sim.github.Estate.Attempt;
import io.breachwalk.sim.github.Estate.Commit;
import io.breachwalk.sim.github.Estate.Environment;
import io.breachwalk.sim.github.Estate.Job;
import io.breachwalk.sim.github.Estate.Org;
import io.breachwalk.sim.github.Estate.OrgSecret;
import io.breachwalk.sim.github.Estate.Repo;
import io.breachwalk.sim.github.Estate.Run;
import io.breachwalk.sim.github.Estate.Secret;
import io.breachwalk.sim.github.Estate.Step;
import io.breachwalk.sim.github.Estate.Workflow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;

/** JSON bodies in the shapes of ../shared/api-samples/github (field names and types as GitHub sends them). */
final class Payloads {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String api;   // e.g. http://127.0.0.1:PORT
    private final String web;   // html_url base; stable across runs so reports do not depend on the port

    Payloads(String api, String web) {
        this.api = api;
        this.web = web;
    }

    static String time(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static ObjectNode message(String message, String doc) {
        ObjectNode n = JSON.createObjectNode();
        n.put("message", message);
        n.put("documentation_url", doc);
        return n;
    }

    ObjectNode user(String login, long id, String type) {
        ObjectNode u = JSON.createObjectNode();
        u.put("login", login);
        u.put("id", id);
        u.put("node_id", nodeId(type.equals("Organization") ? "O_" : "U_", id));
        u.put("avatar_url", "https://avatars.githubusercontent.com/u/" + id + "?v=4");
        u.put("gravatar_id", "");
        u.put("url", api + "/users/" + login);
        u.put("html_url", web + "/" + login);
        u.put("repos_url", api + "/users/" + login + "/repos");
        u.put("type", type);
        u.put("site_admin", false);
        return u;
    }

    ObjectNode org(Org o) {
        ObjectNode n = JSON.createObjectNode();
        n.put("login", o.login());
        n.put("id", o.id());
        n.put("node_id", nodeId("O_", o.id()));
        n.put("url", api + "/orgs/" + o.login());
        n.put("repos_url", api + "/orgs/" + o.login() + "/repos");
        n.put("avatar_url", "https://avatars.githubusercontent.com/u/" + o.id() + "?v=4");
        n.put("description", "");
        n.put("html_url", web + "/" + o.login());
        n.put("public_repos", o.repos().stream().filter(r -> !r.isPrivate()).count());
        n.put("created_at", "2015-01-01T00:00:00Z");
        n.put("updated_at", "2021-01-01T00:00:00Z");
        n.put("type", "Organization");
        return n;
    }

    ObjectNode repo(Repo r, long ownerId) {
        String url = api + "/repos/" + r.fullName();
        ObjectNode n = JSON.createObjectNode();
        n.put("id", r.id());
        n.put("node_id", nodeId("R_", r.id()));
        n.put("name", r.name());
        n.put("full_name", r.fullName());
        n.put("private", r.isPrivate());
        n.set("owner", user(r.owner(), ownerId, "Organization"));
        n.put("html_url", web + "/" + r.fullName());
        n.put("description", (String) null);
        n.put("fork", false);
        n.put("url", url);
        n.put("contents_url", url + "/contents/{+path}");
        n.put("commits_url", url + "/commits{/sha}");
        n.put("created_at", time(r.createdAt()));
        n.put("updated_at", time(r.head().map(Commit::date).orElse(r.createdAt())));
        n.put("pushed_at", time(r.head().map(Commit::date).orElse(r.createdAt())));
        n.put("git_url", "git://" + hostOf(web) + "/" + r.fullName() + ".git");
        n.put("clone_url", web + "/" + r.fullName() + ".git");
        n.put("archived", false);
        n.put("disabled", false);
        n.put("visibility", r.isPrivate() ? "private" : "public");
        n.put("default_branch", r.defaultBranch());
        return n;
    }

    ObjectNode workflow(Repo r, Workflow w) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", w.id());
        n.put("node_id", nodeId("W_", w.id()));
        n.put("name", w.name());
        n.put("path", w.path());
        n.put("state", "active");
        n.put("created_at", time(w.createdAt()));
        n.put("updated_at", time(w.createdAt()));
        n.put("url", api + "/repos/" + r.fullName() + "/actions/workflows/" + w.id());
        n.put("html_url", web + "/" + r.fullName() + "/blob/" + r.defaultBranch() + "/" + w.path());
        n.put("badge_url", web + "/" + r.fullName() + "/workflows/" + w.name() + "/badge.svg");
        return n;
    }

    /** The run as of one attempt: its run_attempt, run_started_at and previous_attempt_url. */
    ObjectNode run(Repo r, long ownerId, Run run, Attempt attempt, Repo headRepo) {
        String url = api + "/repos/" + r.fullName() + "/actions/runs/" + run.id();
        ObjectNode n = JSON.createObjectNode();
        n.put("id", run.id());
        n.put("name", run.workflow().name());
        n.put("node_id", nodeId("WFR_", run.id()));
        n.put("head_branch", run.headBranch());
        n.put("head_sha", run.headSha());
        n.put("path", run.workflow().path());
        n.put("display_title", run.workflow().name());
        n.put("run_number", run.runNumber());
        n.put("event", run.event());
        n.put("status", status(attempt));
        n.put("conclusion", conclusion(attempt));
        n.put("workflow_id", run.workflow().id());
        n.put("check_suite_id", run.id() + 10_000_000_000L);
        n.put("check_suite_node_id", nodeId("CS_", run.id() + 10_000_000_000L));
        n.put("url", url);
        n.put("html_url", web + "/" + r.fullName() + "/actions/runs/" + run.id());
        n.set("pull_requests", JSON.createArrayNode());
        n.put("created_at", time(run.createdAt()));
        n.put("updated_at", time(attempt.jobs().stream().map(Job::completedAt)
                .max(Instant::compareTo).orElse(attempt.runStartedAt())));
        n.set("actor", user(run.actor(), 1_000 + Math.abs(run.actor().hashCode() % 100_000), "User"));
        n.put("run_attempt", attempt.number());
        n.set("referenced_workflows", JSON.createArrayNode());
        n.put("run_started_at", time(attempt.runStartedAt()));
        n.set("triggering_actor", user(run.actor(), 1_000 + Math.abs(run.actor().hashCode() % 100_000), "User"));
        n.put("jobs_url", url + "/jobs");
        n.put("logs_url", url + "/logs");
        n.put("check_suite_url", api + "/repos/" + r.fullName() + "/check-suites/" + (run.id() + 10_000_000_000L));
        n.put("artifacts_url", url + "/artifacts");
        n.put("cancel_url", url + "/cancel");
        n.put("rerun_url", url + "/rerun");
        n.put("previous_attempt_url", attempt.number() > 1 ? url + "/attempts/" + (attempt.number() - 1) : null);
        n.put("workflow_url", api + "/repos/" + r.fullName() + "/actions/workflows/" + run.workflow().id());
        ObjectNode head = JSON.createObjectNode();
        head.put("id", run.headSha());
        head.put("tree_id", sha1("tree " + run.headSha()));
        Commit c = r.commit(run.headSha()).orElse(null);
        head.put("message", c == null ? "" : c.message());
        head.put("timestamp", c == null ? time(run.createdAt()) : time(c.date()));
        n.set("head_commit", head);
        n.set("repository", repo(r, ownerId));
        if (run.headRepository() == null) {
            n.set("head_repository", repo(r, ownerId));
        } else {
            n.set("head_repository", forkRepo(run.headRepository(), headRepo));
        }
        return n;
    }

    /** A fork is not in the estate: describe it from its full name alone. */
    private ObjectNode forkRepo(String fullName, Repo known) {
        if (known != null) {
            return repo(known, 1);
        }
        String owner = fullName.substring(0, fullName.indexOf('/'));
        long id = 900_000_000L + Math.abs(fullName.hashCode() % 1_000_000);
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("node_id", nodeId("R_", id));
        n.put("name", fullName.substring(fullName.indexOf('/') + 1));
        n.put("full_name", fullName);
        n.put("private", false);
        n.set("owner", user(owner, 2_000 + Math.abs(owner.hashCode() % 100_000), "User"));
        n.put("html_url", web + "/" + fullName);
        n.put("fork", true);
        n.put("url", api + "/repos/" + fullName);
        return n;
    }

    ObjectNode job(Repo r, Run run, Attempt attempt, Job j) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", j.id());
        n.put("run_id", run.id());
        n.put("run_url", api + "/repos/" + r.fullName() + "/actions/runs/" + run.id());
        n.put("run_attempt", attempt.number());
        n.put("node_id", nodeId("CR_", j.id()));
        n.put("head_sha", run.headSha());
        n.put("url", api + "/repos/" + r.fullName() + "/actions/jobs/" + j.id());
        n.put("html_url", web + "/" + r.fullName() + "/actions/runs/" + run.id() + "/job/" + j.id());
        n.put("status", j.status());
        n.put("conclusion", "completed".equals(j.status()) ? j.conclusion() : null);
        n.put("created_at", time(attempt.runStartedAt()));
        n.put("started_at", time(j.startedAt()));
        n.put("completed_at", "completed".equals(j.status()) ? time(j.completedAt()) : null);
        n.put("name", j.name());
        ArrayNode steps = n.putArray("steps");
        for (Step s : j.steps()) {
            ObjectNode st = steps.addObject();
            st.put("name", s.name());
            st.put("status", s.status());
            st.put("conclusion", s.conclusion());
            st.put("number", s.number());
            st.put("started_at", time(s.startedAt()));
            st.put("completed_at", time(s.completedAt()));
        }
        n.put("check_run_url", api + "/repos/" + r.fullName() + "/check-runs/" + j.id());
        ArrayNode labels = n.putArray("labels");
        j.labels().forEach(labels::add);
        n.put("runner_id", 1);
        n.put("runner_name", "GitHub Actions 1");
        n.put("runner_group_id", 1);
        n.put("runner_group_name", "GitHub Actions");
        n.put("workflow_name", run.workflow().name());
        n.put("head_branch", run.headBranch());
        return n;
    }

    ObjectNode file(Repo r, String path, String ref, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String blob = gitBlobSha(bytes);
        String self = api + "/repos/" + r.fullName() + "/contents/" + path + "?ref=" + ref;
        ObjectNode n = JSON.createObjectNode();
        n.put("name", path.substring(path.lastIndexOf('/') + 1));
        n.put("path", path);
        n.put("sha", blob);
        n.put("size", bytes.length);
        n.put("url", self);
        n.put("html_url", web + "/" + r.fullName() + "/blob/" + ref + "/" + path);
        n.put("git_url", api + "/repos/" + r.fullName() + "/git/blobs/" + blob);
        n.put("download_url", web + "/" + r.fullName() + "/raw/" + ref + "/" + path);
        n.put("type", "file");
        // Like GitHub: base64 in lines of 60 characters, each ending in \n.
        String b64 = Base64.getEncoder().encodeToString(bytes);
        StringBuilder wrapped = new StringBuilder();
        for (int i = 0; i < b64.length(); i += 60) {
            wrapped.append(b64, i, Math.min(b64.length(), i + 60)).append('\n');
        }
        n.put("content", wrapped.toString());
        n.put("encoding", "base64");
        ObjectNode links = n.putObject("_links");
        links.put("self", self);
        links.put("git", api + "/repos/" + r.fullName() + "/git/blobs/" + blob);
        links.put("html", web + "/" + r.fullName() + "/blob/" + ref + "/" + path);
        return n;
    }

    ObjectNode directoryEntry(Repo r, String path, String ref, boolean dir, String content) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", path.substring(path.lastIndexOf('/') + 1));
        n.put("path", path);
        n.put("sha", dir ? sha1("dir " + path + ref) : gitBlobSha(content.getBytes(StandardCharsets.UTF_8)));
        n.put("size", dir ? 0 : content.getBytes(StandardCharsets.UTF_8).length);
        n.put("url", api + "/repos/" + r.fullName() + "/contents/" + path + "?ref=" + ref);
        n.put("html_url", web + "/" + r.fullName() + (dir ? "/tree/" : "/blob/") + ref + "/" + path);
        n.put("type", dir ? "dir" : "file");
        return n;
    }

    static ObjectNode secret(Secret s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", s.name());
        n.put("created_at", time(s.createdAt()));
        n.put("updated_at", time(s.updatedAt()));
        return n;
    }

    static ObjectNode orgSecretForRepo(OrgSecret s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", s.name());
        n.put("created_at", time(s.createdAt()));
        n.put("updated_at", time(s.updatedAt()));
        return n;
    }

    ObjectNode orgSecret(Org o, OrgSecret s) {
        ObjectNode n = orgSecretForRepo(s);
        n.put("visibility", s.visibility());
        if ("selected".equals(s.visibility())) {
            n.put("selected_repositories_url",
                    api + "/orgs/" + o.login() + "/actions/secrets/" + s.name() + "/repositories");
        }
        return n;
    }

    ObjectNode environment(Repo r, Environment e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", e.id());
        n.put("node_id", nodeId("EN_", e.id()));
        n.put("name", e.name());
        n.put("url", api + "/repos/" + r.fullName() + "/environments/" + e.name());
        n.put("html_url", web + "/" + r.fullName() + "/deployments/activity_log?environments_filter=" + e.name());
        n.put("created_at", time(e.createdAt()));
        n.put("updated_at", time(e.updatedAt()));
        n.set("protection_rules", JSON.createArrayNode());
        n.putNull("deployment_branch_policy");
        return n;
    }

    static String status(Attempt a) {
        return a.jobs().stream().allMatch(j -> "completed".equals(j.status())) ? "completed" : "in_progress";
    }

    static String conclusion(Attempt a) {
        if (!"completed".equals(status(a))) {
            return null;
        }
        for (String worst : new String[] {"failure", "cancelled", "timed_out"}) {
            if (a.jobs().stream().anyMatch(j -> worst.equals(j.conclusion()))) {
                return worst;
            }
        }
        return "success";
    }

    private static String hostOf(String url) {
        return java.net.URI.create(url).getHost();
    }

    private static String nodeId(String prefix, long id) {
        return prefix + Base64.getEncoder().withoutPadding().encodeToString(Long.toString(id).getBytes(StandardCharsets.US_ASCII));
    }

    static String gitBlobSha(byte[] content) {
        byte[] header = ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[header.length + content.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(content, 0, all, header.length, content.length);
        return sha1(all);
    }

    static String sha1(String s) {
        return sha1(s.getBytes(StandardCharsets.UTF_8));
    }

    static String sha1(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
