package io.breachwalk.source;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * An HTTP answer that is not the one asked for, classified so that {@link Retry} knows whether to try again and how
 * long the server asked it to wait. The message names the path, never a header value: it may reach the coverage
 * report.
 */
public final class HttpFailure extends IOException {

    /** What the caller can do about it. */
    public enum Kind {
        /** 5xx, 408, a reset or a cut body: try again after a backoff. */
        TRANSIENT,
        /**
         * Nothing answered: connection refused, host not found, connect timeout, TLS handshake refused. Retried like
         * a transient failure, except on a provider's first request, where it means a wrong URL or no network.
         */
        UNREACHABLE,
        /** 429, or 403 with rate-limit headers: wait as told (Retry-After, X-RateLimit-Reset), then try again. */
        RATE_LIMITED,
        /** 401, 403: the token may not read this; retrying will not help. */
        DENIED,
        /** 404, 410: gone. */
        NOT_FOUND,
        /** Anything else (400, 422, a redirect we will not follow, an answer of the wrong shape). */
        FATAL
    }

    private final Kind kind;
    private final int status;
    private final Duration wait;

    public HttpFailure(Kind kind, int status, Duration wait, String message) {
        super(message);
        this.kind = kind;
        this.status = status;
        this.wait = wait;
    }

    public HttpFailure(Kind kind, int status, Duration wait, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.wait = wait;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, 0 when there was none (a reset, a timeout). */
    public int status() {
        return status;
    }

    /** How long the server asked us to wait, or null when it did not say. */
    public Duration serverWait() {
        return wait;
    }

    public boolean retryable() {
        return kind == Kind.TRANSIENT || kind == Kind.RATE_LIMITED || kind == Kind.UNREACHABLE;
    }

    /**
     * Classifies a status with its headers (looked up case-insensitively by {@code header}). GitHub's primary limit
     * is 403/429 with {@code X-RateLimit-Remaining: 0} (wait for {@code X-RateLimit-Reset}, epoch seconds); its
     * secondary limit is 403/429 with {@code Retry-After} or {@code gh-limited-by} (at least a minute when no time is
     * given); Jenkins and proxies answer 429/503 with {@code Retry-After}.
     */
    public static HttpFailure of(int status, String what, Function<String, String> header, Clock clock) {
        Duration retryAfter = retryAfter(header.apply("Retry-After"), clock);
        String remaining = header.apply("X-RateLimit-Remaining");
        Duration reset = reset(header.apply("X-RateLimit-Reset"), clock);
        String message = "HTTP " + status + " for " + what;
        if (status == 429 || status == 403) {
            if ("0".equals(trim(remaining)) && reset != null) {
                return new HttpFailure(Kind.RATE_LIMITED, status, reset, message + " (rate limit exhausted)");
            }
            if (retryAfter != null) {
                return new HttpFailure(Kind.RATE_LIMITED, status, retryAfter, message + " (rate limited)");
            }
            if (status == 429 || header.apply("gh-limited-by") != null) {
                return new HttpFailure(Kind.RATE_LIMITED, status, Duration.ofMinutes(1), message + " (rate limited)");
            }
            return new HttpFailure(Kind.DENIED, status, null, message);
        }
        if (status == 401) return new HttpFailure(Kind.DENIED, status, null, message);
        if (status == 404 || status == 410) return new HttpFailure(Kind.NOT_FOUND, status, null, message);
        if (status >= 500 || status == 408) return new HttpFailure(Kind.TRANSIENT, status, retryAfter, message);
        return new HttpFailure(Kind.FATAL, status, null, message);
    }

    /**
     * A transport failure, said in words (the message may reach the user and coverage.csv, so no exception class
     * names): nothing answered ({@link Kind#UNREACHABLE}), or a reset, timeout or body cut short, worth another try.
     */
    public static HttpFailure transport(String what, IOException cause) {
        String unreachable = unreachable(cause);
        if (unreachable != null) {
            return new HttpFailure(Kind.UNREACHABLE, 0, null, unreachable + " for " + what, cause);
        }
        return new HttpFailure(Kind.TRANSIENT, 0, null, transientWords(cause) + " for " + what, cause);
    }

    /** True when nothing answered because the connection attempt timed out (waiting again costs as long). */
    public boolean connectTimedOut() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.net.http.HttpConnectTimeoutException) return true;
            if (t instanceof java.net.SocketTimeoutException && t.getMessage() != null
                    && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("connect")) return true;
        }
        return false;
    }

    /** Why no connection could be made, in words; null when one was made (or the reason is unknown). */
    private static String unreachable(IOException cause) {
        boolean connect = false;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String m = lower(t.getMessage());
            if (t instanceof java.net.UnknownHostException
                    || t instanceof java.nio.channels.UnresolvedAddressException) return "host not found";
            if (t instanceof java.net.http.HttpConnectTimeoutException) return "connection timed out";
            if (t instanceof java.net.NoRouteToHostException || m.contains("no route to host")) {
                return "no route to host";
            }
            if (m.contains("network is unreachable")) return "network unreachable";
            if (m.contains("connection refused")) return "connection refused";
            if (t instanceof javax.net.ssl.SSLHandshakeException
                    || t instanceof javax.net.ssl.SSLPeerUnverifiedException) {
                return m.contains("pkix") || m.contains("certification path") || m.contains("certificate")
                        ? "TLS handshake failed: the server's certificate is not trusted (add its CA to the Java "
                        + "trust store, e.g. with keytool -importcert)"
                        : "TLS handshake failed";
            }
            if (t instanceof java.net.ConnectException) connect = true;
        }
        // java.net.http reports a refused connection as a ConnectException without a message around a closed channel.
        return connect ? "connection refused" : null;
    }

    private static String transientWords(IOException cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String m = lower(t.getMessage());
            if (t instanceof java.net.http.HttpTimeoutException || t instanceof java.net.SocketTimeoutException
                    || m.contains("timed out")) return "timed out";
            if (m.contains("connection reset") || m.contains("broken pipe")) return "connection reset";
            if (t instanceof java.io.EOFException || m.contains("eof") || m.contains("premature")
                    || m.contains("closed")) return "the connection closed before the answer was complete";
            if (t instanceof javax.net.ssl.SSLException) return "TLS error";
        }
        String m = cause.getMessage();
        // A message is shown only when it is words, not a class name or a stack of them.
        if (m != null && !m.isBlank() && !m.matches("(?s).*\\b[a-z]+(\\.[a-z0-9_]+)+\\.[A-Z]\\w*.*")) {
            m = m.replaceAll("\\s+", " ").trim();
            return "network error (" + (m.length() > 120 ? m.substring(0, 120) + "..." : m) + ")";
        }
        return "network error";
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(java.util.Locale.ROOT);
    }

    private static Duration retryAfter(String value, Clock clock) {
        String v = trim(value);
        if (v == null) return null;
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException e) {
            try {
                Instant at = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.parse(v, Instant::from);
                return positive(Duration.between(clock.instant(), at));
            } catch (java.time.format.DateTimeParseException ignored) {
                return null;
            }
        }
    }

    private static Duration reset(String value, Clock clock) {
        String v = trim(value);
        if (v == null) return null;
        try {
            // One more second: the reset is a whole second and clocks differ a little.
            return positive(Duration.between(clock.instant(), Instant.ofEpochSecond(Long.parseLong(v))).plusSeconds(1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
