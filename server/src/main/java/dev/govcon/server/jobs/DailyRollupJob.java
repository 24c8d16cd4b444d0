package dev.govcon.server.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

/**
 * "rollup-daily", every 10 minutes: folds {@code run_rollups_hourly} into
 * {@code run_rollups_daily} by the tenant's local day (an hour belongs to the local day of its
 * start, as analytics buckets it), so reads of many days add up days instead of hours. Per
 * tenant, in one transaction: {@code rollup_daily_state} says which zone its daily rows are
 * in and the first day not folded ({@code folded_until}); the job folds the days from there
 * up to the horizon, refolds the days that late runs marked dirty, and, when the tenant's zone
 * changed (or on its first run), drops the tenant's daily rows and refolds its whole history
 * in the new zone. Returns the daily rows written.
 *
 * <p><b>Why reads stay exact.</b> A read uses a daily row only for a day before
 * {@code folded_until}, folded in the tenant's current zone, and not overlapping a dirty mark;
 * every other hour it reads from the hourly table, which ingestion keeps exact. So a daily row
 * must never miss a run that the hourly rows have. Three cases:
 * <ul>
 * <li>Runs committed before the fold's statement started: the fold's INSERT ... SELECT reads
 *     them (READ COMMITTED: each statement sees everything committed before it).</li>
 * <li>Runs committed later and ending before {@link RollupHorizons#lateBefore} (two hours
 *     before the ingesting replica's clock, rounded down to the hour): their transaction also
 *     inserted a dirty mark for their UTC day, so reads treat the overlapping local days as
 *     hourly from the moment the run is visible (run and mark commit together). The job reads
 *     the marks <em>first</em>, then refolds their days (those statements see every run whose
 *     mark was read), then deletes exactly the marks it read, by mark_id: a mark committed after
 *     the read is a new row and survives until the next run.</li>
 * <li>Runs committed later and ending at or after {@code lateBefore}: their rollup hour (the
 *     hour of their end) starts at or after {@code lateBefore}, since it is a whole hour. The
 *     fold only ever treats local days whose every hour is before
 *     {@link RollupHorizons#foldBefore} ({@code lateBefore} minus
 *     {@link RollupHorizons#SKEW_MARGIN}, one hour, by the job's clock when it started) as
 *     final. Both horizons move with the clock hour by hour, so {@code lateBefore} at ingestion
 *     is at or after {@code foldBefore} at the fold as long as the ingesting replica's clock
 *     when it took the group is less than the margin behind the job's clock at its start:
 *     clock skew plus the time a group stays in flight across the fold's start, both seconds
 *     in practice (a group's transaction is one COPY and one statement). Such runs are in
 *     hours the fold never treated as final, so reads take them from the hourly rows.</li>
 * </ul>
 * Midnight needs no special case: both horizons are instants, not "today", and the local days
 * folded are those whose last hour ends by {@code foldBefore} (so a local day becomes daily
 * three to four hours after it ends). A zone change is seen by reads at once (state zone
 * differs: everything hourly) and repaired by the next run. The run reaper
 * completes runs with end time "now", never late. One replica runs the job at a time (the
 * scheduler's advisory lock).
 */
public final class DailyRollupJob implements Job {
    public static final String NAME = "rollup-daily";
    public static final Duration INTERVAL = Duration.ofMinutes(10);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Folds the hourly run rollups into daily rollups by each tenant's local day";
    }

    @Override
    public Duration interval() {
        return INTERVAL;
    }

    @Override
    public long run(JobContext context) {
        Instant foldBefore = RollupHorizons.foldBefore(context.startedAt());
        List<TenantToFold> tenants = context.database().read(s -> s.getMapper(DailyRollupMapper.class).tenants());
        long written = 0;
        for (TenantToFold t : tenants) {
            written += context.database().inTransaction(s -> fold(s.getMapper(DailyRollupMapper.class), t, foldBefore));
        }
        return written;
    }

    private static int fold(DailyRollupMapper m, TenantToFold t, Instant foldBefore) {
        ZoneId zone = LocalDays.zone(t.zone());
        // Every day before this one has all its hours before foldBefore.
        LocalDate until = LocalDays.of(foldBefore, zone);
        UUID tenant = t.tenantId();
        if (t.foldedUntil() == null || !zone.getId().equals(t.foldedZone())) {
            return refoldAll(m, tenant, zone, until);
        }
        List<DirtyMark> marks = m.dirtyMarks(tenant);
        LocalDate from = t.foldedUntil();
        int written = 0;
        TreeSet<LocalDate> dirty = new TreeSet<>();
        for (DirtyMark mark : marks) {
            dirty.addAll(LocalDays.ofUtcDay(mark.utcDay(), zone));
        }
        for (LocalDate day : dirty) {
            if (day.isBefore(from)) {
                written += foldDays(m, tenant, zone, day, day.plusDays(1));
            }
        }
        if (from.isBefore(until)) {
            written += foldDays(m, tenant, zone, from, until);
        }
        if (!marks.isEmpty()) {
            m.deleteMarks(tenant, marks.stream().map(DirtyMark::markId).toList());
        }
        if (until.isAfter(from)) {
            m.saveState(tenant, zone.getId(), until);
        }
        return written;
    }

    private static int refoldAll(DailyRollupMapper m, UUID tenant, ZoneId zone, LocalDate until) {
        List<DirtyMark> marks = m.dirtyMarks(tenant);
        int written = m.deleteDays(tenant, null, null);
        Instant oldest = m.oldestHour(tenant);
        if (oldest != null) {
            LocalDate from = LocalDays.of(oldest, zone);
            if (from.isBefore(until)) {
                written += m.foldDays(tenant, zone.getId(), LocalDays.firstHour(from, zone),
                                      LocalDays.firstHour(until, zone));
            }
        }
        if (!marks.isEmpty()) {
            m.deleteMarks(tenant, new ArrayList<>(marks.stream().map(DirtyMark::markId).toList()));
        }
        m.saveState(tenant, zone.getId(), until);
        return written;
    }

    /** Recomputes the local days [from, to) from their hours; returns the rows written. */
    private static int foldDays(DailyRollupMapper m, UUID tenant, ZoneId zone, LocalDate from, LocalDate to) {
        return m.deleteDays(tenant, from, to)
               + m.foldDays(tenant, zone.getId(), LocalDays.firstHour(from, zone), LocalDays.firstHour(to, zone));
    }
}
