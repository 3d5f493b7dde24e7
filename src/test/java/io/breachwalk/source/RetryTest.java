package io.breachwalk.source;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared retry rules, with a recording sleeper and a fixed clock: nothing here really waits. */
class RetryTest {

    static final Instant NOW = Instant.parse("2021-04-15T12:00:00Z");
    final List<Duration> slept = new ArrayList<>();
    final List<String> waits = new ArrayList<>();
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    Retry retry(int attempts) {
        RetryPolicy p = RetryPolicy.defaults().withMaxAttempts(attempts).withSeed(42).withSleeper(slept::add, clock);
        return new Retry(p, new Progress() {
            public void start(String label, long total) { }
            public void step(String detail) { }
            public void waiting(String why, long seconds) { waits.add(seconds + "s " + why); }
        });
    }

    static HttpFailure status(int code, Map<String, String> headers, Clock clock) {
        return HttpFailure.of(code, "/x", h -> headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(h)).map(Map.Entry::getValue).findFirst().orElse(null), clock);
    }

    @Test
    void transientFailuresBackOffExponentiallyWithJitterThenSucceed() throws IOException {
        AtomicInteger n = new AtomicInteger();
        String got = retry(6).run("/x", () -> {
            int i = n.incrementAndGet();
            if (i == 1) throw new SocketException("Connection reset");
            if (i == 2) throw status(503, Map.of(), clock);
            if (i == 3) throw new java.io.EOFException("EOF reached while reading");
            if (i == 4) throw new java.net.http.HttpTimeoutException("request timed out");
            return "ok";
        });
        assertThat(got).isEqualTo("ok");
        assertThat(slept).hasSize(4);
        // attempt k waits between half and all of min(60 s, 1 s * 2^(k-1))
        for (int k = 0; k < 4; k++) {
            long step = 1000L << k;
            assertThat(slept.get(k).toMillis()).isBetween(step / 2, step);
        }
    }

    @Test
    void sameSeedSameJitter() throws IOException {
        List<Duration> first = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            slept.clear();
            AtomicInteger n = new AtomicInteger();
            retry(6).run("/x", () -> { if (n.incrementAndGet() < 5) throw new SocketException("reset"); return 1; });
            if (run == 0) first.addAll(slept); else assertThat(slept).isEqualTo(first);
        }
    }

    @Test
    void backoffIsCapped() {
        Retry r = retry(30);
        assertThat(r.backoff(25).toSeconds()).isBetween(30L, 60L);
    }

    @Test
    void boundedAttemptsThenTheFailureIsThrownForAGap() {
        AtomicInteger n = new AtomicInteger();
        assertThatThrownBy(() -> retry(3).run("/x", () -> {
            n.incrementAndGet();
            throw status(502, Map.of(), clock);
        })).isInstanceOf(HttpFailure.class).hasMessageContaining("HTTP 502 for /x").hasMessageContaining("after 3 attempts");
        assertThat(n).hasValue(3);
    }

    @Test
    void aProvidersFirstRequestGivesUpQuicklyWhenNothingAnswers() {
        AtomicInteger n = new AtomicInteger();
        assertThatThrownBy(() -> retry(6).probe("/user", () -> {
            n.incrementAndGet();
            throw new java.net.ConnectException("Connection refused");
        })).isInstanceOfSatisfying(HttpFailure.class, f -> {
            assertThat(f.kind()).isEqualTo(HttpFailure.Kind.UNREACHABLE);
            assertThat(f.getMessage()).isEqualTo("connection refused for /user");
        });
        assertThat(n).hasValue(2);
        assertThat(slept).containsExactly(Duration.ofMillis(500));

        // A connect timeout has already waited: no second try.
        n.set(0);
        assertThatThrownBy(() -> retry(6).probe("/user", () -> {
            n.incrementAndGet();
            throw new java.net.http.HttpConnectTimeoutException("HTTP connect timed out");
        })).hasMessage("connection timed out for /user");
        assertThat(n).hasValue(1);

        // Later requests keep the policy: a server that went away mid-scan is retried as usual.
        n.set(0);
        slept.clear();
        assertThatThrownBy(() -> retry(4).run("/x", () -> {
            n.incrementAndGet();
            throw new java.net.ConnectException();
        })).hasMessage("connection refused for /x; gave up after 4 attempts");
        assertThat(n).hasValue(4);
        assertThat(slept).hasSize(3);
    }

    @Test
    void transportFailuresAreSaidInWords() {
        assertThat(HttpFailure.transport("/x", new java.net.UnknownHostException("ghe.acme.invalid")).getMessage())
                .isEqualTo("host not found for /x");
        java.net.ConnectException wrapped = new java.net.ConnectException();
        wrapped.initCause(new java.nio.channels.UnresolvedAddressException());
        assertThat(HttpFailure.transport("/x", wrapped).kind()).isEqualTo(HttpFailure.Kind.UNREACHABLE);
        assertThat(HttpFailure.transport("/x", new SocketException("Connection reset")).getMessage())
                .isEqualTo("connection reset for /x");
        assertThat(HttpFailure.transport("/x", new java.net.http.HttpTimeoutException("request timed out"))
                .getMessage()).isEqualTo("timed out for /x");
        assertThat(HttpFailure.transport("/x", new IOException()).getMessage()).isEqualTo("network error for /x");
        assertThat(HttpFailure.transport("/x", new IOException("java.lang.IllegalStateException: x")).getMessage())
                .isEqualTo("network error for /x");
    }

    @Test
    void oneAttemptIsNotCalledGivingUp() {
        assertThatThrownBy(() -> retry(1).run("/x", () -> {
            throw status(503, Map.of(), clock);
        })).hasMessage("HTTP 503 for /x");
    }

    @Test
    void deniedAndNotFoundAreNotRetried() {
        for (int code : new int[]{401, 403, 404, 410, 400}) {
            AtomicInteger n = new AtomicInteger();
            assertThatThrownBy(() -> retry(6).run("/x", () -> {
                n.incrementAndGet();
                throw status(code, Map.of(), clock);
            })).isInstanceOf(HttpFailure.class);
            assertThat(n).as("HTTP " + code).hasValue(1);
        }
        assertThat(slept).isEmpty();
    }

    @Test
    void githubPrimaryLimitWaitsForTheResetAndShowsIt() throws IOException {
        long reset = NOW.getEpochSecond() + 1800;
        AtomicInteger n = new AtomicInteger();
        retry(6).run("/repos/acme/api/actions/runs", () -> {
            if (n.incrementAndGet() == 1) {
                throw status(403, Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Long.toString(reset)), clock);
            }
            return 1;
        });
        assertThat(slept).containsExactly(Duration.ofSeconds(1801));
        assertThat(waits).singleElement().asString().startsWith("1801s rate limited");
    }

    @Test
    void secondaryLimitsHonourRetryAfterOrWaitAMinute() throws IOException {
        AtomicInteger n = new AtomicInteger();
        retry(6).run("/x", () -> {
            int i = n.incrementAndGet();
            if (i == 1) throw status(429, Map.of("Retry-After", "8"), clock);
            if (i == 2) throw status(403, Map.of("gh-limited-by", "secondary"), clock);
            if (i == 3) throw status(403, Map.of("retry-after", "3"), clock);
            if (i == 4) throw status(503, Map.of("Retry-After", "2"), clock);   // Jenkins in maintenance
            return 1;
        });
        assertThat(slept).containsExactly(Duration.ofSeconds(8), Duration.ofSeconds(60), Duration.ofSeconds(3),
                Duration.ofSeconds(2));
    }

    @Test
    void aWaitLongerThanMaxWaitBecomesAFailureAtOnce() {
        RetryPolicy p = RetryPolicy.defaults().withMaxWait(Duration.ofMinutes(5)).withSleeper(slept::add, clock);
        long reset = NOW.getEpochSecond() + 3000;
        assertThatThrownBy(() -> new Retry(p, null).run("/x", () -> {
            throw status(403, Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Long.toString(reset)), clock);
        })).isInstanceOf(HttpFailure.class).hasMessageContaining("beyond --max-wait 300 s");
        assertThat(slept).isEmpty();
    }

    @Test
    void rateLimitsDoNotUseUpAttemptsButTheirTotalWaitIsBounded() {
        RetryPolicy p = RetryPolicy.defaults().withMaxAttempts(2).withMaxWait(Duration.ofSeconds(100))
                .withSleeper(slept::add, clock);
        AtomicInteger n = new AtomicInteger();
        assertThatThrownBy(() -> new Retry(p, null).run("/x", () -> {
            n.incrementAndGet();
            throw status(429, Map.of("Retry-After", "30"), clock);
        })).isInstanceOf(HttpFailure.class).hasMessageContaining("beyond --max-wait 100 s");
        // 30 + 30 + 30 s waited, the fourth 30 s would pass 100 s
        assertThat(n).hasValue(4);
        assertThat(slept).hasSize(3);
    }

    @Test
    void timeScaleShortensRealSleepsOnly() throws IOException {
        RetryPolicy p = RetryPolicy.defaults().withTimeScale(0.001).withSleeper(slept::add, clock);
        AtomicInteger n = new AtomicInteger();
        new Retry(p, null).run("/x", () -> {
            if (n.incrementAndGet() == 1) throw status(429, Map.of("Retry-After", "3600"), clock);
            return 1;
        });
        assertThat(slept).containsExactly(Duration.ofMillis(3600));
    }

    @Test
    void aRateLimitPausesOtherThreadsToo() throws Exception {
        // Thread A is told to wait 30 s; while it waits, thread B's request must wait too instead of hitting the API.
        java.util.concurrent.CountDownLatch aWaiting = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<String> sleeps = java.util.Collections.synchronizedList(new ArrayList<>());
        Sleeper sleeper = d -> {
            sleeps.add(Thread.currentThread().getName() + " " + d.toSeconds());
            if (Thread.currentThread().getName().equals("A")) {
                aWaiting.countDown();
                release.await();
            }
        };
        Retry r = new Retry(RetryPolicy.defaults().withSleeper(sleeper, Clock.systemUTC()), null);
        AtomicInteger calls = new AtomicInteger();
        Thread a = new Thread(() -> {
            try {
                r.run("/a", () -> {
                    if (calls.incrementAndGet() == 1) throw status(429, Map.of("Retry-After", "30"), Clock.systemUTC());
                    return 1;
                });
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "A");
        a.start();
        aWaiting.await();
        Thread b = new Thread(() -> {
            try {
                r.run("/b", () -> 1);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "B");
        b.start();
        b.join(5000);
        release.countDown();
        a.join(5000);
        assertThat(sleeps).hasSize(2);
        assertThat(sleeps.get(0)).startsWith("A ");
        assertThat(sleeps.get(1)).startsWith("B ");
        assertThat(Long.parseLong(sleeps.get(1).substring(2))).isBetween(28L, 30L);
    }
}
