package io.breachwalk.sim.github.graphql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.ParseAndValidate;
import graphql.ParseAndValidateResult;
import graphql.language.SourceLocation;
import graphql.parser.ParserOptions;
import graphql.validation.ValidationError;
import graphql.validation.ValidationErrorType;
import graphql.schema.GraphQLSchema;
import io.breachwalk.sim.RateWindow;
import io.breachwalk.sim.github.Estate;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's {@code POST /graphql} over the simulator's estate: parses and validates the query against a subset of
 * GitHub's public schema, refuses what GitHub refuses before running anything (pagination limits, the node limit),
 * charges the query's points to the token's GraphQL budget (separate from REST's) and answers {@code data} and
 * {@code errors} in GitHub's shapes. Counts queries and points so benchmarks can report them.
 */
public final class GraphQlEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOCS = "https://docs.github.com/graphql";
    /**
     * graphql-java stops parsing at 15,000 tokens; GitHub documents no such cap (batches of hundreds of aliases
     * work there), so the simulator must not refuse what GitHub may answer. The limits GitHub does state (nodes,
     * pagination, points) are checked by {@link QueryCost}.
     */
    private static final ParserOptions PARSER = ParserOptions.getDefaultOperationParserOptions().transform(
            b -> b.maxTokens(2_000_000).maxWhitespaceTokens(2_000_000).maxCharacters(8 * 1024 * 1024));

    /** An answer: HTTP status, headers (X-RateLimit-* of the graphql resource) and a JSON body. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {}

    private final Estate estate;
    private EstateIndex index; // built on the first query: most simulators never see one
    private final Map<String, GraphQlBudget> budgets = new ConcurrentHashMap<>();
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong points = new AtomicLong();
    private volatile int limit;
    private volatile boolean enabled = true;

    /** The schema does not depend on the estate: built once, on first use. */
    private static final class Schema {
        static final GraphQLSchema SCHEMA = GitHubSchema.build();
        static final GraphQL GRAPHQL = GraphQL.newGraphQL(SCHEMA).build();
    }

    public GraphQlEndpoint(Estate estate) {
        this.estate = estate;
        this.limit = estate.rateLimit().graphqlLimit();
    }

    private synchronized EstateIndex index() {
        if (index == null) {
            index = new EstateIndex(estate);
        }
        return index;
    }

    /** The token's GraphQL budget as GET /rate_limit shows it under resources.graphql. */
    public ObjectNode resource(String tokenName) {
        RateWindow.Snapshot s = budget(tokenName == null ? "anonymous" : tokenName).snapshot();
        ObjectNode n = JSON.createObjectNode();
        n.put("limit", s.limit());
        n.put("used", s.used());
        n.put("remaining", s.remaining());
        n.put("reset", s.resetEpochSeconds());
        return n;
    }

    private GraphQlBudget budget(String tokenName) {
        return budgets.computeIfAbsent(tokenName, k -> new GraphQlBudget(limit, estate.rateLimit().resetSeconds()));
    }

    /** Where GitHub serves GraphQL: /graphql on github.com, /api/graphql on Enterprise Server. */
    public static boolean serves(String path) {
        return path.equals("/graphql") || path.equals("/api/graphql");
    }

    /** Queries executed (refused ones excluded), for request-economy checks and benchmarks. */
    public long queries() {
        return queries.get();
    }

    /** Points charged over all tokens. */
    public long points() {
        return points.get();
    }

    /** false: answer 404 as a server without GraphQL (an old Enterprise Server, a proxy, a test double) does. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** Points per window for every token; also resets the budgets. */
    public void setLimit(int pointsPerWindow) {
        this.limit = pointsPerWindow;
        budgets.clear();
    }

    /**
     * Injected faults the endpoint answers itself: a slow or cut answer is still its answer, and an exhausted
     * budget is refused the GraphQL way (status 200, RATE_LIMITED).
     */
    public static boolean answersDespite(String fault) {
        return fault.equals("slow") || fault.equals("truncated") || fault.equals("rate-limit");
    }

    /** Answers one POST body for the estate's token of that name (null: no or unknown Authorization). */
    public Answer execute(String tokenName, byte[] body) {
        return execute(tokenName, body, false);
    }

    /** As above; {@code exhaust}: the token's points are spent first (an injected rate-limit fault). */
    public Answer execute(String tokenName, byte[] body, boolean exhaust) {
        if (!enabled) {
            return answer(404, new LinkedHashMap<>(), message("Not Found"));
        }
        if (tokenName == null) {
            return answer(401, Map.of(), message("This endpoint requires you to be authenticated."));
        }
        GraphQlBudget budget = budget(tokenName);
        if (exhaust) {
            budget.exhaust();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            return answer(400, rateHeaders(budget, headers), message("Problems parsing JSON"));
        }
        if (request == null || !request.path("query").isTextual()) {
            return answer(200, rateHeaders(budget, headers),
                    errors(List.of(simple("A query attribute must be specified and must be a string."))));
        }
        if (!budget.admit()) {
            headers.put("Retry-After", Long.toString(budget.secondaryRetryAfter()));
            return answer(403, rateHeaders(budget, headers), message("You have exceeded a secondary rate limit. "
                    + "Please wait a few minutes before you try again."));
        }
        String query = request.get("query").asText();
        String operation = request.path("operationName").isTextual() ? request.get("operationName").asText() : null;
        @SuppressWarnings("unchecked")
        Map<String, Object> variables = request.path("variables").isObject()
                ? JSON.convertValue(request.get("variables"), Map.class) : Map.of();
        ExecutionInput.Builder input = ExecutionInput.newExecutionInput().query(query).operationName(operation)
                .variables(variables).graphQLContext(Map.of(ParserOptions.class, PARSER));
        ParseAndValidateResult parsed = ParseAndValidate.parseAndValidate(Schema.SCHEMA, input.build());
        if (parsed.isFailure()) {
            return answer(200, rateHeaders(budget, headers), errors(parsed.getErrors()));
        }
        QueryCost.Result cost;
        try {
            cost = QueryCost.of(Schema.SCHEMA, parsed.getDocument(), operation, variables);
        } catch (RuntimeException e) {
            return answer(200, rateHeaders(budget, headers), errors(List.of(simple(e.getMessage()))));
        }
        if (!cost.errors().isEmpty()) {
            return answer(200, rateHeaders(budget, headers), errors(cost.errors()));
        }
        if (cost.dryRun()) {
            return answer(200, rateHeaders(budget, headers), dryRun(cost, budget.snapshot()));
        }
        if (!budget.charge(cost.points())) {
            ObjectNode refused = JSON.createObjectNode();
            refused.putArray("errors").addObject().put("type", "RATE_LIMITED")
                    .put("message", "API rate limit already exceeded for user ID 1.");
            return answer(200, rateHeaders(budget, headers), refused);
        }
        queries.incrementAndGet();
        points.addAndGet(cost.points());
        RateWindow.Snapshot after = budget.snapshot();
        Map<String, Object> rateLimit = new LinkedHashMap<>();
        rateLimit.put("cost", cost.points());
        rateLimit.put("limit", after.limit());
        rateLimit.put("nodeCount", (int) cost.nodes());
        rateLimit.put("remaining", after.remaining());
        rateLimit.put("resetAt", Instant.ofEpochSecond(after.resetEpochSeconds()));
        rateLimit.put("used", after.used());
        ExecutionResult result = Schema.GRAPHQL.execute(input.root(new QueryRoot(index(), rateLimit)).build());
        ObjectNode out = JSON.createObjectNode();
        if (result.isDataPresent()) {
            out.set("data", JSON.valueToTree(result.getData()));
        }
        if (!result.getErrors().isEmpty()) {
            out.set("errors", errors(result.getErrors()).get("errors"));
        }
        return answer(200, rateHeaders(budget, headers), out);
    }

    /** rateLimit(dryRun: true): the cost without evaluating the query, so nothing else is answered or charged. */
    private static ObjectNode dryRun(QueryCost.Result cost, RateWindow.Snapshot s) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("cost", cost.points());
        values.put("limit", s.limit());
        values.put("nodeCount", (int) cost.nodes());
        values.put("remaining", s.remaining());
        values.put("resetAt", Instant.ofEpochSecond(s.resetEpochSeconds()).toString());
        values.put("used", s.used());
        values.put("__typename", "RateLimit");
        ObjectNode out = JSON.createObjectNode();
        ObjectNode data = out.putObject("data");
        cost.rateLimitFields().forEach((key, selections) -> {
            ObjectNode n = data.putObject(key);
            selections.forEach((k, field) -> n.set(k, JSON.valueToTree(values.get(field))));
        });
        return out;
    }

    private static Map<String, String> rateHeaders(GraphQlBudget budget, Map<String, String> h) {
        RateWindow.Snapshot s = budget.snapshot();
        h.put("X-RateLimit-Limit", Integer.toString(s.limit()));
        h.put("X-RateLimit-Remaining", Integer.toString(s.remaining()));
        h.put("X-RateLimit-Reset", Long.toString(s.resetEpochSeconds()));
        h.put("X-RateLimit-Used", Integer.toString(s.used()));
        h.put("X-RateLimit-Resource", "graphql");
        return h;
    }

    private static ObjectNode message(String text) {
        ObjectNode n = JSON.createObjectNode();
        n.put("message", text);
        n.put("documentation_url", DOCS);
        return n;
    }

    private static GraphQLError simple(String message) {
        return new GitHubError(null, message, null, List.of());
    }

    /** {"errors": [...]} with GitHub's keys: type (when GitHub gives one), path, extensions, locations, message. */
    private static ObjectNode errors(List<? extends GraphQLError> errors) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("errors");
        for (GraphQLError e : errors) {
            ObjectNode n = list.addObject();
            if (undefinedField(e, n)) {
                continue;
            }
            if (e instanceof GitHubError g && g.type() != null) {
                n.put("type", g.type());
            }
            if (e.getPath() != null && !e.getPath().isEmpty()) {
                n.set("path", JSON.valueToTree(e.getPath()));
            }
            if (!(e instanceof GitHubError) && e.getExtensions() != null && !e.getExtensions().isEmpty()) {
                n.set("extensions", JSON.valueToTree(e.getExtensions()));
            }
            if (e.getLocations() != null && !e.getLocations().isEmpty()) {
                ArrayNode at = n.putArray("locations");
                for (SourceLocation l : e.getLocations()) {
                    at.addObject().put("line", l.getLine()).put("column", l.getColumn());
                }
            }
            n.put("message", e.getMessage());
        }
        return root;
    }

    private static final Pattern UNDEFINED = Pattern.compile("Field '(.+)' in type '(.+)' is undefined");

    /**
     * A field the schema lacks, in GitHub's words and with its extensions code: a client tells an older server
     * (Enterprise Server without a field) by {@code undefinedField}.
     */
    private static boolean undefinedField(GraphQLError e, ObjectNode n) {
        if (!(e instanceof ValidationError v) || v.getValidationErrorType() != ValidationErrorType.FieldUndefined) {
            return false;
        }
        Matcher m = UNDEFINED.matcher(v.getDescription() == null ? "" : v.getDescription());
        if (!m.find()) {
            return false;
        }
        ArrayNode path = n.putArray("path");
        path.add("query");
        v.getQueryPath().forEach(path::add);
        n.putObject("extensions").put("code", "undefinedField").put("typeName", m.group(2)).put("fieldName", m.group(1));
        ArrayNode at = n.putArray("locations");
        v.getLocations().forEach(l -> at.addObject().put("line", l.getLine()).put("column", l.getColumn()));
        n.put("message", "Field '" + m.group(1) + "' doesn't exist on type '" + m.group(2) + "'");
        return true;
    }

    private static Answer answer(int status, Map<String, String> headers, JsonNode body) {
        try {
            return new Answer(status, headers, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
