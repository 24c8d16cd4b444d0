package dev.govcon.server.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
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
 * @param dailyFrom null when no daily row is used
 */
public record RollupPlan(List<HourRange> hours, LocalDate dailyFrom, LocalDate dailyTo, List<LocalDate> dirtyDays) {

    public record HourRange(Instant start, Instant end) {
    }

    /** The plan of the rollup hours [start, end) of one tenant whose zone is {@code zone}. */
    public static RollupPlan forTenant(SqlSession s, UUID tenantId, Instant start, Instant end, ZoneId zone) {
        AnalyticsMapper m = s.getMapper(AnalyticsMapper.class);
        DailyRollupState state = m.dailyState(tenantId);
        return of(start, end, zone, state, state == null ? List.of() : m.dirtyDays(tenantId));
    }

    /** The same, in the tenant's own zone (tenants.time_zone), for reads whose buckets are not local days. */
    public static RollupPlan forTenant(SqlSession s, UUID tenantId, Instant start, Instant end) {
        return forTenant(s, tenantId, start, end, TenantZones.of(s, tenantId));
    }

    static RollupPlan hourly(Instant start, Instant end) {
        return new RollupPlan(List.of(new HourRange(start, end)), null, null, List.of());
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
        return new RollupPlan(hours, from, to, List.copyOf(dirty));
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
