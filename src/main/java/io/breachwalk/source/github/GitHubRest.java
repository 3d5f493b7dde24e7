package io.breachwalk.source.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwalk.source.HttpFailure;
import io.breachwalk.source.Retry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain REST calls for what github-api 1.330 does not cover (run listings with `path` and `total_count`, jobs of all
 * attempts, job logs, secrets, environments), through the same endpoint and token. Every HTTP exchange is counted;
 * rate limits are waited out (Retry-After for secondary limits, X-RateLimit-Reset for the primary one) and server
 * errors or dropped connections are retried a few times.
 */
final class GitHubRest {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");

    private final String base;
    private final String token;
    private final HttpClient http;
    private final Runnable counter;
    private final Retry retry;
    /** Shared with the github-api connector: one bucket per token. */
    private final RestPacer pacer;

    GitHubRest(String base, String token, HttpClient http, Runnable counter, Retry retry) {
        this(base, token, http, counter, retry, new RestPacer());
    }

    GitHubRest(String base, String token, HttpClient http, Runnable counter, Retry retry, RestPacer pacer) {
        this.pacer = pacer;
        this.base = base.replaceAll("/+$", "");
        this.token = token;
        this.http = http;
        this.counter = counter;
        this.retry = retry;
    }

    /** An answer; {@code tree} is its body already parsed (a checked 2xx), null when not parsed yet. */
    record Response(int status, HttpHeaders headers, String body, JsonNode tree) {
        Response(int status, HttpHeaders headers, String body) {
            this(status, headers, body, null);
        }

        JsonNode json() throws IOException {
            return tree != null ? tree : JSON.readTree(body);
        }

        Optional<String> next() {
            Matcher m = NEXT.matcher(headers.firstValue("Link").orElse(""));
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }

        /** GitHub's `message` field, for one-line error reports. */
        String message() {
            try {
                JsonNode n = JSON.readTree(body);
                return n.path("message").asText("HTTP " + status);
            } catch (IOException | RuntimeException e) {
                return "HTTP " + status;
            }
        }
    }

