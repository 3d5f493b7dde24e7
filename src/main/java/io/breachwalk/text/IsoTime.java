package io.breachwalk.text;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Times as the CI providers' APIs write them. */
public final class IsoTime {
    private IsoTime() {
    }

    /**
     * An ISO-8601 time with an offset, as {@code OffsetDateTime.parse} reads it (and refuses what it refuses). The
     * form GitHub writes, {@code 2021-02-01T10:00:00Z}, is read directly: every run and job has several, and the
     * formatter's general parse was a visible share of a large walk's CPU.
     */
    public static Instant parse(String t) {
        if (t.length() == 20 && t.charAt(4) == '-' && t.charAt(7) == '-' && t.charAt(10) == 'T' && t.charAt(13) == ':'
                && t.charAt(16) == ':' && t.charAt(19) == 'Z') {
            int year = digits(t, 0, 4);
            int month = digits(t, 5, 7);
            int day = digits(t, 8, 10);
            int hour = digits(t, 11, 13);
            int minute = digits(t, 14, 16);
            int second = digits(t, 17, 19);
            if (year >= 0 && month >= 0 && day >= 0 && hour >= 0 && minute >= 0 && second >= 0) {
                try {
                    return LocalDateTime.of(year, month, day, hour, minute, second)
                            .toInstant(ZoneOffset.UTC);
                } catch (DateTimeException e) {
                    // month 13, February 30, hour 24...: the general parse below decides, as before
                }
            }
        }
        return OffsetDateTime.parse(t).toInstant();
    }

    /** The ASCII decimal number in {@code t[from, to)}, or -1 when a character is not an ASCII digit. */
    private static int digits(String t, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

}
