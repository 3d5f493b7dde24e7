package io.breachwalk.sim.github.graphql;

import graphql.execution.DataFetcherResult;
import graphql.execution.ResultPath;
import graphql.language.SourceLocation;
import graphql.schema.DataFetchingEnvironment;
import io.breachwalk.sim.github.Estate.Repo;
import io.breachwalk.sim.github.graphql.GitHubObjects.CheckRunObject;
import io.breachwalk.sim.github.graphql.GitHubObjects.CheckSuiteObject;
import io.breachwalk.sim.github.graphql.GitHubObjects.RepositoryObject;
import io.breachwalk.sim.github.graphql.GitHubObjects.WorkflowObject;
import io.breachwalk.sim.github.graphql.GitHubObjects.WorkflowRunObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Query type: repositories by name, objects by global id, and the rate limit as charged for this very query.
 * What cannot be found is null plus a NOT_FOUND error at its path, as GitHub answers.
 */
record QueryRoot(EstateIndex ix, Map<String, Object> rateLimit) implements GitHubObjects.Resolvable {
    @Override
    public Object get(String field, DataFetchingEnvironment env) {
        return switch (field) {
            case "repository" -> repository(env);
            case "node" -> {
                String id = env.getArgument("id");
                Object node = node(id).orElse(null);
                yield node != null ? node : DataFetcherResult.newResult().data(null)
                        .error(notFound(id, env.getExecutionStepInfo().getPath(), location(env))).build();
            }
            case "nodes" -> {
                List<String> ids = env.getArgument("ids");
                List<Object> out = new ArrayList<>();
                var result = DataFetcherResult.<List<Object>>newResult();
                for (int i = 0; i < ids.size(); i++) {
                    Object node = node(ids.get(i)).orElse(null);
                    out.add(node);
                    if (node == null) {
                        result.error(notFound(ids.get(i), env.getExecutionStepInfo().getPath().segment(i), location(env)));
                    }
                }
                yield result.data(out).build();
            }
            case "rateLimit" -> rateLimit;
            default -> null;
        };
    }

    private Object repository(DataFetchingEnvironment env) {
        String owner = env.getArgument("owner");
        String name = env.getArgument("name");
        Optional<Repo> repo = ix.estate().repo(owner, name);
        if (repo.isPresent()) {
            return new RepositoryObject(ix, repo.get());
        }
        return DataFetcherResult.newResult().data(null).error(new GitHubError("NOT_FOUND",
                "Could not resolve to a Repository with the name '" + owner + "/" + name + "'.",
                env.getExecutionStepInfo().getPath().toList(), location(env))).build();
    }

    private static List<SourceLocation> location(DataFetchingEnvironment env) {
        SourceLocation l = env.getField().getSourceLocation();
        return l == null ? List.of() : List.of(new SourceLocation(l.getLine(), l.getColumn()));
    }

    private static GitHubError notFound(String id, ResultPath path, List<SourceLocation> locations) {
        return new GitHubError("NOT_FOUND", "Could not resolve to a node with the global id of '" + id + "'",
                path.toList(), locations);
    }

    /** The object a global id names, for the types the simulator can look up by id. */
    Optional<Object> node(String id) {
        Optional<NodeIds.Decoded> d = NodeIds.decode(id);
        if (d.isEmpty() || d.get().number().isEmpty()) {
            return Optional.empty();
        }
        long n = d.get().number().get();
        return switch (d.get().prefix()) {
            case NodeIds.CHECK_SUITE -> ix.runOfCheckSuite(n).map(r -> new CheckSuiteObject(ix, r.repo(), r.run()));
            case NodeIds.WORKFLOW_RUN -> ix.run(n).map(r -> new WorkflowRunObject(ix, r.repo(), r.run()));
            case NodeIds.CHECK_RUN -> ix.job(n)
                    .filter(j -> !j.repo().history().jobsArchived())
                    .map(j -> new CheckRunObject(ix, j.repo(), j.run(), j.attempt(), j.job()));
            case NodeIds.WORKFLOW -> ix.workflow(n).map(w -> new WorkflowObject(ix, w.repo(), w.workflow()));
            case NodeIds.REPOSITORY -> ix.repo(n).map(r -> new RepositoryObject(ix, r));
            default -> Optional.empty();
        };
    }
}
