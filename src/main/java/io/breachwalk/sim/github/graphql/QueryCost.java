package io.breachwalk.sim.github.graphql;

import graphql.GraphQLError;
import graphql.language.Document;
import graphql.language.SourceLocation;
import graphql.execution.RawVariables;
import graphql.normalized.ExecutableNormalizedField;
import graphql.normalized.ExecutableNormalizedOperation;
import graphql.normalized.ExecutableNormalizedOperationFactory;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GitHub's static checks and price of a query, before anything runs: every connection needs {@code first} or
 * {@code last} in 1..100; {@code nodes(ids:)} takes at most 100 ids; the query may ask for at most 500,000 nodes
 * (each connection's limit times the number of parents it is asked under); and it costs, in points, the number of
 * requests needed to fill every connection (its parent count) divided by 100, rounded, at least 1.
 */
final class QueryCost {
    static final int MAX_PAGE = 100;
    static final int MAX_IDS = 100;
    static final long MAX_NODES = 500_000;

    /**
     * points and nodes of a valid query, or the errors that refuse it (then nothing runs and nothing is charged).
     * {@code dryRun}: the query asked {@code rateLimit(dryRun: true)}; {@code rateLimitFields} maps each
     * rateLimit result key to its selections (result key -> field name), to answer it without running the query.
     */
    record Result(int points, long nodes, List<GraphQLError> errors, boolean dryRun,
                  Map<String, Map<String, String>> rateLimitFields) {}

    private final ExecutableNormalizedOperation operation;
    private final List<GraphQLError> errors = new ArrayList<>();
    private long requests;
    private long nodes;
    private String overLimitAt;

    private QueryCost(ExecutableNormalizedOperation operation) {
        this.operation = operation;
    }

    static Result of(GraphQLSchema schema, Document document, String operationName, Map<String, Object> variables) {
        ExecutableNormalizedOperation op = ExecutableNormalizedOperationFactory.createExecutableNormalizedOperationWithRawVariables(
                schema, document, operationName, RawVariables.of(variables == null ? Map.of() : variables));
        QueryCost c = new QueryCost(op);
        for (ExecutableNormalizedField f : op.getTopLevelFields()) {
            c.walk(schema, f, 1, List.of());
        }
        if (c.errors.isEmpty() && c.nodes > MAX_NODES) {
            c.errors.add(new GitHubError("MAX_NODE_LIMIT_EXCEEDED", "By the time this query traverses to the "
                    + c.overLimitAt + " connection, it is requesting up to " + format(c.nodes)
                    + " possible nodes which exceeds the maximum limit of " + format(MAX_NODES) + ".", null, List.of()));
        }
        int points = (int) Math.max(1, Math.round(c.requests / 100.0));
        boolean dryRun = false;
        Map<String, Map<String, String>> rateLimitFields = new LinkedHashMap<>();
        for (ExecutableNormalizedField f : op.getTopLevelFields()) {
            if (f.getName().equals("rateLimit")) {
                dryRun |= Boolean.TRUE.equals(f.getResolvedArguments().get("dryRun"));
                Map<String, String> selections = new LinkedHashMap<>();
                f.getChildren().forEach(child -> selections.put(child.getResultKey(), child.getName()));
                rateLimitFields.put(f.getResultKey(), selections);
            }
        }
        return new Result(points, c.nodes, List.copyOf(c.errors), dryRun, rateLimitFields);
    }

    private static String format(long n) {
        return NumberFormat.getIntegerInstance(Locale.US).format(n);
    }

    private void walk(GraphQLSchema schema, ExecutableNormalizedField f, long parents, List<Object> parentPath) {
        List<Object> path = new ArrayList<>(parentPath);
        path.add(f.getResultKey());
        long children = parents;
        String type = GraphQLTypeUtil.unwrapAll(f.getFieldDefinitions(schema).get(0).getType()).getName();
        Map<String, Object> args = f.getResolvedArguments();
        if (type.endsWith("Connection")) {
            Integer first = (Integer) args.get("first");
            Integer last = (Integer) args.get("last");
            Integer n = first != null ? first : last;
            String name = f.getName();
            if (first == null && last == null) {
                error(f, path, "MISSING_PAGINATION_BOUNDARIES",
                        "You must provide a `first` or `last` value to properly paginate the `" + name + "` connection.");
                n = 0;
            } else if (first != null && last != null) {
                error(f, path, "ARGUMENT_LIMIT",
                        "Passing both `first` and `last` to paginate the `" + name + "` connection is not supported.");
            } else if (n > MAX_PAGE) {
                error(f, path, "EXCESSIVE_PAGINATION", "Requesting " + n + " records on the `" + name
                        + "` connection exceeds the `" + (first != null ? "first" : "last") + "` limit of "
                        + MAX_PAGE + " records.");
            } else if (n < 0) {
                error(f, path, "ARGUMENT_LIMIT", "`" + (first != null ? "first" : "last") + "` on the `" + name
                        + "` connection cannot be less than zero.");
            }
            requests += parents;
            children = parents * Math.max(0, n);
            addNodes(children, name);
        } else if (f.getName().equals("nodes") && args.containsKey("ids")) {
            int ids = ((List<?>) args.get("ids")).size();
            if (ids > MAX_IDS) {
                error(f, path, "ARGUMENT_LIMIT",
                        "You may not provide more than " + MAX_IDS + " node ids; you provided " + ids + ".");
            }
            children = parents * ids;
            addNodes(children, f.getName());
        }
        for (ExecutableNormalizedField child : f.getChildren()) {
            walk(schema, child, children, path);
        }
    }

    private void addNodes(long n, String where) {
        nodes += n;
        if (nodes > MAX_NODES && overLimitAt == null) {
            overLimitAt = where;
        }
    }

    private void error(ExecutableNormalizedField f, List<Object> path, String type, String message) {
        List<SourceLocation> at = new ArrayList<>();
        var merged = operation.getMergedField(f);
        if (merged != null && merged.getSingleField().getSourceLocation() != null) {
            SourceLocation l = merged.getSingleField().getSourceLocation();
            at.add(new SourceLocation(l.getLine(), l.getColumn()));
        }
        List<Object> p = new ArrayList<>();
        p.add("query");
        p.addAll(path);
        errors.add(new GitHubError(type, message, p, at));
    }
}
