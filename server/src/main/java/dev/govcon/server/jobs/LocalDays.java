package dev.govcon.server.jobs;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Local days of a time zone as sets of rollup hours. A rollup hour (a UTC hour) belongs to the
 * local day of its start, as {@code date_trunc('day', hour, zone)} places it; so a day of a
 * half-hour zone is the UTC hours whose start falls in it, not its 24 wall-clock hours.
 */
public final class LocalDays {
    private static final ZoneId UTC = ZoneId.of("UTC");

    private LocalDays() {
    }

    /** A tenant's zone from tenants.time_zone: UTC when unset or not a zone id. */
    public static ZoneId zone(String id) {
        if (id == null || id.isBlank()) {
            return UTC;
        }
        try {
            return ZoneId.of(id);
        } catch (java.time.DateTimeException e) {
            return UTC;
        }
    }

    /** The first rollup hour of {@code day}: its local midnight rounded up to a whole UTC hour. */
    public static Instant firstHour(LocalDate day, ZoneId zone) {
        Instant midnight = day.atStartOfDay(zone).toInstant();
        Instant hour = midnight.truncatedTo(ChronoUnit.HOURS);
        return hour.equals(midnight) ? hour : hour.plus(1, ChronoUnit.HOURS);
    }

    /** The local day that the rollup hour starting at {@code hour} belongs to. */
    public static LocalDate of(Instant hour, ZoneId zone) {
        return LocalDate.ofInstant(hour, zone);
    }

    /** The local days that the hours of one UTC day belong to (one or two). */
    public static List<LocalDate> ofUtcDay(LocalDate utcDay, ZoneId zone) {
        Instant first = utcDay.atStartOfDay(ZoneOffset.UTC).toInstant();
        LocalDate from = of(first, zone);
        LocalDate to = of(first.plus(23, ChronoUnit.HOURS), zone);
        List<LocalDate> out = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            out.add(d);
        }
        return out;
    }
}
