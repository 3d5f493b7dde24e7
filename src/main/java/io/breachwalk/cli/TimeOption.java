package io.breachwalk.cli;

import picocli.CommandLine;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** `--since`/`--until`: an ISO-8601 instant (`2021-01-31T00:00:00Z`, offsets allowed) or a date (midnight UTC). */
final class TimeOption implements CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw new CommandLine.TypeConversionException("`" + value
                        + "` is not an ISO-8601 time; write e.g. 2021-01-31T00:00:00Z or 2021-01-31");
            }
        }
    }
}
