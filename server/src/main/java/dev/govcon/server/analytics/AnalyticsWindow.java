package dev.govcon.server.analytics;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.Timestamp;

import dev.govcon.proto.v1.Granularity;
import dev.govcon.server.activity.TimeWindow;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;

/**
 * The window of an analytics request: [start, end) widened to the whole hours it overlaps (the
 * grain of {@code run_rollups_hourly}), the tenant's time zone for day and week boundaries, and
 * the granularity of series. Buckets are the hours, days or weeks (starting Monday) of the zone
 * that the window overlaps; a rollup hour belongs to the bucket its start falls in, exactly
 * as PostgreSQL's {@code date_trunc(unit, hour, zone)} places it.
 */
record AnalyticsWindow(Instant start, Instant end, ZoneId zone, Granularity granularity) {
    static final Duration DEFAULT_LENGTH = Duration.ofDays(30);
    /** How far back run history is kept for analytics (as for limit simulation). */
    static final Duration RETENTION = Duration.ofDays(366);
    static final Duration MAX_HOURLY = Duration.ofDays(31);

    static AnalyticsWindow of(boolean hasStart, Timestamp start, boolean hasEnd, Timestamp end,
                              Granularity requested, ZoneId zone, Clock clock) {
        TimeWindow w = TimeWindow.of(hasStart, start, hasEnd, end, DEFAULT_LENGTH, clock);
        if (Duration.between(w.start(), w.end()).compareTo(RETENTION) > 0) {
            throw Errors.invalid("start_time", "must be at most " + RETENTION.toDays()
                                               + " days (the retention) before end_time");
        }
        Granularity g = Validate.enumValue("granularity", requested, false);
        if (g == Granularity.GRANULARITY_UNSPECIFIED) {
            g = Granularity.DAY;
        }
        TimeWindow hours = w.toHours();
        if (g == Granularity.HOUR && Duration.between(hours.start(), hours.end()).compareTo(MAX_HOURLY) > 0) {
            throw Errors.invalid("granularity", "HOUR is allowed for windows of at most "
                                                + MAX_HOURLY.toDays() + " days; use DAY or WEEK");
        }
        return new AnalyticsWindow(hours.start(), hours.end(), zone, g);
    }

    Duration length() {
        return Duration.between(start, end);
    }

    /** The window of equal length just before this one. */
    AnalyticsWindow previous() {
        return new AnalyticsWindow(start.minus(length()), start, zone, granularity);
    }

    /** Length in days (fractional), at least one hour's worth. */
    double days() {
        return Math.max(1, length().toHours()) / 24.0;
    }

    /** The {@code date_trunc} unit of the granularity. */
    String unit() {
        return unit(granularity);
    }

    static String unit(Granularity g) {
        return switch (g) {
            case HOUR -> "hour";
            case WEEK -> "week";
            default -> "day";
        };
    }

    /** Start of every bucket the window overlaps, ascending. */
    List<Instant> buckets() {
        return buckets(granularity);
    }

    List<Instant> buckets(Granularity g) {
        List<Instant> out = new ArrayList<>();
        ZonedDateTime b = truncate(start.atZone(zone), g);
        while (b.toInstant().isBefore(end)) {
            out.add(b.toInstant());
            b = switch (g) {
                case HOUR -> b.plusHours(1);
                case WEEK -> b.plusWeeks(1).truncatedTo(ChronoUnit.DAYS);
                default -> b.plusDays(1).truncatedTo(ChronoUnit.DAYS);
            };
        }
        return out;
    }

    /** The bucket of granularity {@code g} that {@code at} falls in. */
    Instant bucketOf(Instant at, Granularity g) {
        return truncate(at.atZone(zone), g).toInstant();
    }

    private static ZonedDateTime truncate(ZonedDateTime t, Granularity g) {
        return switch (g) {
            case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
            case WEEK -> t.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).truncatedTo(ChronoUnit.DAYS);
            default -> t.truncatedTo(ChronoUnit.DAYS);
        };
    }
}
