package io.breachwalk.source.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwalk.source.HttpFailure;
import io.breachwalk.source.Retry;
import io.breachwalk.source.Sink;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Plain JSON-API calls with the same Basic authentication as the jenkins-rest client, for what that client (1.0.2)
 * does not offer: {@code tree} queries (allBuilds ranges, one-call listings), build actions beyond causes and
 * parameters (git BuildData), consoleText as a stream, credential stores, and the X-Jenkins probe. Every attempt is
 * counted in {@link Sink#request}; every call goes through the provider's {@link Retry} (429/503 with Retry-After,
 * 5xx, resets, timeouts, bodies cut short), so a call that still fails has failed for good.
 */
final class JenkinsHttp {

    /** A non-2xx answer (kept for the callers that tell 401/403 from the rest). */
    static boolean denied(IOException e) {
        return e instanceof HttpFailure f && f.kind() == HttpFailure.Kind.DENIED;
    }

    record Answer(int status, String body, String jenkinsVersion) { }

    /** Reads a streamed body; called again from the start when an attempt fails. */
    @FunctionalInterface
    interface BodyReader<T> {
        T read(InputStream in) throws IOException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A JSON answer larger than this is not an answer Jenkins gives to our tree queries. */
    static final long MAX_JSON_BYTES = 32L * 1024 * 1024;

    private final String base;
    private final String authorization;
    private final Sink requests;
    private final Retry retry;
    private final HttpClient client;
    /** Until the server has answered once, a request is the probe: it fails fast when nothing answers. */
    private final java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();

    JenkinsHttp(String base, String user, String token, Sink requests, Retry retry) {
        this.base = base.endsWith("/") ? base : base + "/";
        this.authorization = user == null || token == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
        this.requests = requests;
        this.retry = retry;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    String base() { return base; }

    Retry retry() { return retry; }

    /** GET a path below the base; the body as text whatever the status, except the ones worth retrying (the probe). */
    Answer get(String path) throws IOException {
        return run(path, () -> {
            HttpResponse<InputStream> r = send(path);
            int s = r.statusCode();
            if (s == 429 || s >= 500) {
                r.body().close();
                throw failure(r, path);
            }
            String body = readBounded(r.body(), path);
            return new Answer(s, body, r.headers().firstValue("X-Jenkins").orElse(null));
        });
    }

    /** GET JSON; null for 404, {@link HttpFailure} for other errors and for an answer that is not a JSON object. */
    JsonNode json(String path) throws IOException {
        return run(path, () -> {
            HttpResponse<InputStream> r = send(path);
            if (r.statusCode() == 404) {
                r.body().close();
                return null;
            }
            if (r.statusCode() / 100 != 2) {
                r.body().close();
                throw failure(r, path);
            }
            String body = readBounded(r.body(), path);
            JsonNode n;
            try {
                n = JSON.readTree(body);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // A body cut short fails while reading (above) and is retried; a complete body that does not parse
                // is a login or proxy error page served with 200: asking again will not change it.
                throw new HttpFailure(HttpFailure.Kind.FATAL, r.statusCode(), null,
                        "the answer for " + path + " is not JSON (" + contentType(r) + ")");
            }
            if (n == null || !n.isObject()) {
                throw new HttpFailure(HttpFailure.Kind.FATAL, r.statusCode(), null,
                        "the answer for " + path + " is not a JSON object");
            }
            return n;
        });
    }

    /** GET a streamed body (console logs) and hand it to {@code reader}; null for 404. Retried from the start. */
    <T> T read(String path, BodyReader<T> reader) throws IOException {
        return run(path, () -> {
            HttpResponse<InputStream> r = send(path);
            try (InputStream in = r.body()) {
                if (r.statusCode() == 404) return null;
                if (r.statusCode() / 100 != 2) throw failure(r, path);
                return reader.read(in);
            }
        });
    }

    private <T> T run(String path, Retry.Call<T> call) throws IOException {
        return answered.get() ? retry.run(path, call) : retry.probe(path, call);
    }

    private HttpResponse<InputStream> send(String path) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + encodeQuery(path)))
                .timeout(Duration.ofSeconds(120)).GET();
        if (authorization != null) b.header("Authorization", authorization);
        requests.request(JenkinsSource.PROVIDER);
        try {
            HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            answered.set(true);
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    private HttpFailure failure(HttpResponse<?> r, String path) {
        return HttpFailure.of(r.statusCode(), path, h -> r.headers().firstValue(h).orElse(null),
                retry.policy().clock());
    }

    private static String contentType(HttpResponse<?> r) {
        return r.headers().firstValue("Content-Type").orElse("no content type").replaceAll("[^\\w/.;=+ -]", "");
    }

    private static String readBounded(InputStream in, String path) throws IOException {
        try (in) {
            byte[] bytes = in.readNBytes((int) MAX_JSON_BYTES + 1);
            if (bytes.length > MAX_JSON_BYTES) {
                throw new HttpFailure(HttpFailure.Kind.FATAL, 200, null,
                        "the answer for " + path + " is larger than " + (MAX_JSON_BYTES >> 20) + " MiB");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** The brackets and braces of a tree query are not legal in a URI; Jenkins reads them percent-encoded. */
    static String encodeQuery(String path) {
        return path.replace("[", "%5B").replace("]", "%5D").replace("{", "%7B").replace("}", "%7D")
                .replace("|", "%7C").replace(" ", "%20");
    }
}
