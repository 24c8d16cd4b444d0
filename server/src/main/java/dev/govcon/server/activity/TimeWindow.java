package dev.govcon.server.activity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.google.protobuf.Timestamp;

import dev.govcon.server.errors.Errors;
import dev.govcon.server.wire.Times;

/**
 * A request's {@code start_time} / {@code end_time}: [start, end). Unset ends take defaults;
 * an invalid timestamp or an end before the start is INVALID_ARGUMENT naming the field.
 */
public record TimeWindow(Instant start, Instant end) {

    /** Unset end = now; unset start = end - {@code defaultLength}. */
    public static TimeWindow of(boolean hasStart, Timestamp start, boolean hasEnd, Timestamp end,
                                Duration defaultLength, Clock clock) {
        Instant e = hasEnd ? instant("end_time", end) : clock.instant();
        Instant s = hasStart ? instant("start_time", start) : e.minus(defaultLength);
        if (e.isBefore(s)) {
            throw Errors.invalid("end_time", "must not be before start_time");
        }
        return new TimeWindow(s, e);
    }

    /** Unset ends stay null (no bound). */
    public static TimeWindow optional(boolean hasStart, Timestamp start, boolean hasEnd, Timestamp end) {
        Instant s = hasStart ? instant("start_time", start) : null;
        Instant e = hasEnd ? instant("end_time", end) : null;
        if (s != null && e != null && e.isBefore(s)) {
            throw Errors.invalid("end_time", "must not be before start_time");
        }
        return new TimeWindow(s, e);
    }

    /**
     * The whole hours that overlap this window, the granularity of {@code run_rollups_hourly}:
     * [start rounded down to the hour, end rounded up to the hour).
     */
    public TimeWindow toHours() {
        Instant s = start.truncatedTo(ChronoUnit.HOURS);
        Instant e = end.truncatedTo(ChronoUnit.HOURS);
        if (e.isBefore(end) || e.equals(s)) {
            e = e.plus(1, ChronoUnit.HOURS);
        }
        return new TimeWindow(s, e);
    }

    private static Instant instant(String field, Timestamp ts) {
        if (!Times.valid(ts)) {
            throw Errors.invalid(field, "is not a valid time");
        }
        return Times.instant(ts);
    }
}
