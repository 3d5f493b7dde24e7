package io.breachwalk.sim.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breachwalk.sim.QueryString;
import io.breachwalk.sim.github.Estate.Commit;
import io.breachwalk.sim.github.Estate.Repo;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The {@link GitHubSimulator}'s endpoints over a repository's git data rather than its Actions: commits (with path
 * and date filters), pull requests and contents (files and directory listings at a ref).
 */
final class GitEndpoints {
    private final Estate estate;
    private final Payloads payloads;
    private final Pager pager;

    GitEndpoints(Estate estate, Payloads payloads, Pager pager) {
        this.estate = estate;
        this.payloads = payloads;
        this.pager = pager;
    }

    /**
     * The commits API: the history reachable from {@code sha} (a branch or commit; the default branch when absent),
     * newest first, only commits that changed something under {@code path}, committed in [since, until].
     */
    Reply commits(Repo repo, QueryString q) {
        Optional<Commit> start = repo.resolve(q.get("sha"));
        if (start.isEmpty()) {
            return Reply.error(404, "No commit found for SHA: " + q.get("sha"));
        }
        Instant since;
        Instant until;
        try {
            since = q.get("since") == null ? null : OffsetDateTime.parse(q.get("since")).toInstant();
            until = q.get("until") == null ? null : OffsetDateTime.parse(q.get("until")).toInstant();
        } catch (RuntimeException e) {
            return Reply.error(422, "Validation Failed");
        }
        String path = q.get("path");
        List<Commit> chain = new ArrayList<>();
        for (Commit c = start.get(); c != null; c = c.parent() == null ? null : repo.commit(c.parent()).orElse(null)) {
            chain.add(c);
            if (chain.size() > 100_000) {
                break;
            }
        }
        List<JsonNode> out = new ArrayList<>();
        for (Commit c : chain) {
            if ((since != null && c.date().isBefore(since)) || (until != null && c.date().isAfter(until))) {
                continue;
            }
            Commit parent = c.parent() == null ? null : repo.commit(c.parent()).orElse(null);
            if (path != null && !path.isEmpty() && !touches(c, parent, path)) {
                continue;
            }
            ObjectNode n = Payloads.JSON.createObjectNode();
            n.put("sha", c.sha());
            ObjectNode commit = n.putObject("commit");
            commit.putObject("author").put("name", "dev").put("date", c.date().toString());
            commit.putObject("committer").put("name", "dev").put("date", c.date().toString());
            commit.put("message", c.message());
            ArrayNode parents = n.putArray("parents");
            if (c.parent() != null) {
                parents.addObject().put("sha", c.parent());
            }
            n.put("html_url", estate.webUrl() + "/" + repo.fullName() + "/commit/" + c.sha());
            out.add(n);
        }
        return pager.page(out, q, "/repositories/" + repo.id() + "/commits", null, -1);
    }

    private static boolean touches(Commit c, Commit parent, String path) {
        String prefix = path.endsWith("/") ? path : path + "/";
        Map<String, String> before = parent == null ? Map.of() : parent.files();
        java.util.Set<String> names = new java.util.HashSet<>(c.files().keySet());
        names.addAll(before.keySet());
        for (String f : names) {
            if ((f.equals(path) || f.startsWith(prefix)) && !java.util.Objects.equals(c.files().get(f), before.get(f))) {
                return true;
            }
        }
        return false;
    }

    /** Pull requests, most recently updated first (state=all|open|closed). */
    Reply pulls(Repo repo, QueryString q) {
        String state = q.get("state") == null ? "open" : q.get("state");
        boolean asc = "asc".equals(q.get("direction"));
        String sort = q.get("sort") == null ? "created" : q.get("sort");
        Comparator<Estate.Pull> order = Comparator.comparing(sort.equals("updated") ? Estate.Pull::updatedAt
                : Estate.Pull::createdAt);
        List<JsonNode> out = new ArrayList<>();
        for (Estate.Pull p : repo.history().pulls().stream().sorted(asc ? order : order.reversed()).toList()) {
            if (!state.equals("all") && !state.equals(p.state())) {
                continue;
            }
            ObjectNode n = Payloads.JSON.createObjectNode();
            n.put("number", p.number());
            n.put("state", p.state());
            n.put("created_at", p.createdAt().toString());
            n.put("updated_at", p.updatedAt().toString());
            n.put("html_url", estate.webUrl() + "/" + repo.fullName() + "/pull/" + p.number());
            ObjectNode head = n.putObject("head");
            head.put("ref", p.headRef());
            head.put("sha", p.headSha());
            head.putObject("repo").put("full_name", p.headRepository() == null ? repo.fullName() : p.headRepository());
            n.putObject("base").put("ref", p.base());
            out.add(n);
        }
        return pager.page(out, q, "/repos/" + repo.fullName() + "/pulls", null, -1);
    }

    Reply contents(Repo repo, String path, String ref) {
        Optional<Commit> commit = repo.resolve(ref);
        if (commit.isEmpty()) {
            return Reply.error(404, "No commit found for the ref " + ref);
        }
        String refShown = ref == null ? repo.defaultBranch() : ref;
        String file = commit.get().files().get(path);
        if (file != null) {
            return Reply.json(200, payloads.file(repo, path, refShown, file));
        }
        // A directory: list its direct children.
        String prefix = path.isEmpty() ? "" : path + "/";
        TreeSet<String> dirs = new TreeSet<>();
        TreeSet<String> files = new TreeSet<>();
        for (String p : commit.get().files().keySet()) {
            if (p.startsWith(prefix)) {
                String rest = p.substring(prefix.length());
                int slash = rest.indexOf('/');
                if (slash < 0) {
                    files.add(rest);
                } else {
                    dirs.add(rest.substring(0, slash));
                }
            }
        }
        if (dirs.isEmpty() && files.isEmpty()) {
            return Reply.error(404, "Not Found");
        }
        ArrayNode listing = Payloads.JSON.createArrayNode();
        for (String d : dirs) {
            listing.add(payloads.directoryEntry(repo, prefix + d, refShown, true, null));
        }
        for (String f : files) {
            listing.add(payloads.directoryEntry(repo, prefix + f, refShown, false, commit.get().files().get(prefix + f)));
        }
        return Reply.json(200, listing);
    }
}
