package io.breachwalk.sim.github;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * GitHub's search date syntax as the {@code created} parameter of the runs listing takes it: {@code a..b},
 * {@code a..*}, {@code *..b}, {@code >=a}, {@code >a}, {@code <=a}, {@code <a} and a bare {@code a}. A date without a
 * time stands for the whole day (so {@code ..2021-04-01} includes all of 1 April); a date-time stands for that second.
 * Held as a half-open interval [from, until).
 */
record CreatedFilter(Instant from, Instant until) {

    boolean contains(Instant t) {
        return (from == null || !t.isBefore(from)) && (until == null || t.isBefore(until));
    }

    static CreatedFilter parse(String text) {
        String s = text.trim();
        if (s.startsWith(">=")) {
            return new CreatedFilter(point(s.substring(2))[0], null);
        }
        if (s.startsWith(">")) {
            return new CreatedFilter(point(s.substring(1))[1], null);
        }
        if (s.startsWith("<=")) {
            return new CreatedFilter(null, point(s.substring(2))[1]);
        }
        if (s.startsWith("<")) {
            return new CreatedFilter(null, point(s.substring(1))[0]);
        }
        int dots = s.indexOf("..");
        if (dots >= 0) {
            String a = s.substring(0, dots).trim();
            String b = s.substring(dots + 2).trim();
            return new CreatedFilter(a.equals("*") ? null : point(a)[0], b.equals("*") ? null : point(b)[1]);
        }
        Instant[] p = point(s);
        return new CreatedFilter(p[0], p[1]);
    }

    /** [start, end) of what one value denotes: a whole day for a date, one second for a date-time. */
    private static Instant[] point(String v) {
        String s = v.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty date");
        }
        try {
            if (s.length() == 10) {
                Instant day = LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
                return new Instant[] {day, day.plusSeconds(86_400)};
            }
            Instant t;
            try {
                t = OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException noZone) {
                t = LocalDateTime.parse(s).toInstant(ZoneOffset.UTC); // no offset given: UTC
            }
            return new Instant[] {t, t.plusSeconds(1)};
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a date: " + s);
        }
    }
}
