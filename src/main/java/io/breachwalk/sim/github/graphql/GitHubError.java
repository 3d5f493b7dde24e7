package io.breachwalk.sim.github.graphql;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.language.SourceLocation;

import java.util.List;

/**
 * An error as GitHub reports it: a {@code type} (NOT_FOUND, EXCESSIVE_PAGINATION, MAX_NODE_LIMIT_EXCEEDED, ...)
 * next to the message, path and locations, at the top level of the error rather than under extensions.
 */
record GitHubError(String type, String message, List<Object> path, List<SourceLocation> locations)
        implements GraphQLError {
    @Override
    public String getMessage() {
        return message;
    }

    @Override
    public List<SourceLocation> getLocations() {
        return locations;
    }

    @Override
    public List<Object> getPath() {
        return path;
    }

    @Override
    public ErrorClassification getErrorType() {
        return ErrorClassification.errorClassification(type);
    }
}
