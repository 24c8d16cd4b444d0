package dev.govcon.server.policies;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.LimitSimulation;
import dev.govcon.proto.v1.SimulationDay;
import dev.govcon.proto.v1.SimulationTotals;
import dev.govcon.server.wire.Times;

/**
 * A requests-per-minute or concurrent-runs replay computed the plain way, in memory, from the
 * runs of {@link SimulationAtScaleTest} (rebuilt from the same formula): the runs walked in
 * (start_time, run_id) order, counting each minute's starts, and a queue of the end times of
 * the runs in flight. What the simulation must answer, worked out without SQL.
 */
final class DirectReplay {
    /** One run of the load: run g ends g × 2.592 s after {@code base} and lasts 800 ms + (g mod 4000) ms. */
    record Run(String id, long startMs, long endMs, String feature, long cost, long tokens) {
        static Run of(long baseMs, int g) {
            long endMs = baseMs + g * 2592L;
            return new Run("run-" + g, endMs - (800 + g % 4000), endMs, "feature-" + (g % 10),
                           1000 + (g % 97) * 100L, (500 + g % 1000) + (100 + g % 300));
        }
    }

    /** Per day of the series (tenant time zone), by end time. */
    static final class Day {
        long runs;
        long cost;
        long blocked;
        long warned;
        long preventedCost;
        Long reachedMs;
    }

    final Map<LocalDate, Day> days = new TreeMap<>();
    final Set<String> features = new HashSet<>();
    long runs;
    long cost;
    long blocked;
    long warned;
    long preventedCost;
    long preventedTokens;

    /** Replays the limit over runs 1..count, reporting those that ended in [fromMs, toMs). */
    static DirectReplay of(LimitKind kind, long amount, ControlAction action, Double warnAtRatio, long baseMs, int count,
                           long fromMs, long toMs, ZoneId zone) {
        Run[] runs = new Run[count];
        for (int g = 1; g <= count; g++) {
            runs[g - 1] = Run.of(baseMs, g);
        }
        return of(kind, amount, action, warnAtRatio, runs, Long.MIN_VALUE, fromMs, toMs, zone);
    }

    /**
     * Replays the limit over {@code runs}, reporting those that ended in [fromMs, toMs); those
     * that started before {@code readFromMs} (a day before the window) are reported but neither
     * flagged nor in flight.
     */
    static DirectReplay of(LimitKind kind, long amount, ControlAction action, Double warnAtRatio, Run[] runs,
                           long readFromMs, long fromMs, long toMs, ZoneId zone) {
        runs = runs.clone();
        Arrays.sort(runs, Comparator.comparingLong(Run::startMs).thenComparing(Run::id));
        DirectReplay out = new DirectReplay();
        PriorityQueue<Long> inFlight = new PriorityQueue<>();
        long minute = Long.MIN_VALUE;
        long place = 0;
        for (Run r : runs) {
            if (r.startMs() < readFromMs) {
                if (r.endMs() >= fromMs && r.endMs() < toMs) {
                    out.add(r, 0, amount, action, warnAtRatio, zone);
                }
                continue;
            }
            long mark;
            if (kind == LimitKind.LIMIT_KIND_REQUESTS_PER_MINUTE) {
                long m = Math.floorDiv(r.startMs(), 60_000L);
                place = m == minute ? place + 1 : 1;
                minute = m;
                mark = place;
            } else if (kind == LimitKind.LIMIT_KIND_CONCURRENT_RUNS) {
                while (!inFlight.isEmpty() && inFlight.peek() <= r.startMs()) {
                    inFlight.poll();
                }
                inFlight.add(r.endMs());
                mark = inFlight.size();
            } else {
                throw new IllegalArgumentException(kind.toString());
            }
            if (r.endMs() >= fromMs && r.endMs() < toMs) {
                out.add(r, mark, amount, action, warnAtRatio, zone);
            }
        }
        return out;
    }

    private void add(Run r, long mark, long amount, ControlAction action, Double warnAtRatio, ZoneId zone) {
        boolean over = mark > amount;
        boolean near = warnAtRatio != null && mark > warnAtRatio * amount;
        boolean isBlocked = over && action == ControlAction.BLOCK;
        boolean isWarned = (over && action == ControlAction.WARN) || (near && !over);
        Day d = days.computeIfAbsent(LocalDate.ofInstant(Instant.ofEpochMilli(r.endMs()), zone), k -> new Day());
        runs++;
        cost += r.cost();
        d.runs++;
        d.cost += r.cost();
        if (over && (d.reachedMs == null || r.startMs() < d.reachedMs)) {
            d.reachedMs = r.startMs();
        }
        if (isBlocked) {
            blocked++;
            preventedCost += r.cost();
            preventedTokens += r.tokens();
            d.blocked++;
            d.preventedCost += r.cost();
        }
        if (isWarned) {
            warned++;
            d.warned++;
        }
        if (isBlocked || isWarned) {
            features.add(r.feature());
        }
    }

    SimulationTotals totals() {
        long affectedDays = days.values().stream().filter(d -> d.blocked + d.warned > 0).count();
        return SimulationTotals.newBuilder().setBlockedRuns(blocked).setWarnedRuns(warned)
                .setPreventedCostMicros(preventedCost).setPreventedTokens(preventedTokens)
                .setDaysAffected(affectedDays).setFeaturesAffected(features.size()).build();
    }

    /** The days of the simulation's series that hold runs, as this replay would report them. */
    Map<LocalDate, String> dayLines() {
        Map<LocalDate, String> lines = new TreeMap<>();
        days.forEach((day, d) -> lines.put(day, line(d.runs, d.cost, d.blocked, d.warned, d.preventedCost,
                                                     d.reachedMs == null ? null : Instant.ofEpochMilli(d.reachedMs))));
        return lines;
    }

    static Map<LocalDate, String> dayLines(LimitSimulation s, ZoneId zone) {
        Map<LocalDate, String> lines = new TreeMap<>();
        for (SimulationDay d : s.getDaysList()) {
            if (d.getRuns() > 0) {
                lines.put(LocalDate.ofInstant(Times.instant(d.getDayStartTime()), zone),
                          line(d.getRuns(), d.getCostMicros(), d.getBlockedRuns(), d.getWarnedRuns(),
                               d.getPreventedCostMicros(),
                               d.hasLimitReachedTime() ? Times.instant(d.getLimitReachedTime()) : null));
            }
        }
        return lines;
    }

    private static String line(long runs, long cost, long blocked, long warned, long prevented, Instant reached) {
        return "runs " + runs + ", cost " + cost + ", blocked " + blocked + ", warned " + warned + ", prevented "
               + prevented + ", reached " + reached;
    }
}
