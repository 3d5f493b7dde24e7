package io.breachwalk.source.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwalk.source.Findings;

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
 * parameters (git BuildData), consoleText as a stream, credential stores, and the X-Jenkins probe. Every request is
 * counted in {@link Findings#request}.
 */
final class JenkinsHttp {

    /** A non-2xx answer. */
    static final class Status extends IOException {
        final int code;

        Status(int code, String path) {
            super("HTTP " + code + " for " + path);
            this.code = code;
        }
    }

    record Answer(int status, String body, String jenkinsVersion) { }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String authorization;
    private final Findings findings;
    private final HttpClient client;

    JenkinsHttp(String base, String user, String token, Findings findings) {
        this.base = base.endsWith("/") ? base : base + "/";
        this.authorization = user == null || token == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
        this.findings = findings;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    String base() { return base; }

    /** GET a path below the base; the body as text whatever the status (for the probe). */
    Answer get(String path) throws IOException {
        HttpResponse<String> r = send(path, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r.headers().firstValue("X-Jenkins").orElse(null));
    }

    /** GET JSON; null for 404, {@link Status} for other errors. */
    JsonNode json(String path) throws IOException {
        HttpResponse<String> r = send(path, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) return null;
        if (r.statusCode() / 100 != 2) throw new Status(r.statusCode(), path);
        return JSON.readTree(r.body());
    }

    /** GET as a stream (console logs); null for 404. The caller closes it. */
    InputStream stream(String path) throws IOException {
        HttpResponse<InputStream> r = send(path, HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() == 404) {
            r.body().close();
            return null;
        }
        if (r.statusCode() / 100 != 2) {
            r.body().close();
            throw new Status(r.statusCode(), path);
        }
        return r.body();
    }

    private <T> HttpResponse<T> send(String path, HttpResponse.BodyHandler<T> handler) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + encodeQuery(path)))
                .timeout(Duration.ofSeconds(120)).GET();
        if (authorization != null) b.header("Authorization", authorization);
        findings.request(JenkinsSource.PROVIDER);
        try {
            return client.send(b.build(), handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The brackets and braces of a tree query are not legal in a URI; Jenkins reads them percent-encoded. */
    static String encodeQuery(String path) {
        return path.replace("[", "%5B").replace("]", "%5D").replace("{", "%7B").replace("}", "%7D")
                .replace("|", "%7C").replace(" ", "%20");
    }
}
