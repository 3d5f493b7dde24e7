package io.breachwalk.source.github.graphql;

import java.util.List;

/**
 * The commits that touched a path, newest first, as GraphQL's {@code Commit.history(path:, since:, until:)} lists
 * them; replaces REST {@code GET /repos/{o}/{r}/commits?sha={ref}&path={path}&since=&until=} (all pages).
 * {@code known} false: read it through REST.
 */
public record CommitHistory(boolean known, List<Entry> commits, String reason) {
    /** One commit: its sha and committer date (REST {@code commit.committer.date}) as the API's text. */
    public record Entry(String sha, String committedDate) {}

    static CommitHistory unknown(String reason) {
        return new CommitHistory(false, List.of(), reason);
    }
}
