package io.breachwalk.source.github.graphql;

/**
 * A file to read at a commit: {@code path} relative to the repository root, without a leading slash or an
 * {@code @ref} suffix (a run's workflow path may carry one; strip it first).
 */
public record FileAt(String sha, String path) {
    /** The rev-parse expression GitHub's {@code Repository.object(expression:)} takes. */
    public String expression() {
        return sha + ":" + path;
    }
}
