package io.breachwalk.text;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Times are read with a fast path for the form GitHub writes; it must agree with the general parse. */
class IsoTimeTest {

    @Test
    void readsGitHubsFormAndEveryOtherIsoForm() {
        assertThat(IsoTime.parse("2021-02-01T10:00:00Z")).isEqualTo(Instant.parse("2021-02-01T10:00:00Z"));
        assertThat(IsoTime.parse("2021-02-01T10:00:00+02:00")).isEqualTo(Instant.parse("2021-02-01T08:00:00Z"));
        assertThat(IsoTime.parse("2021-02-01T10:00:00.123Z")).isEqualTo(Instant.parse("2021-02-01T10:00:00.123Z"));
    }

    /** Random near-misses of the 20-character form: same instant, or both refuse it. */
    @Test
    void agreesWithOffsetDateTimeParse() {
        Random random = new Random(7);
        String digits = "0123456789";
        for (int n = 0; n < 100_000; n++) {
            char[] t = "2021-02-28T23:59:59Z".toCharArray();
            for (int k = random.nextInt(4); k > 0; k--) {
                int at = random.nextInt(t.length);
                t[at] = random.nextInt(5) == 0 ? "-T:Z+x ".charAt(random.nextInt(7))
                        : digits.charAt(random.nextInt(10));
            }
            String text = new String(t);
            Instant expected;
            try {
                expected = OffsetDateTime.parse(text).toInstant();
            } catch (RuntimeException e) {
                expected = null;
            }
            Instant got;
            try {
                got = IsoTime.parse(text);
            } catch (RuntimeException e) {
                got = null;
            }
            assertThat(got).as(text).isEqualTo(expected);
        }
    }
}
