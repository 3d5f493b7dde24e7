package io.breachwalk.source.github.graphql;

/** A file at a commit of a named repository, for reads that batch several repositories in one query. */
public record RepoFile(String owner, String repo, FileAt file) {
    public RepoFile(String owner, String repo, String sha, String path) {
        this(owner, repo, new FileAt(sha, path));
    }
}
