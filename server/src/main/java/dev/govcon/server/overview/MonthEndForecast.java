package dev.govcon.server.overview;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

import dev.govcon.server.analytics.RollupPlan;
import dev.govcon.server.jobs.LocalDays;
import dev.govcon.server.stats.Forecast;

/**
 * The month-end spend forecast of the cost summary.
 *
 * <p>History: the daily spend (tenant time zone, from the hourly rollups) of the
 * {@link #HISTORY_DAYS} whole days before today, starting at the first of them with any
 * spend. With at least {@link #MIN_HISTORY_DAYS} such days, Holt's linear trend
 * ({@link Forecast#holt}) forecasts every day from today to the last of the month, today
 * counted as a whole day; the forecast is the spend of this month's days before today plus the
 * forecast total of those days, with its {@link #CONFIDENCE} interval. With less history the
 * stated simple method applies: month-to-date spend / days elapsed (today counted whole) ×
 * days in the month, with no interval (lower and upper 0). The month cannot end below what is
 * already spent, so value and bounds are raised to at least the month-to-date spend.
 */
final class MonthEndForecast {
    static final int HISTORY_DAYS = 28;
    static final int MIN_HISTORY_DAYS = 3;
    static final double CONFIDENCE = 0.8;

    record Result(long value, long lower, long upper) {
    }

    private MonthEndForecast() {
    }

    static Result of(SqlSession s, UUID tenantId, ZoneId zone, LocalDate today, long monthToDate, long todaySpend) {
        LocalDate historyStart = today.minusDays(HISTORY_DAYS);
        Map<LocalDate, Long> spent = new HashMap<>();
        s.getMapper(OverviewMapper.class)
                .dailySpend(tenantId, RollupPlan.totalsForTenant(s, tenantId, LocalDays.firstHour(historyStart, zone),
                                                                 LocalDays.firstHour(today, zone), zone), zone.getId())
                .forEach(d -> spent.merge(d.day(), d.costMicros(), Long::sum));
        LocalDate first = spent.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey)
                .filter(d -> !d.isBefore(historyStart) && d.isBefore(today))
                .min(LocalDate::compareTo).orElse(today);
        int historyDays = (int) ChronoUnit.DAYS.between(first, today);
        if (historyDays < MIN_HISTORY_DAYS) {
            long value = Math.round((double) monthToDate / today.getDayOfMonth() * today.lengthOfMonth());
            return new Result(Math.max(value, monthToDate), 0, 0);
        }
        double[] daily = new double[historyDays];
        for (int i = 0; i < historyDays; i++) {
            daily[i] = spent.getOrDefault(first.plusDays(i), 0L);
        }
        int horizon = today.lengthOfMonth() - today.getDayOfMonth() + 1;
        Forecast.Point total = Forecast.holt(daily, horizon, CONFIDENCE).nonNegative().total();
        long before = monthToDate - todaySpend;
        return new Result(atLeast(before + total.value(), monthToDate), atLeast(before + total.low(), monthToDate),
                          atLeast(before + total.high(), monthToDate));
    }

    private static long atLeast(double value, long floor) {
        return Math.max(Math.round(value), floor);
    }
}
