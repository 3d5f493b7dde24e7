package io.breachwalk.source.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwalk.source.HttpFailure;
import io.breachwalk.source.Retry;
import io.breachwalk.source.Sink;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitLab's REST API v4 over plain HTTP with the token in the `PRIVATE-TOKEN` header. Every attempt is counted in the
 * current {@link Sink}; every call goes through the provider's {@link Retry}: GitLab's rate limit (429 with
 * `Retry-After`, or `RateLimit-Remaining: 0` with `RateLimit-Reset`), 5xx, resets and timeouts. Lists follow
 * `x-next-page` (or the `Link` header's `rel="next"`) to the end, or to a page cap the caller gives.
 * <p>
 * Used live for what gitlab4j-api lacks (instance variables, a raw file without a ref, any path
 * {@link GitLab4jApi} does not map) and for everything when no token is given.
 */
final class GitLabHttp implements GitLabData {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final long MAX_BYTES = 32L * 1024 * 1024;
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final String api;
    private final String token;
    private final Retry retry;
    private final AtomicReference<Sink> requests;
    private final HttpClient client;
    private final AtomicBoolean answered = new AtomicBoolean();

    /** {@code root}: the instance root (https://gitlab.example.com); the API is below {@code /api/v4}. */
    GitLabHttp(String root, String token, Retry retry, Sink requests) {
        this.api = root.replaceAll("/+$", "") + "/api/v4";
        this.token = token;
        this.retry = retry;
        this.requests = new AtomicReference<>(requests);
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Counts the requests that follow into {@code sink} (the project being walked, or the scan). */
    void countInto(Sink sink) {
        requests.set(sink);
    }

    static String enc(String pathOrName) {
        return URLEncoder.encode(pathOrName, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** GET a JSON object or array; {@link HttpFailure} for any non-2xx answer (404 is {@code NOT_FOUND}). */
    @Override
    public JsonNode json(String path) throws IOException {
        return run(path, () -> {
            HttpResponse<InputStream> r = send(api + path);
            if (r.statusCode() / 100 != 2) {
                r.body().close();
                throw failure(r, path);
            }
            return parse(readBounded(r.body(), path), r.statusCode(), path);
        });
    }

    /** GET text (a raw file, a trace); null for 404, {@link HttpFailure} for other errors. */
    @Override
    public String text(String path) throws IOException {
        return run(path, () -> {
            HttpResponse<InputStream> r = send(api + path);
            if (r.statusCode() == 404) {
                r.body().close();
                return null;
            }
            if (r.statusCode() / 100 != 2) {
                r.body().close();
                throw failure(r, path);
            }
            return readBounded(r.body(), path);
        });
    }

    /** Every item of a paged list ({@code per_page=100} added), at most {@code maxPages} pages (0: no cap). */
    @Override
    public Listing list(String path, int maxPages) throws IOException {
        List<JsonNode> items = new ArrayList<>();
        String url = api + path + (path.contains("?") ? "&" : "?") + "per_page=100";
        int pages = 0;
        while (url != null) {
            if (maxPages > 0 && pages >= maxPages) return new Listing(items, true);
            String current = url;
            String what = path + (pages == 0 ? "" : " (page " + (pages + 1) + ")");
            Page page = run(what, () -> {
                HttpResponse<InputStream> r = send(current);
                if (r.statusCode() / 100 != 2) {
                    r.body().close();
                    throw failure(r, what);
                }
                JsonNode body = parse(readBounded(r.body(), what), r.statusCode(), what);
                if (!body.isArray()) {
                    throw new HttpFailure(HttpFailure.Kind.FATAL, r.statusCode(), null, "the answer for " + what
                            + " is not a JSON list");
                }
                return new Page(body, next(current, r));
            });
            page.body().forEach(items::add);
            pages++;
            url = page.body().isEmpty() ? null : page.next();
        }
        return new Listing(items, false);
    }

    private record Page(JsonNode body, String next) { }

    /** The next page's URL: `x-next-page` (empty on the last page) or else the `Link` header. */
    private String next(String current, HttpResponse<?> r) {
        String nextPage = r.headers().firstValue("x-next-page").orElse(null);
        if (nextPage != null) {
            if (nextPage.isBlank()) return null;
            String base = current.replaceAll("([?&])page=\\d+&?", "$1").replaceAll("[?&]$", "");
            return base + (base.contains("?") ? "&" : "?") + "page=" + nextPage.trim();
        }
        String link = r.headers().firstValue("Link").orElse(null);
        if (link == null) return null;
        Matcher m = NEXT_LINK.matcher(link);
        if (!m.find()) return null;
        String next = m.group(1);
        // Only ever follow links to the same API: a Link header must not send the token elsewhere.
        return next.startsWith(api + "/") ? next : null;
    }

    /**
     * Runs one request through the provider's retry; until some server answer arrived it is the credential check
     * ({@link Retry#probe}). {@link GitLab4jApi} sends its calls through here too, so both clients share one retry
     * path, one count and one notion of "the server has answered".
     */
    <T> T run(String what, Retry.Call<T> call) throws IOException {
        return answered.get() ? retry.run(what, call) : retry.probe(what, call);
    }

    /** Counts one request (one attempt) of either client into the current sink. */
    void counted() {
        requests.get().request(GitLabSource.PROVIDER);
    }

    /** The server gave an answer (any status): later calls are no longer the credential check. */
    void answered() {
        answered.set(true);
    }

    /** The failure for a non-2xx answer of either client, with GitLab's `RateLimit-*` headers read. */
    HttpFailure failure(int status, String what, Function<String, String> header) {
        Function<String, String> either = h -> {
            String v = header.apply(h);
            if (v == null && h.startsWith("X-RateLimit-")) v = header.apply(h.substring(2));
            return v;
        };
        return HttpFailure.of(status, what, either, retry.policy().clock());
    }

    private HttpResponse<InputStream> send(String url) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120)).GET()
                .header("Accept", "application/json");
        if (token != null) b.header("PRIVATE-TOKEN", token);
        counted();
        try {
            HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            answered.set(true);
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    /** GitLab names its limit headers `RateLimit-*`; {@link HttpFailure#of} reads the `X-RateLimit-*` spelling. */
    private HttpFailure failure(HttpResponse<?> r, String what) {
        return failure(r.statusCode(), what, h -> r.headers().firstValue(h).orElse(null));
    }

    private static JsonNode parse(String body, int status, String what) throws HttpFailure {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null) throw new HttpFailure(HttpFailure.Kind.FATAL, status, null, "empty answer for " + what);
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new HttpFailure(HttpFailure.Kind.FATAL, status, null, "the answer for " + what + " is not JSON");
        }
    }

    static String readBounded(InputStream in, String what) throws IOException {
        try (in) {
            byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new HttpFailure(HttpFailure.Kind.FATAL, 200, null,
                        "the answer for " + what + " is larger than " + (MAX_BYTES >> 20) + " MiB");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
