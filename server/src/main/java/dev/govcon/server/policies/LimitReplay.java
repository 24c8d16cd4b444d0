package dev.govcon.server.policies;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.server.db.SqlArray;

/**
 * Replays limits over one tenant's runs that ended in [start, end); see {@link LimitSimulator}
 * for the rules. This class decides what each statement reads.
 *
 * <p>Spend and token limits count per window (day or month): the windows overlapping the
 * replay are read whole from their start, so usage earlier in the first window counts. When
 * the tenant's windows and days begin on whole UTC hours and the scope names only rollup
 * columns (feature, model, provider, environment), the hourly rollups decide most hours
 * exactly: an hour whose usage mark stays on one side of the amount (and of the early-warning
 * mark) throughout has every run admitted, warned or over; only the hours where a mark is
 * crossed, the first hour of a day past the amount (for its time), and the partial hours at
 * the replay's ends are replayed run by run, each from the usage of its window's earlier hours.
 * The rollups are read once, per hour and feature: their sums plan the replay and the
 * decided hours are reported from them, so what comes back is small whatever the number of
 * runs. Otherwise every window is replayed run by run.
 *
 * <p>Minute and concurrency limits read the runs that started from a day before the replay
 * in (start_time, run_id) order, flag those over or near
 * the limit with one window function, and sum only those; runs and spend per day and feature
 * come from the rollups as above (see {@link #flaggedAndTotals}). A tenant-wide limit reads
 * the marks that {@link RunMarksJob} keeps in run_marks, in start order with no sort, for the
 * runs that started before the first run recorded since the job's watermark (the last minute
 * or two, or a run recorded late), and replays the rest from the run records as above, those
 * of the marked runs still running counting as in flight.
 */
final class LimitReplay {
    /** How long before the replay runs that started are read for minute and concurrency limits. */
    static final Duration RUN_REACH = Duration.ofDays(1);
    private static final Duration HOUR = Duration.ofHours(1);

    private final SimulationMapper mapper;
    private final UUID tenantId;
    private final ZoneId zone;
    private final Instant start;
    private final Instant end;
    private final List<Instant> dayStarts = new ArrayList<>();

    LimitReplay(SimulationMapper mapper, UUID tenantId, ZoneId zone, Instant start, Instant end) {
        this.mapper = mapper;
        this.tenantId = tenantId;
        this.zone = zone;
        this.start = start;
        this.end = end;
        for (Instant d = LimitWindow.dayStart(start, zone).toInstant(); d.isBefore(end);
             d = LimitWindow.dayStart(d, zone).plusDays(1).toInstant()) {
            dayStarts.add(d);
        }
    }

    ReplayOutcome run(SimulatedLimit limit) {
        ReplayOutcome out = new ReplayOutcome(dayStarts);
        if (dayStarts.isEmpty()) {
            return out;
        }
        switch (limit.kind()) {
            case LIMIT_KIND_SPEND_PER_DAY, LIMIT_KIND_SPEND_PER_MONTH, LIMIT_KIND_TOKENS_PER_DAY -> windows(limit, out);
            case LIMIT_KIND_REQUESTS_PER_MINUTE -> flaggedAndTotals(limit, out, mapper::replayMinutes, mapper::markedMinutes);
            case LIMIT_KIND_CONCURRENT_RUNS -> flaggedAndTotals(limit, out, mapper::replayConcurrent, mapper::markedConcurrent);
            default -> throw new IllegalArgumentException("no replay for " + limit.kind());
        }
        return out;
    }

