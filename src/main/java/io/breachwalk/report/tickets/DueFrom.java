package io.breachwalk.report.tickets;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * The day ticket SLAs count from (`--due-from`): today (the default, so that imported tickets are not overdue on
 * arrival), the end of the report's window (the same file on every re-run, for tests and reproducible exports), or a
 * given date.
 *
 * @param date the given date; null for {@link Kind#TODAY} and {@link Kind#WINDOW_END}
 */
public record DueFrom(Kind kind, LocalDate date) {

    public enum Kind { TODAY, WINDOW_END, DATE }

    public static final DueFrom TODAY = new DueFrom(Kind.TODAY, null);
    public static final DueFrom WINDOW_END = new DueFrom(Kind.WINDOW_END, null);

    public static DueFrom on(LocalDate date) {
        return new DueFrom(Kind.DATE, date);
    }

    public static DueFrom parse(String spec) {
        String s = spec == null ? "" : spec.strip();
        if (s.equalsIgnoreCase("today")) {
            return TODAY;
        }
        if (s.equalsIgnoreCase("window-end")) {
            return WINDOW_END;
        }
        try {
            return on(LocalDate.parse(s));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("`" + s + "` is not `today`, `window-end` or a date YYYY-MM-DD "
                    + "(e.g. 2021-04-15)");
        }
    }
}
