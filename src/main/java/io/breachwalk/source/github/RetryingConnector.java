package io.breachwalk.source.github;

import io.breachwalk.source.HttpFailure;
import io.breachwalk.source.Retry;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.List;
import java.util.Map;

/**
 * github-api's connector, wrapped in the provider's {@link Retry}: each attempt is counted, the body is read in full
 * inside the attempt (so a body cut short is retried, not handed to the parser), rate limits are waited out and 5xx
 * answers and resets retried like the raw REST calls. github-api then sees only final answers. Requests to a host
 * other than the endpoint's (a pagination link, a redirect) are refused before the Authorization header is sent.
 */
final class RetryingConnector implements GitHubConnector {

    private static final int MAX_BYTES = 32 * 1024 * 1024;

    private final GitHubConnector base;
    private final Retry retry;
    private final Runnable count;
    private final URL endpoint;
    /**
     * Until the server has given one answer github-api can use, a request is the credential check (github-api makes
     * it while building the client, then {@code getMyself}): it fails fast when nothing answers (see
     * {@link Retry#probe}) or when a web page answers.
     */
    private final java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();

    private final RestPacer pacer;

    RetryingConnector(GitHubConnector base, Retry retry, Runnable count, URL endpoint) {
        this(base, retry, count, endpoint, new RestPacer());
    }

    RetryingConnector(GitHubConnector base, Retry retry, Runnable count, URL endpoint, RestPacer pacer) {
        this.pacer = pacer;
        this.base = base;
        this.retry = retry;
        this.count = count;
        this.endpoint = endpoint;
    }

    @Override
    public GitHubConnectorResponse send(GitHubConnectorRequest request) throws IOException {
        URL url = request.url();
        if (!sameOrigin(endpoint, url) && request.header("Authorization") != null) {
            throw new HttpFailure(HttpFailure.Kind.FATAL, 0, null, "refusing to send the token to another host ("
                    + io.breachwalk.text.SafeText.terminal(url.getHost()) + ")");
        }
        String what = url.getPath();
        boolean probe = !answered.get();
        Retry.Call<GitHubConnectorResponse> attempt = () -> {
            pacer.await(retry);
            count.run();
            try (GitHubConnectorResponse r = base.send(request)) {
                pacer.observe(r.statusCode(), r::header);
                byte[] body;
                try (InputStream in = r.bodyStream()) {
                    body = in == null ? new byte[0] : in.readNBytes(MAX_BYTES + 1);
                }
                if (body.length > MAX_BYTES) {
                    throw new HttpFailure(HttpFailure.Kind.FATAL, r.statusCode(), null,
                            "the answer for " + what + " is larger than 32 MiB");
                }
                int status = r.statusCode();
                if (status == 429 || status >= 500 || (status == 403 && limited(r, body))) {
                    HttpFailure f = HttpFailure.of(status, what, r::header, retry.policy().clock());
                    if (status == 403 && !f.retryable()) {
                        f = new HttpFailure(HttpFailure.Kind.RATE_LIMITED, 403, java.time.Duration.ofMinutes(1),
                                "HTTP 403 for " + what + " (secondary rate limit)");
                    }
                    throw f;
                }
                // A 200 that is a proxy's HTML page or JSON cut short (with a matching Content-Length) is retried
                // like a body cut in transit; handed to github-api it would surface as a parser exception.
                if (status / 100 == 2 && body.length > 0 && expectsJson(r)) {
                    String problem = GitHubRest.notJson(new String(body, java.nio.charset.StandardCharsets.UTF_8),
                            r.header("Content-Type") == null ? "" : r.header("Content-Type"));
                    if (problem != null) {
                        // On the first request a web page is a wrong --github-url, not a proxy's hiccup.
                        boolean webPage = probe && !problem.startsWith("is JSON cut short");
                        throw new HttpFailure(webPage ? HttpFailure.Kind.FATAL : HttpFailure.Kind.TRANSIENT, status,
                                null, "the answer for " + what + " " + problem);
                    }
                }
                // The body is decoded already: drop Content-Encoding so that github-api does not gunzip it again.
                Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                r.allHeaders().forEach((k, v) -> {
                    if (k != null && !k.equalsIgnoreCase("Content-Encoding")) headers.put(k, v);
                });
                answered.set(true);
                return new Buffered(request, status, headers, body);
            }
        };
        try {
            return probe ? retry.probe(what, attempt) : retry.run(what, attempt);
        } catch (HttpFailure f) {
            // github-api retries a failure caused by a socket error once more on its own; ours has been retried.
            throw new HttpFailure(f.kind(), f.status(), f.serverWait(), f.getMessage());
        }
    }

    private static boolean limited(GitHubConnectorResponse r, byte[] body) {
        if ("0".equals(r.header("X-RateLimit-Remaining")) || r.header("Retry-After") != null
                || r.header("gh-limited-by") != null) return true;
        String text = new String(body, 0, Math.min(body.length, 4096), java.nio.charset.StandardCharsets.UTF_8);
        return text.contains("secondary rate limit") || text.contains("rate limit exceeded");
    }

    /** API answers are JSON (or a page claiming to be HTML); raw downloads (octet-stream, text/plain) are not. */
    private static boolean expectsJson(GitHubConnectorResponse r) {
        String type = r.header("Content-Type");
        return type == null || type.contains("json") || type.contains("html");
    }

    static boolean sameOrigin(URL a, URL b) {
        return a.getProtocol().equalsIgnoreCase(b.getProtocol()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URL u) {
        return u.getPort() >= 0 ? u.getPort() : u.getDefaultPort();
    }

    /** An answer held in memory, already read in full. */
    private static final class Buffered extends GitHubConnectorResponse.ByteArrayResponse {
        private final byte[] body;

        Buffered(GitHubConnectorRequest request, int status, Map<String, List<String>> headers, byte[] body) {
            super(request, status, headers);
            this.body = body;
        }

        @Override
        protected InputStream rawBodyStream() {
            return new ByteArrayInputStream(body);
        }
    }
}