    private void windows(SimulatedLimit limit, ReplayOutcome out) {
        List<LimitWindow> windows = new ArrayList<>();
        for (LimitWindow w = LimitWindow.of(limit.kind(), start, zone); w.start().isBefore(end);
             w = LimitWindow.of(limit.kind(), w.end(), zone)) {
            windows.add(w);
        }
        boolean tokens = limit.kind() == LimitKind.LIMIT_KIND_TOKENS_PER_DAY;
        Plan plan = new Plan();
        if (rollupsAnswer(limit, windows)) {
            Instant to = end.truncatedTo(ChronoUnit.HOURS);
            to = to.equals(end) ? to : to.plus(HOUR);
            plan(limit, windows, mapper.hours(tenantId, limit.scope(), windows.get(0).start(), to), tokens, plan, out);
        } else {
            windows.forEach(w -> plan.replay(w.start(), w.end().isAfter(end) ? end : w.end(), 0));
        }
        if (!plan.starts.isEmpty()) {
            mapper.replaySegments(query(limit, tokens, plan, null, null, end, end, null)).forEach(out::add);
        }
    }

    private boolean rollupsAnswer(SimulatedLimit limit, List<LimitWindow> windows) {
        for (LimitWindow w : windows) {
            if (!wholeHour(w.start()) || !wholeHour(w.end())) {
                return false;
            }
        }
        return rollupsCount(limit);
    }

    /** The rollups hold the limit's runs (its scope names only rollup columns) per day of the series. */
    private boolean rollupsCount(SimulatedLimit limit) {
        return limit.scope().endUser().isEmpty() && limit.scope().apiKeyId().isEmpty()
               && dayStarts.stream().allMatch(LimitReplay::wholeHour);
    }

    /**
     * Minute and concurrency limits: the statement flags the runs over or near the limit and
     * sums only those; the runs and spend of every day and feature come from the rollups'
     * whole hours and the run records of the partial hours at the replay's ends.
     */
    private void flaggedAndTotals(SimulatedLimit limit, ReplayOutcome out, Function<ReplayQuery, List<ReplayRow>> flagged,
                                  Function<ReplayQuery, List<ReplayRow>> marked) {
        Instant hoursFrom = end;
        Instant hoursTo = end;
        if (rollupsCount(limit)) {
            Instant from = start.truncatedTo(ChronoUnit.HOURS);
            from = from.equals(start) ? from : from.plus(HOUR);
            Instant to = end.truncatedTo(ChronoUnit.HOURS);
            if (from.isBefore(to)) {
                hoursFrom = from;
                hoursTo = to;
            }
        }
        Instant scanStart = start.minus(RUN_REACH).truncatedTo(ChronoUnit.MINUTES);
        if (limit.scope().isTenantWide()) {
            // The marks of run_marks hold for the runs that started before the first run
            // recorded since its watermark; from that minute on, the run records are replayed.
            Instant split = mapper.marksSplit(tenantId, mapper.marksWatermark(), scanStart, end);
            if (split.isAfter(scanStart)) {
                marked.apply(query(limit, false, new Plan(), scanStart, split, end, end, null)).forEach(out::add);
            }
            if (split.isBefore(end)) {
                sortedPass(flagged, query(limit, false, new Plan(), split, end, end, end, scanStart), out);
            }
        } else {
            sortedPass(flagged, query(limit, false, new Plan(), scanStart, end, end, end, null), out);
        }
        mapper.replayTotals(query(limit, false, new Plan(), scanStart, end, hoursFrom, hoursTo, null)).forEach(out::add);
    }

    private void sortedPass(Function<ReplayQuery, List<ReplayRow>> flagged, ReplayQuery q, ReplayOutcome out) {
        mapper.sortedPassSettings();
        try {
            flagged.apply(q).forEach(out::add);
        } finally {
            mapper.replaySettings();
        }
    }

