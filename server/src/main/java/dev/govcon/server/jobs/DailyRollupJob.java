package dev.govcon.server.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * "rollup-daily", every 10 minutes: folds closed UTC days of {@code run_rollups_hourly} into
 * {@code run_rollups_daily}. A day is closed once its UTC midnight has passed. Each run
 * recomputes the last {@value #RECENT_DAYS} closed days (runs that arrive late, such as those
 * the reaper times out after midnight, still change them) and every day since the day before
 * the job's last success (so days missed while no replica ran it are caught up); its first
 * run backfills from the oldest hour. Each day is one idempotent
 * {@code INSERT ... SELECT ... GROUP BY ... ON CONFLICT DO UPDATE} in its own transaction,
 * which rewrites only groups whose totals changed, and drops groups that no longer have an
 * hourly row; the histogram is summed element-wise by {@code sum_histograms_agg} (V4).
 * Returns the daily rows written (inserted, changed or removed).
 *
 * <p>Why "the last two days" rather than "days whose hours changed": the hourly table (V2)
 * has no change timestamp to ask. The cost is two days' hourly rows re-read every 10 minutes,
 * and an unchanged day writes nothing.
 */
public final class DailyRollupJob implements Job {
    public static final String NAME = "rollup-daily";
    public static final Duration INTERVAL = Duration.ofMinutes(10);
    static final int RECENT_DAYS = 2;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Folds closed UTC days of the hourly run rollups into daily rollups";
    }

    @Override
    public Duration interval() {
        return INTERVAL;
    }

    @Override
    public long run(JobContext context) {
        LocalDate today = LocalDate.ofInstant(context.startedAt(), ZoneOffset.UTC);
        LocalDate from = today.minusDays(RECENT_DAYS);
        if (context.lastSuccessAt() != null) {
            LocalDate sinceSuccess = LocalDate.ofInstant(context.lastSuccessAt(), ZoneOffset.UTC).minusDays(1);
            from = sinceSuccess.isBefore(from) ? sinceSuccess : from;
        } else {
            Instant oldest = context.database().read(s -> s.getMapper(DailyRollupMapper.class).oldestHour());
            if (oldest != null) {
                LocalDate first = LocalDate.ofInstant(oldest, ZoneOffset.UTC);
                from = first.isBefore(from) ? first : from;
            }
        }
        long written = 0;
        for (LocalDate day = from; day.isBefore(today); day = day.plusDays(1)) {
            written += foldDay(context, day);
        }
        return written;
    }

    /** Recomputes one UTC day; returns the rows written. */
    static int foldDay(JobContext context, LocalDate day) {
        Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return context.database().inTransaction(s -> {
            DailyRollupMapper m = s.getMapper(DailyRollupMapper.class);
            return m.foldDay(day, start, end) + m.deleteVanished(day, start, end);
        });
    }
}