    /**
     * GET with the token through the provider's {@link Retry}: rate limits are waited out (Retry-After for secondary
     * limits, X-RateLimit-Reset for the primary one, shown on the progress bar), 5xx answers, resets, timeouts and
     * bodies cut short are retried with backoff; any other status is returned for the caller to judge. A URL on
     * another host (a Link header or a redirect pointing elsewhere) is refused: the token is never sent there.
     */
    Response get(String pathOrUrl) throws IOException {
        URI uri = sameHost(pathOrUrl);
        String what = uri.getRawPath();
        return retry.run(what, () -> {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(60))
                    .header("Accept", "application/vnd.github+json")
                    .header("X-GitHub-Api-Version", "2022-11-28")
                    .header("Authorization", "Bearer " + token)
                    .GET().build();
            Response r = send(request);
            HttpFailure f = classify(r, what, retry.policy().clock());
            if (f != null && f.retryable()) throw f;
            // Every 2xx of the REST API is JSON. A proxy's login page or a body cut short with a correct-looking
            // status is checked here, inside the attempt, so that it is retried (bounded by --retries) like a
            // transport failure and, if it persists, reported in words rather than as a parser's exception.
            if (r.status() / 100 == 2) {
                Parsed parsed = parse(r.body(), r.headers().firstValue("Content-Type").orElse(""));
                if (parsed.problem() != null) {
                    throw new HttpFailure(HttpFailure.Kind.TRANSIENT, r.status(), null,
                            "the answer for " + what + " " + parsed.problem());
                }
                // Checked once and kept: the caller reads this tree instead of parsing a 400 KB page again.
                return new Response(r.status(), r.headers(), r.body(), parsed.tree());
            }
            return r;
        });
    }

    /** A body read as JSON: its first value, or why it is not the JSON the API promised (then tree is null). */
    record Parsed(JsonNode tree, String problem) {
    }

    /**
     * Why a 2xx body is not the JSON the API promised, in words a person can act on, or null when it parses. Never
     * quotes the body (it may be a login page) and never names a parser class.
     */
    static String notJson(String body, String contentType) {
        return parse(body, contentType).problem();
    }

    /** {@link #notJson}, keeping the parsed tree when the body is JSON. */
    static Parsed parse(String body, String contentType) {
        String trimmed = body.stripLeading();
        if (contentType.toLowerCase(java.util.Locale.ROOT).contains("html") || trimmed.startsWith("<")) {
            return new Parsed(null, "is an HTML page, not JSON (status 200 from a proxy's login or error page? "
                    + "check the network path to the API)");
        }
        if (trimmed.isEmpty()) {
            return new Parsed(null, "is empty, not JSON");
        }
        try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(body)) {
            JsonNode tree = JSON.readTree(p);
            while (p.nextToken() != null) {
                // read to the end: a document cut short fails here
            }
            return new Parsed(tree, null);
        } catch (com.fasterxml.jackson.core.io.JsonEOFException e) {
            return new Parsed(null, "is JSON cut short after " + body.length()
                    + " characters (a proxy or the server ended it early)");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String why = String.valueOf(e.getOriginalMessage()).replaceAll("\\s+", " ");
            return new Parsed(null, "is not valid JSON (" + (why.length() > 120 ? why.substring(0, 120) + "..." : why)
                    + ")");
        } catch (IOException e) {
            return new Parsed(null, "could not be read as JSON");
        }
    }

    /**
     * The list under {@code field} of an answer ({@code body} itself when null). An answer where the list is
     * missing or another type is refused in words: iterating an object's values, or nothing, would silently read
     * the wrong items or none.
     */
    static JsonNode list(JsonNode body, String field, String what) throws HttpFailure {
        JsonNode n = field == null ? body : body.path(field);
        if (!n.isArray()) {
            throw new HttpFailure(HttpFailure.Kind.FATAL, 200, null, "the answer for " + what.replaceAll("\\?.*", "")
                    + " has " + (field == null ? "no list" : "no `" + field + "` list") + " (found " + kind(n)
                    + " instead): not what the API promises");
        }
        return n;
    }

    /** A JSON node's type, for messages. */
    static String kind(JsonNode n) {
        if (n.isMissingNode()) return "nothing";
        if (n.isNull()) return "null";
        if (n.isObject()) return "an object";
        if (n.isArray()) return "a list";
        if (n.isTextual()) return "the text \"" + io.breachwalk.text.SafeText.terminal(
                n.asText().length() > 40 ? n.asText().substring(0, 40) + "..." : n.asText()) + "\"";
        return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT) + " " + n;
    }

    /** The retryable reading of an answer, or null: GitHub's secondary limit may come as a bare 403 with a message. */
    static HttpFailure classify(Response r, String what, java.time.Clock clock) {
        if (r.status() / 100 == 2 || r.status() / 100 == 3) return null;
        HttpFailure f = HttpFailure.of(r.status(), what, h -> r.headers().firstValue(h).orElse(null), clock);
        if (f.kind() == HttpFailure.Kind.DENIED && r.status() == 403) {
            String b = r.body().toLowerCase(java.util.Locale.ROOT);
            if (b.contains("secondary rate limit") || b.contains("abuse detection")) {
                return new HttpFailure(HttpFailure.Kind.RATE_LIMITED, 403, Duration.ofMinutes(1), "HTTP 403 for " + what
                        + " (secondary rate limit)");
            }
            if (b.contains("rate limit exceeded")) {
                // The primary limit without headers (a proxy stripped them): wait a minute and ask again.
                return new HttpFailure(HttpFailure.Kind.RATE_LIMITED, 403, Duration.ofMinutes(1), "HTTP 403 for " + what
                        + " (rate limit exceeded)");
            }
        }
        return f;
    }

    /** The URI for a path or an absolute URL, refusing absolute URLs outside the API endpoint's scheme, host and port. */
    URI sameHost(String pathOrUrl) throws HttpFailure {
        if (!pathOrUrl.startsWith("http:") && !pathOrUrl.startsWith("https:")) {
            if (!pathOrUrl.startsWith("/")) {
                throw new HttpFailure(HttpFailure.Kind.FATAL, 0, null, "refusing a relative link that is not a path");
            }
            return URI.create(base + pathOrUrl);
        }
        URI u = URI.create(pathOrUrl);
        URI b = URI.create(base);
        if (!b.getScheme().equalsIgnoreCase(u.getScheme()) || u.getHost() == null
                || !b.getHost().equalsIgnoreCase(u.getHost()) || port(b) != port(u) || u.getRawUserInfo() != null
                || !u.getRawPath().startsWith(b.getRawPath().isEmpty() ? "/" : b.getRawPath())) {
            throw new HttpFailure(HttpFailure.Kind.FATAL, 0, null, "refusing to follow a link to another host or path ("
                    + io.breachwalk.text.SafeText.terminal(String.valueOf(u.getHost())) + "): the token is only sent to "
                    + b.getHost());
        }
        return u;
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** Every item of a paginated list (the array under {@code field}, or the top-level array when null). */
    List<JsonNode> pages(String path, String field) throws IOException, ApiError {
        List<JsonNode> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        String next = path;
        while (next != null) {
            if (!seen.add(next)) {
                // A Link rel="next" back to a page already read would loop for ever.
                throw new HttpFailure(HttpFailure.Kind.FATAL, 200, null, "the pages of " + path.replaceAll("\\?.*", "")
                        + " link back to a page already read; listing stopped there");
            }
            Response r = get(next);
            if (r.status() != 200) {
                throw new ApiError(r.status(), r.message(), path);
            }
            list(r.json(), field, path).forEach(out::add);
            next = r.next().orElse(null);
        }
        return out;
    }

    /**
     * A job's log: the API answers 302 to a short-lived signed URL, fetched without our token (it is another
     * host in production). Empty when the log is gone (410 expired, 404 deleted).
     */
    Optional<String> log(String path) throws IOException, ApiError {
        Response r = get(path);
        if (r.status() == 404 || r.status() == 410) {
            return Optional.empty();
        }
        if (r.status() != 302 && r.status() != 301 && r.status() != 307) {
            throw new ApiError(r.status(), r.message(), path);
        }
        String location = r.headers().firstValue("Location").orElseThrow(() -> new IOException("redirect without Location"));
        // The signed URL needs no token and gets none (in production it is another host).
        URI where = URI.create(location);
        if (!"https".equalsIgnoreCase(where.getScheme()) && !"http".equalsIgnoreCase(where.getScheme())) {
            throw new ApiError(r.status(), "log redirect to a non-HTTP URL", path);
        }
        Response blob = retry.run(path, () -> {
            HttpRequest request = HttpRequest.newBuilder(where).timeout(Duration.ofSeconds(120)).GET().build();
            Response b = sendBounded(request, maxLogBytes);
            HttpFailure f = classify(b, path, retry.policy().clock());
            if (f != null && f.retryable()) throw f;
            return b;
        });
        if (blob.status() == 404 || blob.status() == 410) {
            return Optional.empty();
        }
        if (blob.status() != 200) {
            throw new ApiError(blob.status(), "log download failed", path);
        }
        return Optional.of(blob.body());
    }

    /** A job log larger than this is cut here (and said so): memory stays bounded whatever a job printed. */
    static final int MAX_LOG_BYTES = 32 * 1024 * 1024;
    /** The cap in force: {@link #MAX_LOG_BYTES}; tests lower it to show the cut without serving 32 MiB. */
    static volatile int maxLogBytes = MAX_LOG_BYTES;
    /** Marks a log cut at {@link #MAX_LOG_BYTES}; the walk reports it. */
    static final String CUT_MARK = "\n##[breachwalk] log cut here: longer than the read cap\n";

    private Response sendBounded(HttpRequest request, int max) throws IOException {
        pacer.await(retry);
        counter.run();
        try {
            HttpResponse<java.io.InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.InputStream in = r.body()) {
                byte[] bytes = in.readNBytes(max + 1);
                String text = new String(bytes, 0, Math.min(bytes.length, max), StandardCharsets.UTF_8);
                pacer.observe(r.statusCode(), h -> r.headers().firstValue(h).orElse(null));
                return new Response(r.statusCode(), r.headers(), bytes.length > max ? text + CUT_MARK : text);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    static final int MAX_API_BYTES = 32 * 1024 * 1024;

    private Response send(HttpRequest request) throws IOException {
        pacer.await(retry);
        counter.run();
        try {
            HttpResponse<java.io.InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.InputStream in = r.body()) {
                // API answers are small; a huge one is not what the API promised.
                byte[] bytes = in.readNBytes(MAX_API_BYTES + 1);
                if (bytes.length > MAX_API_BYTES) {
                    throw new HttpFailure(HttpFailure.Kind.FATAL, r.statusCode(), null, "the answer for "
                            + request.uri().getRawPath() + " is larger than " + (MAX_API_BYTES >> 20) + " MiB");
                }
                pacer.observe(r.statusCode(), h -> r.headers().firstValue(h).orElse(null));
                return new Response(r.statusCode(), r.headers(), new String(bytes, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** A non-success answer, for coverage gaps: status plus GitHub's message. */
    static final class ApiError extends Exception {
        final int status;
        /** GitHub's message alone, without the path (the evidence manifest keeps it to say the same offline). */
        final String detail;

        ApiError(int status, String message, String path) {
            super(path.replaceAll("\\?.*", "") + ": HTTP " + status + " " + message);
            this.status = status;
            this.detail = message;
        }
    }
}