    /**
     * Sorts the rollup hours into those decided whole, whose runs it reports per feature, and
     * those replayed run by run. {@code hours} holds one row per hour and feature, in hour order.
     */
    private void plan(SimulatedLimit limit, List<LimitWindow> windows, List<HourRow> hours, boolean tokens, Plan plan,
                      ReplayOutcome out) {
        long amount = limit.amount();
        Double warnAt = limit.warnAt();
        boolean block = limit.action() == ControlAction.BLOCK;
        boolean warnOnOver = limit.action() == ControlAction.WARN;
        boolean[] dayOver = new boolean[dayStarts.size()];
        int window = 0;
        long used = 0;
        for (int i = 0, next; i < hours.size(); i = next) {
            Instant hour = hours.get(i).hour();
            long usage = 0;
            for (next = i; next < hours.size() && hours.get(next).hour().equals(hour); next++) {
                usage += hours.get(next).usage(tokens);
            }
            while (!windows.get(window).contains(hour)) {
                window++;
                used = 0;
            }
            long lo = used;
            long hi = used + usage;
            used = hi;
            Instant hourEnd = hour.plus(HOUR);
            if (!hourEnd.isAfter(start)) {
                continue; // before the replay: counts towards its window's usage only
            }
            int day = dayIndex(hour.isBefore(start) ? start : hour);
            boolean crossesAmount = lo <= amount && hi > amount;
            boolean allOver = lo > amount;
            boolean crossesWarning = warnAt != null && lo <= warnAt && hi > warnAt;
            boolean firstOverOfDay = (crossesAmount || allOver) && !dayOver[day];
            dayOver[day] |= crossesAmount || allOver;
            boolean partial = hour.isBefore(start) || hourEnd.isAfter(end);
            if (partial || crossesAmount || crossesWarning || (allOver && firstOverOfDay)) {
                plan.replay(hour, hourEnd, lo);
                continue;
            }
            // Decided whole: every run of the hour is over, or near, or neither.
            boolean near = !allOver && warnAt != null && lo > warnAt;
            boolean blocked = block && allOver;
            boolean warned = (warnOnOver && allOver) || near;
            for (HourRow h : hours.subList(i, next)) {
                out.add(new ReplayRow(day + 1, h.feature(), h.runs(), h.costMicros(), blocked ? h.runs() : 0,
                                      warned ? h.runs() : 0, blocked ? h.costMicros() : 0, blocked ? h.tokens() : 0,
                                      null));
            }
        }
    }

    private ReplayQuery query(SimulatedLimit limit, boolean tokens, Plan plan, Instant scanStart, Instant scanEnd,
                              Instant hoursFrom, Instant hoursTo, Instant markedFrom) {
        long[] days = dayStarts.stream().mapToLong(LimitReplay::micros).toArray();
        Double warnAt = limit.warnAt();
        return new ReplayQuery(tenantId, limit.scope(), tokens, start, end, limit.amount(), warnAt,
                               limit.action() == ControlAction.BLOCK, limit.action() == ControlAction.WARN,
                               SqlArray.of(days), longs(plan.starts), longs(plan.ends), longs(plan.seeds),
                               scanStart, scanEnd, places(limit.amount()), warnAt == null ? null : places(Math.floor(warnAt)),
                               hoursFrom, hoursTo, markedFrom, dayStarts.stream().allMatch(LimitReplay::wholeHour));
    }

    /** An integer mark exceeds {@code mark} exactly when it exceeds this (no run count reaches an int's maximum). */
    private static int places(double mark) {
        return (int) Math.min(mark, Integer.MAX_VALUE);
    }

    private static SqlArray longs(List<Long> values) {
        return SqlArray.of(values.stream().mapToLong(l -> l).toArray());
    }

    private int dayIndex(Instant t) {
        int i = Collections.binarySearch(dayStarts, t);
        return i >= 0 ? i : -i - 2;
    }

    private static boolean wholeHour(Instant t) {
        return t.getNano() == 0 && t.getEpochSecond() % 3600 == 0;
    }

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    /** The time ranges replayed run by run, each from its seed (the usage of its window before it). */
    private static final class Plan {
        final List<Long> starts = new ArrayList<>();
        final List<Long> ends = new ArrayList<>();
        final List<Long> seeds = new ArrayList<>();

        void replay(Instant from, Instant to, long seed) {
            starts.add(micros(from));
            ends.add(micros(to));
            seeds.add(seed);
        }
    }
}
