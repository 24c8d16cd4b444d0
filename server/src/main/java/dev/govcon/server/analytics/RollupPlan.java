package dev.govcon.server.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

import dev.govcon.server.jobs.DailyRollupState;
import dev.govcon.server.jobs.LocalDays;

/**
 * Which rollup table answers which part of a window: daily rows for the whole local days in
 * [dailyFrom, dailyTo) except {@code dirtyDays}, hourly rows for {@code hours} (the partial
 * first and last days, days not folded yet, dirty days). Daily rows are used only when they
 * were folded in the tenant's current zone (see {@code jobs/DailyRollupJob}); then both parts
 * together hold every rollup hour of the window exactly once.
 *
 * <p>A narrowed plan ({@link #narrowed}, for reads that {@link #narrowFits}) reads the narrow
 * tables (V18, keyed by model, provider and status only) where they hold the hours: the daily
 * part from {@code run_rollups_daily_models} ({@code modelDays}), and of the hours those before
 * the state's {@code models_hourly_until} outside any dirty UTC day from
 * {@code run_rollups_hourly_models} ({@code modelHours}); {@code hours} keeps the rest.
 *
 * @param dailyFrom null when no daily row is used
 */
public record RollupPlan(List<HourRange> hours, LocalDate dailyFrom, LocalDate dailyTo, List<LocalDate> dirtyDays,
                         List<HourRange> modelHours, boolean modelDays) {

    /** The keys a narrow row keeps (status aside): reads grouped by more need the wide rows. */
    public static final Set<String> NARROW_KEYS = Set.of("model", "provider");

    public record HourRange(Instant start, Instant end) {
    }

    /** The plan of the rollup hours [start, end) of one tenant whose zone is {@code zone}. */
    public static RollupPlan forTenant(SqlSession s, UUID tenantId, Instant start, Instant end, ZoneId zone) {
        RollupCoverage c = RollupCoverage.load(s.getMapper(AnalyticsMapper.class), tenantId);
        return of(start, end, zone, c.state(), c.dirtyUtc());
    }

    /**
     * The same, narrowed ({@link #narrowed}): for totals of runs, spend and statuses with no
     * dimension filter or key (the overview's month to date and daily spend).
     */
    public static RollupPlan totalsForTenant(SqlSession s, UUID tenantId, Instant start, Instant end, ZoneId zone) {
        RollupCoverage c = RollupCoverage.load(s.getMapper(AnalyticsMapper.class), tenantId);
        return of(start, end, zone, c.state(), c.dirtyUtc()).narrowed(c.state(), c.dirtyUtc());
    }

    /** The same, in the tenant's own zone (tenants.time_zone), for reads whose buckets are not local days. */
    public static RollupPlan forTenant(SqlSession s, UUID tenantId, Instant start, Instant end) {
        return forTenant(s, tenantId, start, end, TenantZones.of(s, tenantId));
    }

    static RollupPlan hourly(Instant start, Instant end) {
        return new RollupPlan(List.of(new HourRange(start, end)), null, null, List.of(), List.of(), false);
    }

    /**
     * @param start     first hour of the window (a whole hour)
     * @param end       end of the window (a whole hour)
     * @param state     the tenant's daily state, null when never folded
     * @param dirtyUtc  UTC days marked dirty by late runs
     */
    static RollupPlan of(Instant start, Instant end, ZoneId zone, DailyRollupState state, List<LocalDate> dirtyUtc) {
        if (state == null || !zone.getId().equals(state.timeZone())) {
            return hourly(start, end);
        }
        LocalDate from = LocalDays.of(start, zone);
        if (LocalDays.firstHour(from, zone).isBefore(start)) {
            from = from.plusDays(1);
        }
        LocalDate to = LocalDays.of(end, zone);
        if (to.isAfter(state.foldedUntil())) {
            to = state.foldedUntil();
        }
        if (!from.isBefore(to)) {
            return hourly(start, end);
        }
        TreeSet<LocalDate> dirty = new TreeSet<>();
        for (LocalDate d : dirtyUtc) {
            for (LocalDate local : LocalDays.ofUtcDay(d, zone)) {
                if (!local.isBefore(from) && local.isBefore(to)) {
                    dirty.add(local);
                }
            }
        }
        List<HourRange> hours = new ArrayList<>();
        add(hours, start, LocalDays.firstHour(from, zone));
        for (LocalDate d : dirty) {
            add(hours, LocalDays.firstHour(d, zone), LocalDays.firstHour(d.plusDays(1), zone));
        }
        add(hours, LocalDays.firstHour(to, zone), end);
        return new RollupPlan(hours, from, to, List.copyOf(dirty), List.of(), false);
    }

    /**
     * Whether a read can take the narrow rows: it groups by nothing but model and provider, and
     * filters on no feature and no environment (model and provider filters are fine).
     */
    public static boolean narrowFits(Collection<String> keys, String featureFilter, String environmentFilter) {
        return NARROW_KEYS.containsAll(keys) && featureFilter.isEmpty() && environmentFilter.isEmpty();
    }

    /**
     * The hours [start, end) of one tenant, from the narrow hourly rows where they hold them
     * (for reads of hours that {@link #narrowFits}: the highlights' 48 hours).
     */
    public static RollupPlan narrowHours(SqlSession s, UUID tenantId, Instant start, Instant end) {
        RollupCoverage c = RollupCoverage.load(s.getMapper(AnalyticsMapper.class), tenantId);
        return hourly(start, end).narrowed(c.state(), c.dirtyUtc());
    }

    /**
     * This plan reading the narrow rows wherever they hold its hours (itself when the tenant has
     * none yet): narrow daily rows mirror the wide daily ones, so the daily part switches table
     * as it is; an hour range splits at {@code models_hourly_until} and around the dirty UTC days.
     *
     * @param state    the tenant's daily state, null when never folded
     * @param dirtyUtc UTC days marked dirty by late runs
     */
    RollupPlan narrowed(DailyRollupState state, List<LocalDate> dirtyUtc) {
        if (state == null || state.modelsHourlyUntil() == null) {
            return this;
        }
        Instant until = state.modelsHourlyUntil();
        List<Instant> dirtyStarts = dirtyUtc.stream().map(d -> d.atStartOfDay(ZoneOffset.UTC).toInstant())
                .sorted().distinct().toList();
        List<HourRange> wide = new ArrayList<>();
        List<HourRange> narrow = new ArrayList<>();
        for (HourRange r : hours) {
            Instant cut = r.end().isBefore(until) ? r.end() : until;
            Instant at = r.start();
            if (!at.isBefore(cut)) {
                add(wide, at, r.end()); // wholly after the narrow horizon: no narrow hour, dirty or not
                continue;
            }
            for (Instant dirtyStart : dirtyStarts) {
                Instant dirtyEnd = dirtyStart.plus(Duration.ofDays(1));
                if (!dirtyEnd.isAfter(at) || !dirtyStart.isBefore(cut)) {
                    continue;
                }
                Instant wideFrom = dirtyStart.isAfter(at) ? dirtyStart : at;
                Instant wideTo = dirtyEnd.isBefore(cut) ? dirtyEnd : cut;
                add(narrow, at, wideFrom);
                add(wide, wideFrom, wideTo);
                at = wideTo;
            }
            add(narrow, at, cut);
            add(wide, at.isAfter(cut) ? at : cut, r.end());
        }
        if (wide.isEmpty() && narrow.isEmpty() && dailyFrom == null) {
            return this; // an empty window: keep the one (empty) range the statements expect
        }
        return new RollupPlan(wide, dailyFrom, dailyTo, dirtyDays, narrow, dailyFrom != null);
    }

    /** Appends [start, end), merged with the previous range when they touch. */
    private static void add(List<HourRange> hours, Instant start, Instant end) {
        if (!start.isBefore(end)) {
            return;
        }
        if (!hours.isEmpty() && hours.get(hours.size() - 1).end().equals(start)) {
            HourRange last = hours.remove(hours.size() - 1);
            hours.add(new HourRange(last.start(), end));
        } else {
            hours.add(new HourRange(start, end));
        }
    }
}
