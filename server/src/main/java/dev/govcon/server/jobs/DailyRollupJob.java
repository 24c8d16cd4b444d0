package dev.govcon.server.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
 * in the new zone. Returns the daily and narrow rows written.
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
 *
 * <p><b>Narrow rollups</b> ({@code run_rollups_daily_models}, {@code run_rollups_hourly_models}:
 * the same sums keyed by model, provider and status only) are written here too, in the same
 * transaction, and only from the wide rows, so the argument above carries over:
 * <ul>
 * <li>Narrow daily rows are summed from the wide daily rows of the same days right after those
 *     are written (new days, dirty days, a zone change's refold). Ingestion never writes daily
 *     rows, so the narrow days equal the wide days exactly, for the same days, zone and
 *     {@code folded_until}; reads use them under the same conditions.</li>
 * <li>Narrow hourly rows exist for the UTC hours before {@code models_hourly_until}, which the
 *     job moves to {@code foldBefore}: the same horizon as the daily fold, so a run committed
 *     after the narrow statement read the wide hours and ending in a narrow hour marked its UTC
 *     day dirty (second case above), and reads take that whole UTC day from the wide hourly rows
 *     while the mark exists. The marks are read once, before every fold statement; each marked
 *     UTC day's narrow hours are deleted and summed again from the wide hours before the marks
 *     are deleted, in the transaction that deletes them.</li>
 * <li>A zone change does not touch narrow hours (UTC hours have no zone). On a tenant's first
 *     run after V18 ({@code models_hourly_until} null, and reads use no narrow row) both narrow
 *     tables are built from scratch.</li>
 * </ul>
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
        // Read before any fold statement: every run whose mark is read is seen by the folds below.
        List<DirtyMark> marks = m.dirtyMarks(tenant);
        int written;
        if (t.foldedUntil() == null || !zone.getId().equals(t.foldedZone())) {
            written = refoldAll(m, tenant, zone, until);
        } else {
            written = foldNewAndDirtyDays(m, t, zone, until, marks);
        }
        written += foldModelHours(m, t, foldBefore, marks);
        if (!marks.isEmpty()) {
            m.deleteMarks(tenant, new ArrayList<>(marks.stream().map(DirtyMark::markId).toList()));
        }
        return written;
    }

    private static int foldNewAndDirtyDays(DailyRollupMapper m, TenantToFold t, ZoneId zone, LocalDate until,
                                           List<DirtyMark> marks) {
        UUID tenant = t.tenantId();
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
        if (until.isAfter(from)) {
            m.saveState(tenant, zone.getId(), until);
        }
        return written;
    }

    private static int refoldAll(DailyRollupMapper m, UUID tenant, ZoneId zone, LocalDate until) {
        int written = m.deleteDays(tenant, null, null);
        Instant oldest = m.oldestHour(tenant);
        if (oldest != null) {
            LocalDate from = LocalDays.of(oldest, zone);
            if (from.isBefore(until)) {
                written += m.foldDays(tenant, zone.getId(), LocalDays.firstHour(from, zone),
                                      LocalDays.firstHour(until, zone));
            }
        }
        m.deleteModelDays(tenant, null, null);
        written += m.foldModelDays(tenant, null, null);
        m.saveState(tenant, zone.getId(), until);
        return written;
    }

    /**
     * Brings the narrow hourly rows up to {@code foldBefore}: the hours from the state's
     * {@code models_hourly_until} on, and the already folded hours of every UTC day marked dirty;
     * on the tenant's first run after V18, both narrow tables from scratch. Returns the rows written.
     */
    private static int foldModelHours(DailyRollupMapper m, TenantToFold t, Instant foldBefore, List<DirtyMark> marks) {
        UUID tenant = t.tenantId();
        Instant done = t.modelsHourlyUntil();
        int written = 0;
        if (done == null) {
            // The daily rows of days folded before V18 (the days folded above are mirrored already).
            m.deleteModelDays(tenant, null, null);
            written += m.foldModelDays(tenant, null, null);
            m.deleteModelHours(tenant, null, null);
            written += m.foldModelHours(tenant, null, foldBefore);
        } else {
            TreeSet<LocalDate> dirty = new TreeSet<>();
            marks.forEach(mark -> dirty.add(mark.utcDay()));
            for (LocalDate day : dirty) {
                Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
                Instant to = min(from.plus(Duration.ofDays(1)), done);
                if (from.isBefore(to)) {
                    m.deleteModelHours(tenant, from, to);
                    written += m.foldModelHours(tenant, from, to);
                }
            }
            if (done.isBefore(foldBefore)) {
                written += m.foldModelHours(tenant, done, foldBefore);
            }
        }
        Instant until = done == null ? foldBefore : max(done, foldBefore);
        if (!until.equals(done)) {
            m.saveModelsHourlyUntil(tenant, until);
        }
        return written;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** Recomputes the local days [from, to) from their hours, wide then narrow; returns the rows written. */
    private static int foldDays(DailyRollupMapper m, UUID tenant, ZoneId zone, LocalDate from, LocalDate to) {
        int written = m.deleteDays(tenant, from, to)
                      + m.foldDays(tenant, zone.getId(), LocalDays.firstHour(from, zone), LocalDays.firstHour(to, zone));
        m.deleteModelDays(tenant, from, to);
        return written + m.foldModelDays(tenant, from, to);
    }
}
