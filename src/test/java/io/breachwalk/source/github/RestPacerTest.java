package io.breachwalk.source.github;

import io.breachwalk.source.Retry;
import io.breachwalk.source.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST bucket is paced at its reserve, before it runs out; small buckets and far resets are left to Retry. */
class RestPacerTest {
    private static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");
    private final List<Duration> slept = new ArrayList<>();
    private final Retry retry = new Retry(new RetryPolicy(6, Duration.ofMillis(1), Duration.ofMillis(1),
            Duration.ofHours(1), 1.0, 1, slept::add, Clock.fixed(NOW, ZoneOffset.UTC)), null);

    private static java.util.function.Function<String, String> headers(long limit, long remaining, Instant reset) {
        Map<String, String> h = Map.of("X-RateLimit-Limit", String.valueOf(limit), "X-RateLimit-Remaining",
                String.valueOf(remaining), "X-RateLimit-Reset", String.valueOf(reset.getEpochSecond()));
        return h::get;
    }

    @Test
    void waitsForTheResetOnceTheBucketIsDownToItsReserve() throws Exception {
        RestPacer pacer = new RestPacer();
        pacer.observe(200, headers(5000, 101, NOW.plusSeconds(600)));
        pacer.await(retry);
        assertThat(slept).isEmpty();
        pacer.await(retry); // counted down to the reserve of 100
        assertThat(slept).containsExactly(Duration.ofSeconds(601));
    }

    @Test
    void leavesSmallBucketsFailedAnswersAndFarResetsAlone() throws Exception {
        RestPacer small = new RestPacer();
        small.observe(200, headers(10, 0, NOW.plusSeconds(60)));
        small.await(retry);
        RestPacer limited = new RestPacer();
        limited.observe(403, headers(5000, 0, NOW.plusSeconds(60)));
        limited.await(retry);
        RestPacer far = new RestPacer();
        far.observe(200, headers(5000, 3, NOW.plusSeconds(7200)));
        far.await(retry);
        assertThat(slept).isEmpty();
    }
}
