package dev.govcon.server.signals;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.govcon.server.stats.Forecast;

/**
 * Spend of a scope projected to the end of a window [start, end), two ways:
 * <ul>
 * <li>{@link #runRate}: the spend of the last three hour buckets (the current one and the two
 *     before it) per second, carried to the window's end; the interval is ± z × (standard
 *     deviation of the 24 complete hours before) × √(hours left). Used for daily limits and
 *     for monthly limits with less than a week of history.</li>
 * <li>{@link #holt}: {@link Forecast#holt} on the scope's spend per complete tenant-zone day
 *     (up to 35 days, from the first day with any spend of the tenant), the rest of today
 *     counted as that fraction of the next day's forecast; the interval is the forecast
 *     total's. Needs {@value #MIN_DAYS} complete days. Used for monthly limits and month-end
 *     spend.</li>
 * </ul>
 * The lower bound is never below what is already spent. Exhaustion is the moment the
 * projected spend reaches the amount (now when it already has), or null when it does not
 * before the window's end.
 */
record Projection(long currentMicros, long predictedMicros, long lowerMicros, long upperMicros,
                  Instant exhaustion, double confidence, String method) {
    static final double CONFIDENCE = 0.9;
    static final int MIN_DAYS = 7;
    static final int RATE_HOURS = 3;

    /**
     * @param hourly the scope's spend per hour of {@code series}
     * @param current the index of the hour bucket holding {@code now}
     */
    static Projection runRate(HourlySeries series, double[] hourly, int current, Instant now, Instant start,
                              Instant end, long amount) {
        long used = 0;
        for (int i = 0; i <= current; i++) {
            Instant h = series.hourAt(i);
            if (!h.isBefore(hourFloor(start))) {
                used += (long) hourly[i];
            }
        }
        Instant rateFrom = series.hourAt(current - (RATE_HOURS - 1));
        double recent = 0;
        for (int i = current - (RATE_HOURS - 1); i <= current; i++) {
            recent += hourly[i];
        }
        double perSecond = recent / Math.max(1, Duration.between(rateFrom, now).toSeconds());
        double secondsLeft = Math.max(0, Duration.between(now, end).toSeconds());
        double predicted = used + perSecond * secondsLeft;
        double sd = sampleSd(hourly, current - 24, current);
        double half = Forecast.quantile(CONFIDENCE) * sd * Math.sqrt(secondsLeft / 3600.0);
        Instant exhaustion = null;
        if (amount > 0 && used >= amount) {
            exhaustion = now;
        } else if (amount > 0 && perSecond > 0 && predicted >= amount) {
            exhaustion = now.plusSeconds((long) Math.ceil((amount - used) / perSecond));
        }
        return new Projection(used, Math.round(predicted), Math.round(Math.max(used, predicted - half)),
                              Math.round(predicted + half), exhaustion, CONFIDENCE,
                              String.format("run-rate(last %d hours, %.0f micros/hour)", RATE_HOURS, perSecond * 3600));
    }

    /**
     * @param days spend per tenant-zone day of the scope (today's partial included)
     * @return null when there are fewer than {@value #MIN_DAYS} complete days of history
     */
    static Projection holt(Map<LocalDate, Long> days, LocalDate firstDay, ZoneId zone, Instant now, Instant start,
                           Instant end, long amount) {
        LocalDate today = now.atZone(zone).toLocalDate();
        LocalDate historyFrom = firstDay.isBefore(today.minusDays(35)) ? today.minusDays(35) : firstDay;
        int n = (int) (today.toEpochDay() - historyFrom.toEpochDay());
        if (n < MIN_DAYS) {
            return null;
        }
        double[] history = new double[n];
        for (int i = 0; i < n; i++) {
            history[i] = days.getOrDefault(historyFrom.plusDays(i), 0L);
        }
        long used = 0;
        LocalDate startDay = start.atZone(zone).toLocalDate();
        for (Map.Entry<LocalDate, Long> e : new TreeMap<>(days).entrySet()) {
            if (!e.getKey().isBefore(startDay) && !e.getKey().isAfter(today)) {
                used += e.getValue();
            }
        }
        Instant todayStart = today.atStartOfDay(zone).toInstant();
        Instant todayEnd = today.plusDays(1).atStartOfDay(zone).toInstant();
        double todayLeft = (double) Duration.between(now, todayEnd).toSeconds()
                           / Duration.between(todayStart, todayEnd).toSeconds();
        LocalDate lastDay = end.atZone(zone).toLocalDate().minusDays(end.equals(
                end.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant()) ? 1 : 0);
        int horizon = (int) (lastDay.toEpochDay() - today.toEpochDay()) + 1;
        Forecast f = Forecast.holt(history, Math.max(1, horizon), CONFIDENCE);
        List<Forecast.Point> points = f.nonNegative().points();
        double predicted = used;
        Instant exhaustion = amount > 0 && used >= amount ? now : null;
        double[] adds = new double[points.size()];
        for (int h = 0; h < points.size(); h++) {
            adds[h] = points.get(h).value() * (h == 0 ? todayLeft : 1);
        }
        for (int h = 0; h < adds.length; h++) {
            Instant segmentStart = h == 0 ? now : today.plusDays(h).atStartOfDay(zone).toInstant();
            Instant segmentEnd = today.plusDays(h + 1).atStartOfDay(zone).toInstant();
            if (exhaustion == null && amount > 0 && predicted + adds[h] >= amount && adds[h] > 0) {
                double fraction = (amount - predicted) / adds[h];
                long seconds = Duration.between(segmentStart, segmentEnd).toSeconds();
                exhaustion = segmentStart.plusSeconds((long) Math.ceil(fraction * seconds));
            }
            predicted += adds[h];
        }
        double half = f.total().high() - f.total().value();
        return new Projection(used, Math.round(predicted), Math.round(Math.max(used, predicted - half)),
                              Math.round(predicted + half), exhaustion, CONFIDENCE,
                              String.format("holt-linear(alpha=%.2f,beta=%.2f) on %d days of daily spend",
                                            f.alpha(), f.betaStar(), n));
    }

    private static Instant hourFloor(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    }

    private static double sampleSd(double[] values, int from, int to) {
        int lo = Math.max(0, from);
        int count = to - lo;
        if (count < 2) {
            return 0;
        }
        double mean = 0;
        for (int i = lo; i < to; i++) {
            mean += values[i];
        }
        mean /= count;
        double ss = 0;
        for (int i = lo; i < to; i++) {
            ss += (values[i] - mean) * (values[i] - mean);
        }
        return Math.sqrt(ss / (count - 1));
    }
}
