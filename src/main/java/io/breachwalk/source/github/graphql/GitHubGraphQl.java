package io.breachwalk.source.github.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breachwalk.source.HttpFailure;
import io.breachwalk.source.Retry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * GitHub's GraphQL endpoint ({@code POST /graphql} on github.com, {@code /api/graphql} on Enterprise Server) with the
 * REST walk's token, HTTP/1.1 client, request counter and {@link Retry}. Its points are a budget of their own: every
 * query asks for {@code rateLimit { cost remaining resetAt }} and the client waits for the reset BEFORE sending a query
 * the remaining points cannot pay for (bounded by the retry policy's max wait; beyond it the query fails and its items
 * stay unknown). Secondary limits (403/429 with Retry-After, a {@code RATE_LIMITED} error) are waited out by
 * {@link Retry}. A 502/504 or a timeout on a query that can be split is not retried as it is: the caller halves the
 * batch ({@link Overloaded}). A server without GraphQL (404, or {@code undefinedField} for a field an older Enterprise
 * Server lacks) makes the client {@link #available() unavailable} for the rest of the walk: callers use REST.
 */
public final class GitHubGraphQl {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Appended to every query so the client always knows what is left. */
    static final String RATE_LIMIT = "rateLimit { cost remaining resetAt }";
    private static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;

    private final URI endpoint;
    private final String token;
    private final HttpClient http;
    private final Runnable counter;
    private final Retry retry;
    private final Duration timeout;

    private volatile boolean available = true;
    private volatile String unavailableReason = "";
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong points = new AtomicLong();
    /** Last known remaining points, -1 before the first answer; guarded by {@code this}. */
    private int remaining = -1;
    private Instant resetAt = Instant.EPOCH;

    /** One GraphQL error entry: GitHub's {@code type} (or {@code extensions.code}), its path and message. */
    public record GraphQlError(String type, List<Object> path, String message) {}

    /** An answer: {@code data} (a missing node when absent) and its errors; the caller judges items by both. */
    public record Answer(JsonNode data, List<GraphQlError> errors, int cost) {}

    /** A query too large for the server this time (502/504, timeout, node or resource limit): halve and retry. */
    public static final class Overloaded extends IOException {
        Overloaded(String message) {
            super(message);
        }
    }

    /** The server has no GraphQL API, or not the fields the walk needs: use REST. */
    public static final class Unavailable extends IOException {
        Unavailable(String message) {
            super(message);
        }
    }

    /** Carries an {@link Overloaded} or {@link Unavailable} through {@link Retry} without a retry. */
    private static HttpFailure noRetry(IOException why) {
        return new HttpFailure(HttpFailure.Kind.FATAL, 0, null, why.getMessage(), why);
    }

    /**
     * @param apiUrl  the REST API URL as given to the walk ({@code https://api.github.com},
     *                {@code https://HOST/api/v3} for Enterprise Server)
     * @param counter run once per HTTP request sent, as for REST
     */
    public GitHubGraphQl(String apiUrl, String token, HttpClient http, Runnable counter, Retry retry) {
        this(apiUrl, token, http, counter, retry, Duration.ofSeconds(60));
    }

    public GitHubGraphQl(String apiUrl, String token, HttpClient http, Runnable counter, Retry retry, Duration timeout) {
        this.endpoint = URI.create(endpoint(apiUrl));
        this.token = token;
        this.http = http;
        this.counter = counter == null ? () -> { } : counter;
        this.retry = retry;
        this.timeout = timeout;
    }

    /** The GraphQL URL for a REST API URL: {@code https://HOST/api/v3} → {@code https://HOST/api/graphql}. */
    public static String endpoint(String apiUrl) {
        String base = apiUrl.replaceAll("/+$", "");
        if (base.endsWith("/api/v3")) {
            return base.substring(0, base.length() - "/v3".length()) + "/graphql";
        }
        return base + "/graphql";
    }

    /** An HTTP/1.1 client as the REST walk builds it, for callers and tests that have none at hand. */
    public static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** False once the server showed it has no usable GraphQL API; then every batched read answers unknown. */
    public boolean available() {
        return available;
    }

    /** Why the client is unavailable, in words ("" while available). */
    public String unavailableReason() {
        return unavailableReason;
    }

    /** GraphQL HTTP requests sent (every attempt). */
    public long queries() {
        return queries.get();
    }

    /** Points the answered queries cost, as their {@code rateLimit.cost} said. */
    public long points() {
        return points.get();
    }

    /** Points left in the window after the last answer, -1 before any. */
    public synchronized int remaining() {
        return remaining;
    }

    /** When the points window resets, as the last answer said ({@link Instant#EPOCH} before any). */
    public synchronized Instant resetAt() {
        return resetAt;
    }

    /**
     * Sends one query ({@link #RATE_LIMIT} must be selected at its root; the builders here do) after pacing for
     * {@code expectedCost} points. Returns data and errors for the caller to judge item by item. Throws
     * {@link Overloaded} when {@code splittable} and the server could not answer a query this size, {@link Unavailable}
     * when the server has no usable GraphQL, and an {@link HttpFailure} when retries or waits ran out.
     */
    public Answer query(String query, Map<String, Object> variables, int expectedCost, boolean splittable)
            throws IOException {
        if (!available) {
            throw new Unavailable("GraphQL is not available: " + unavailableReason);
        }
        pace(Math.max(1, expectedCost));
        ObjectNode body = JSON.createObjectNode();
        body.put("query", query);
        body.set("variables", JSON.valueToTree(variables == null ? Map.of() : variables));
        byte[] bytes = JSON.writeValueAsBytes(body);
        String what = "POST " + endpoint.getRawPath();
        try {
            return retry.run(what, () -> attempt(bytes, what, splittable));
        } catch (HttpFailure f) {
            if (f.getCause() instanceof Overloaded o) throw o;
            if (f.getCause() instanceof Unavailable u) throw u;
            throw f;
        }
    }

    private Answer attempt(byte[] bytes, String what, boolean splittable) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Authorization", "bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        counter.run();
        queries.incrementAndGet();
        int status;
        HttpHeaders headers;
        String text;
        try {
            HttpResponse<java.io.InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.InputStream in = r.body()) {
                byte[] b = in.readNBytes(MAX_ANSWER_BYTES + 1);
                if (b.length > MAX_ANSWER_BYTES) {
                    throw noRetry(new Overloaded("the answer for " + what + " is larger than "
                            + (MAX_ANSWER_BYTES >> 20) + " MiB"));
                }
                status = r.statusCode();
                headers = r.headers();
                text = new String(b, StandardCharsets.UTF_8);
            }
        } catch (HttpTimeoutException e) {
            if (splittable) throw noRetry(new Overloaded("timed out for " + what));
            throw HttpFailure.transport(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
        noteHeaders(headers);
        if (status == 404 || status == 410) {
            markUnavailable("the server answered HTTP " + status + " for " + endpoint.getRawPath());
            throw noRetry(new Unavailable("HTTP " + status + " for " + what + " (no GraphQL API)"));
        }
        if ((status == 502 || status == 504) && splittable) {
            throw noRetry(new Overloaded("HTTP " + status + " for " + what));
        }
        if (status != 200) {
            HttpFailure f = HttpFailure.of(status, what, h -> headers.firstValue(h).orElse(null),
                    retry.policy().clock());
            if (f.kind() == HttpFailure.Kind.DENIED && status == 403) {
                String b = text.toLowerCase(Locale.ROOT);
                if (b.contains("secondary rate limit") || b.contains("abuse detection")) {
                    throw new HttpFailure(HttpFailure.Kind.RATE_LIMITED, 403, Duration.ofMinutes(1),
                            "HTTP 403 for " + what + " (secondary rate limit)");
                }
            }
            throw f;
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            throw new HttpFailure(HttpFailure.Kind.TRANSIENT, status, null, "the answer for " + what
                    + " is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new HttpFailure(HttpFailure.Kind.TRANSIENT, status, null, "the answer for " + what
                    + " is not a JSON object");
        }
        List<GraphQlError> errors = errors(root.path("errors"));
        JsonNode data = root.path("data");
        boolean noData = data.isMissingNode() || data.isNull();
        for (GraphQlError e : errors) {
            if ("undefinedField".equals(e.type())) {
                markUnavailable("the server lacks a field the walk reads (" + e.message() + ")");
                throw noRetry(new Unavailable("GraphQL at " + endpoint.getRawPath() + ": " + e.message()));
            }
        }
        if (noData) {
            for (GraphQlError e : errors) {
                String type = e.type() == null ? "" : e.type();
                if (type.equals("RATE_LIMITED")) {
                    Duration wait = untilReset(headers);
                    synchronized (this) {
                        remaining = 0;
                    }
                    throw new HttpFailure(HttpFailure.Kind.RATE_LIMITED, status, wait,
                            "GraphQL rate limit for " + what);
                }
                if (splittable && (type.equals("MAX_NODE_LIMIT_EXCEEDED") || type.equals("RESOURCE_LIMITS_EXCEEDED")
                        || e.message().toLowerCase(Locale.ROOT).contains("resource limits"))) {
                    throw noRetry(new Overloaded("GraphQL " + type + " for " + what));
                }
            }
            String first = errors.isEmpty() ? "no data" : errors.get(0).message();
            throw new HttpFailure(HttpFailure.Kind.FATAL, status, null, "GraphQL refused the query for " + what
                    + ": " + first);
        }
        JsonNode rate = data.path("rateLimit");
        int cost = rate.path("cost").asInt(0);
        points.addAndGet(cost);
        if (rate.has("remaining")) {
            synchronized (this) {
                remaining = rate.path("remaining").asInt();
                try {
                    resetAt = Instant.parse(rate.path("resetAt").asText());
                } catch (RuntimeException ignored) {
                    // keep the header's reset
                }
            }
        }
        return new Answer(data, errors, cost);
    }

    private static List<GraphQlError> errors(JsonNode list) {
        List<GraphQlError> out = new ArrayList<>();
        if (!list.isArray()) return out;
        for (JsonNode e : list) {
            String type = e.path("type").isTextual() ? e.path("type").asText()
                    : e.path("extensions").path("code").isTextual() ? e.path("extensions").path("code").asText() : null;
            List<Object> path = new ArrayList<>();
            e.path("path").forEach(p -> path.add(p.isInt() ? (Object) p.asInt() : p.asText()));
            out.add(new GraphQlError(type, List.copyOf(path), e.path("message").asText("")));
        }
        return out;
    }

    private synchronized void noteHeaders(HttpHeaders h) {
        h.firstValue("X-RateLimit-Remaining").ifPresent(v -> {
            try {
                remaining = Integer.parseInt(v.trim());
            } catch (NumberFormatException ignored) {
                // not a number: keep what rateLimit says
            }
        });
        h.firstValue("X-RateLimit-Reset").ifPresent(v -> {
            try {
                resetAt = Instant.ofEpochSecond(Long.parseLong(v.trim()));
            } catch (NumberFormatException ignored) {
                // idem
            }
        });
    }

    private Duration untilReset(HttpHeaders h) {
        Instant at;
        synchronized (this) {
            at = resetAt;
        }
        Duration d = Duration.between(retry.policy().clock().instant(), at).plusSeconds(1);
        return d.isNegative() || at.equals(Instant.EPOCH) ? Duration.ofMinutes(1) : d;
    }

    private void markUnavailable(String why) {
        unavailableReason = why;
        available = false;
    }

    /**
     * Waits for the window's reset when the points left cannot pay for the next query: sending it would only earn a
     * RATE_LIMITED answer. A wait beyond the policy's max wait fails the query instead (its items stay unknown).
     */
    private void pace(int cost) throws IOException {
        Duration wait;
        synchronized (this) {
            if (remaining < 0) return;
            if (remaining >= cost) {
                // Reserved until the answer says the truth: parallel queries must not all spend the same points.
                remaining -= cost;
                return;
            }
            wait = Duration.between(retry.policy().clock().instant(), resetAt).plusSeconds(1);
        }
        if (wait.isNegative() || wait.isZero()) {
            synchronized (this) {
                remaining = -1;
            }
            return;
        }
        if (wait.compareTo(retry.policy().maxWait()) > 0) {
            throw new HttpFailure(HttpFailure.Kind.RATE_LIMITED, 0, wait, "GraphQL points left (" + remaining()
                    + ") cannot pay for the next query (" + cost + "); the reset is " + wait.toSeconds()
                    + " s away, beyond --max-wait " + retry.policy().maxWait().toSeconds() + " s");
        }
        try {
            retry.policy().sleeper().sleep(Duration.ofNanos((long) (wait.toNanos() * retry.policy().timeScale())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the GraphQL reset");
        }
        synchronized (this) {
            // The window has turned: the next answer tells the new remaining.
            remaining = -1;
        }
    }
}
