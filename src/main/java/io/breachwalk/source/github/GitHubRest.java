package io.breachwalk.source.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwalk.source.Progress;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
    private static final int ATTEMPTS = 4;
    /** Never wait longer than this for one rate-limit reset without telling the user (the walk still waits). */
    private static final long MAX_WAIT_SECONDS = 3700;

    private final String base;
    private final String token;
    private final HttpClient http;
    private final Runnable counter;
    private final Progress progress;

    GitHubRest(String base, String token, HttpClient http, Runnable counter, Progress progress) {
        this.base = base.replaceAll("/+$", "");
        this.token = token;
        this.http = http;
        this.counter = counter;
        this.progress = progress;
    }

    record Response(int status, HttpHeaders headers, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
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

    /** GET with the token; waits out rate limits and retries transient failures. Any status is returned. */
    Response get(String pathOrUrl) throws IOException {
        URI uri = URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl);
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(60))
                    .header("Accept", "application/vnd.github+json")
                    .header("X-GitHub-Api-Version", "2022-11-28")
                    .header("Authorization", "Bearer " + token)
                    .GET().build();
            Response r;
            try {
                r = send(request);
            } catch (IOException e) {
                last = e;
                backoff(attempt);
                continue;
            }
            long wait = rateLimitWait(r);
            if (wait >= 0 && attempt < ATTEMPTS) {
                progress.waiting("GitHub rate limit", wait);
                sleep(wait * 1000);
                continue;
            }
            if (r.status() >= 500 && attempt < ATTEMPTS) {
                backoff(attempt);
                continue;
            }
            return r;
        }
        throw last != null ? last : new IOException("no answer from " + uri);
    }

    /** Every item of a paginated list (the array under {@code field}, or the top-level array when null). */
    List<JsonNode> pages(String path, String field) throws IOException, ApiError {
        List<JsonNode> out = new ArrayList<>();
        String next = path;
        while (next != null) {
            Response r = get(next);
            if (r.status() != 200) {
                throw new ApiError(r.status(), r.message(), path);
            }
            JsonNode body = r.json();
            (field == null ? body : body.path(field)).forEach(out::add);
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
        HttpRequest request = HttpRequest.newBuilder(URI.create(location)).timeout(Duration.ofSeconds(60)).GET().build();
        Response blob = send(request);
        if (blob.status() == 404 || blob.status() == 410) {
            return Optional.empty();
        }
        if (blob.status() != 200) {
            throw new ApiError(blob.status(), "log download failed", path);
        }
        return Optional.of(blob.body());
    }

    private Response send(HttpRequest request) throws IOException {
        counter.run();
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.headers(), new String(r.body(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Seconds to wait before retrying, or -1 when this is not a rate-limit answer. */
    static long rateLimitWait(Response r) {
        if (r.status() != 403 && r.status() != 429) {
            return -1;
        }
        Optional<String> retryAfter = r.headers().firstValue("Retry-After");
        if (retryAfter.isPresent()) {
            try {
                return Math.max(1, Long.parseLong(retryAfter.get().trim()));
            } catch (NumberFormatException e) {
                return 60;
            }
        }
        if ("0".equals(r.headers().firstValue("X-RateLimit-Remaining").orElse(""))) {
            long reset = r.headers().firstValue("X-RateLimit-Reset").map(Long::parseLong).orElse(0L);
            return Math.min(MAX_WAIT_SECONDS, Math.max(1, reset - Instant.now().getEpochSecond() + 1));
        }
        if (r.status() == 429 || r.body().contains("secondary rate limit")) {
            return 60;
        }
        return -1;
    }

    private static void backoff(int attempt) {
        sleep(250L << attempt);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A non-success answer, for coverage gaps: status plus GitHub's message. */
    static final class ApiError extends Exception {
        final int status;

        ApiError(int status, String message, String path) {
            super(path.replaceAll("\\?.*", "") + ": HTTP " + status + " " + message);
            this.status = status;
        }
    }
}
