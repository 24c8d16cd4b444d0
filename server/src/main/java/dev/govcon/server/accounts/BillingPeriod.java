package dev.govcon.server.accounts;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * A billing period [start, end): a calendar month in the tenant's time zone (midnight of the
 * first to midnight of the next first, daylight saving time included).
 *
 * <p>Usage comes from {@code run_rollups_hourly}, whose hours are UTC hours: an hour belongs to
 * the period its start falls in. For zones a whole number of hours from UTC this is exact; for
 * the few that are not (Asia/Kolkata, +05:30) runs in the half hour around midnight of the
 * first are counted in the neighbouring period.
 */
public record BillingPeriod(Instant start, Instant end, ZoneId zone) {

    public static BillingPeriod containing(Instant at, ZoneId zone) {
        YearMonth month = YearMonth.from(at.atZone(zone));
        return new BillingPeriod(month.atDay(1).atStartOfDay(zone).toInstant(),
                                 month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant(), zone);
    }

    /**
     * The period from {@code start} to the end of the month it falls in. It is a whole month
     * when {@code start} is a month boundary; after the tenant changes time zone the first
     * period is shorter or longer, so that periods never overlap or leave a gap.
     */
    public static BillingPeriod startingAt(Instant start, ZoneId zone) {
        return new BillingPeriod(start, containing(start, zone).end(), zone);
    }

    public BillingPeriod next() {
        return startingAt(end, zone);
    }

    public YearMonth month() {
        return YearMonth.from(start.atZone(zone));
    }

    /** "July 2026". */
    public String label() {
        ZonedDateTime s = start.atZone(zone);
        return s.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + s.getYear();
    }
}
