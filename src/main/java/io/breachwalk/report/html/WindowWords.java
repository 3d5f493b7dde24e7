package io.breachwalk.report.html;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A window's bounds in words: incidents are announced in local dates ("until 1 April"), and a playbook turns them
 * into UTC instants. When a bound falls on a midnight in a well-known time zone, say which day it starts or ends,
 * so that `2021-04-02T07:00:00Z` reads as "the end of 1 April 2021, Pacific time". Nothing here knows an incident.
 */
final class WindowWords {

    private record Zone(ZoneId id, String words) {
    }

    /** UTC first: a bound at 00:00Z is read as UTC even where it is also another zone's midnight. */
    private static final List<Zone> ZONES = List.of(
            new Zone(ZoneId.of("UTC"), "UTC"),
            new Zone(ZoneId.of("America/Los_Angeles"), "Pacific time"),
            new Zone(ZoneId.of("America/Denver"), "Mountain time"),
            new Zone(ZoneId.of("America/Chicago"), "Central time"),
            new Zone(ZoneId.of("America/New_York"), "Eastern time"),
            new Zone(ZoneId.of("Europe/London"), "UK time"),
            new Zone(ZoneId.of("Europe/Berlin"), "Central European time"),
            new Zone(ZoneId.of("Asia/Kolkata"), "India time"),
            new Zone(ZoneId.of("Asia/Shanghai"), "China time"),
            new Zone(ZoneId.of("Asia/Tokyo"), "Japan time"),
            new Zone(ZoneId.of("Australia/Sydney"), "Sydney time"));

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);

    private WindowWords() {
    }

    /** `from the start of 31 January 2021, UTC, to the end of 1 April 2021, Pacific time`; empty if neither fits. */
    static String explain(Instant since, Instant until) {
        Optional<String> from = midnight(since).map(z -> "the start of " + DAY.format(z.date()) + ", " + z.words());
        Optional<String> to = midnight(until).map(z -> "the end of " + DAY.format(z.date().minusDays(1)) + ", "
                + z.words());
        if (from.isEmpty() && to.isEmpty()) {
            return "";
        }
        return (from.map(f -> "from " + f).orElse("") + (from.isPresent() && to.isPresent() ? ", " : "")
                + to.map(t -> "to " + t).orElse("")).trim();
    }

    private record Local(java.time.LocalDate date, String words) {
    }

    private static Optional<Local> midnight(Instant t) {
        if (t == null) {
            return Optional.empty();
        }
        for (Zone z : ZONES) {
            ZonedDateTime local = t.atZone(z.id());
            if (local.toLocalTime().equals(LocalTime.MIDNIGHT)) {
                return Optional.of(new Local(local.toLocalDate(), z.words()));
            }
        }
        return Optional.empty();
    }
}
