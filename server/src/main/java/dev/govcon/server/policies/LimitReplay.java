package dev.govcon.server.policies;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

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
 * The decided hours are summed per day and feature in SQL, so what comes back is small
 * whatever the number of runs or features. Otherwise every window is replayed run by run.
 */
final class LimitReplay {
    /** How far before the replay (and after it) runs are read for minute and concurrency limits. */
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
            case LIMIT_KIND_REQUESTS_PER_MINUTE -> mapper.replayMinutes(around(limit)).forEach(out::add);
            case LIMIT_KIND_CONCURRENT_RUNS -> mapper.replayConcurrent(around(limit)).forEach(out::add);
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
            plan(limit, windows, mapper.hours(tenantId, limit.scope(), tokens, windows.get(0).start(), to), plan);
        } else {
            windows.forEach(w -> plan.replay(w.start(), w.end().isAfter(end) ? end : w.end(), 0));
        }
        ReplayQuery q = query(limit, tokens, plan, null, null);
        if (!plan.resolvedHours.isEmpty()) {
            mapper.resolvedHours(q).forEach(out::add);
        }
        if (!plan.starts.isEmpty()) {
            mapper.replaySegments(q).forEach(out::add);
        }
    }

    private boolean rollupsAnswer(SimulatedLimit limit, List<LimitWindow> windows) {
        if (!limit.scope().endUser().isEmpty() || !limit.scope().apiKeyId().isEmpty()) {
            return false;
        }
        for (LimitWindow w : windows) {
            if (!wholeHour(w.start()) || !wholeHour(w.end())) {
                return false;
            }
        }
        return dayStarts.stream().allMatch(LimitReplay::wholeHour);
    }

    /** Sorts the rollup hours into those decided whole and those replayed run by run. */
    private void plan(SimulatedLimit limit, List<LimitWindow> windows, List<HourRow> hours, Plan plan) {
        long amount = limit.amount();
        Double warnAt = limit.warnAt();
        boolean[] dayOver = new boolean[dayStarts.size()];
        int window = 0;
        long used = 0;
        for (HourRow h : hours) {
            while (!windows.get(window).contains(h.hour())) {
                window++;
                used = 0;
            }
            long lo = used;
            long hi = used + h.usage();
            used = hi;
            Instant hourEnd = h.hour().plus(HOUR);
            if (!hourEnd.isAfter(start)) {
                continue; // before the replay: counts towards its window's usage only
            }
            int day = dayIndex(h.hour().isBefore(start) ? start : h.hour());
            boolean crossesAmount = lo <= amount && hi > amount;
            boolean allOver = lo > amount;
            boolean crossesWarning = warnAt != null && lo <= warnAt && hi > warnAt;
            boolean firstOverOfDay = (crossesAmount || allOver) && !dayOver[day];
            dayOver[day] |= crossesAmount || allOver;
            boolean partial = h.hour().isBefore(start) || hourEnd.isAfter(end);
            if (partial || crossesAmount || crossesWarning || (allOver && firstOverOfDay)) {
                plan.replay(h.hour(), hourEnd, lo);
            } else {
                plan.decide(h.hour(), allOver ? ReplayQuery.OVER
                        : warnAt != null && lo > warnAt ? ReplayQuery.NEAR : ReplayQuery.NONE);
            }
        }
    }

    private ReplayQuery around(SimulatedLimit limit) {
        return query(limit, false, new Plan(), start.minus(RUN_REACH), end.plus(RUN_REACH));
    }

    private ReplayQuery query(SimulatedLimit limit, boolean tokens, Plan plan, Instant scanStart, Instant scanEnd) {
        long[] days = dayStarts.stream().mapToLong(LimitReplay::micros).toArray();
        return new ReplayQuery(tenantId, limit.scope(), tokens, start, end, limit.amount(), limit.warnAt(),
                               limit.action() == ControlAction.BLOCK, limit.action() == ControlAction.WARN,
                               SqlArray.of(days), longs(plan.starts), longs(plan.ends), longs(plan.seeds),
                               scanStart, scanEnd, longs(plan.resolvedHours),
                               SqlArray.of(plan.outcomes.stream().mapToInt(i -> i).toArray()));
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

    /**
     * The time ranges replayed run by run, each from its seed (the usage of its window before
     * it), and the rollup hours decided whole with their outcome.
     */
    private static final class Plan {
        final List<Long> starts = new ArrayList<>();
        final List<Long> ends = new ArrayList<>();
        final List<Long> seeds = new ArrayList<>();
        final List<Long> resolvedHours = new ArrayList<>();
        final List<Integer> outcomes = new ArrayList<>();

        void replay(Instant from, Instant to, long seed) {
            starts.add(micros(from));
            ends.add(micros(to));
            seeds.add(seed);
        }

        void decide(Instant hour, int outcome) {
            resolvedHours.add(micros(hour));
            outcomes.add(outcome);
        }
    }
}
