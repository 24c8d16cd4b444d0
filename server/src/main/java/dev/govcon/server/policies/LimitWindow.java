package dev.govcon.server.policies;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

import dev.govcon.proto.v1.LimitKind;

/**
 * The window a limit counts in at a given instant: the calendar day or month in the tenant's
 * time zone, the minute, or (for concurrent runs, which have no window) the epoch onwards.
 * Days are calendar days, so a daylight-saving day is 23 or 25 hours long.
 */
public record LimitWindow(Instant start, Instant end) {
    /** The one "window" of a CONCURRENT_RUNS limit. */
    public static final LimitWindow FOREVER =
            new LimitWindow(Instant.EPOCH, Instant.parse("9999-12-31T00:00:00Z"));

    public static LimitWindow of(LimitKind kind, Instant at, ZoneId zone) {
        switch (kind) {
            case LIMIT_KIND_SPEND_PER_DAY, LIMIT_KIND_TOKENS_PER_DAY -> {
                LocalDate day = at.atZone(zone).toLocalDate();
                return new LimitWindow(day.atStartOfDay(zone).toInstant(),
                                       day.plusDays(1).atStartOfDay(zone).toInstant());
            }
            case LIMIT_KIND_SPEND_PER_MONTH -> {
                LocalDate first = at.atZone(zone).toLocalDate().withDayOfMonth(1);
                return new LimitWindow(first.atStartOfDay(zone).toInstant(),
                                       first.plusMonths(1).atStartOfDay(zone).toInstant());
            }
            case LIMIT_KIND_REQUESTS_PER_MINUTE -> {
                Instant minute = at.truncatedTo(ChronoUnit.MINUTES);
                return new LimitWindow(minute, minute.plus(1, ChronoUnit.MINUTES));
            }
            case LIMIT_KIND_CONCURRENT_RUNS -> {
                return FOREVER;
            }
            default -> throw new IllegalArgumentException("no window for " + kind);
        }
    }

    public boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }

    /** Start of the tenant-zone day holding {@code at}; used by day series. */
    public static ZonedDateTime dayStart(Instant at, ZoneId zone) {
        return at.atZone(zone).toLocalDate().atStartOfDay(zone);
    }
}
