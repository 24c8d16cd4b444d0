package dev.govcon.server.policies;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.govcon.proto.v1.DimensionBucket;
import dev.govcon.proto.v1.SimulationDay;
import dev.govcon.proto.v1.SimulationTotals;
import dev.govcon.server.wire.Times;

/** The sum of a replay's rows: per day of the series, per feature, and in total. */
final class ReplayOutcome {
    private final List<Instant> dayStarts;
    private final Day[] days;
    private final Map<String, Feature> features = new TreeMap<>();

    private static final class Day {
        long runs;
        long cost;
        long blocked;
        long warned;
        long prevented;
        Instant reachedAt;
    }

    private static final class Feature {
        long runs;
        long prevented;
        long preventedTokens;
    }

    ReplayOutcome(List<Instant> dayStarts) {
        this.dayStarts = dayStarts;
        this.days = new Day[dayStarts.size()];
        for (int i = 0; i < days.length; i++) {
            days[i] = new Day();
        }
    }

    void add(ReplayRow r) {
        Day d = days[r.day() - 1];
        d.runs += r.runs();
        d.cost += r.costMicros();
        d.blocked += r.blocked();
        d.warned += r.warned();
        d.prevented += r.preventedCostMicros();
        if (r.reachedAt() != null && (d.reachedAt == null || r.reachedAt().isBefore(d.reachedAt))) {
            d.reachedAt = r.reachedAt();
        }
        if (r.blocked() + r.warned() > 0) {
            Feature f = features.computeIfAbsent(r.feature(), k -> new Feature());
            f.runs += r.blocked() + r.warned();
            f.prevented += r.preventedCostMicros();
            f.preventedTokens += r.preventedTokens();
        }
    }

    long runs() {
        long n = 0;
        for (Day d : days) {
            n += d.runs;
        }
        return n;
    }

    long cost() {
        long n = 0;
        for (Day d : days) {
            n += d.cost;
        }
        return n;
    }

    SimulationTotals totals() {
        SimulationTotals.Builder t = SimulationTotals.newBuilder();
        long blocked = 0;
        long warned = 0;
        long prevented = 0;
        long affected = 0;
        for (Day d : days) {
            blocked += d.blocked;
            warned += d.warned;
            prevented += d.prevented;
            affected += d.blocked + d.warned > 0 ? 1 : 0;
        }
        long tokens = features.values().stream().mapToLong(f -> f.preventedTokens).sum();
        return t.setBlockedRuns(blocked).setWarnedRuns(warned).setPreventedCostMicros(prevented)
                .setPreventedTokens(tokens).setDaysAffected(affected).setFeaturesAffected(features.size()).build();
    }

    List<SimulationDay> series() {
        List<SimulationDay> out = new ArrayList<>(days.length);
        for (int i = 0; i < days.length; i++) {
            Day d = days[i];
            SimulationDay.Builder b = SimulationDay.newBuilder().setDayStartTime(Times.ts(dayStarts.get(i)))
                    .setRuns(d.runs).setCostMicros(d.cost).setBlockedRuns(d.blocked).setWarnedRuns(d.warned)
                    .setPreventedCostMicros(d.prevented);
            Times.setIfPresent(d.reachedAt, b::setLimitReachedTime);
            out.add(b.build());
        }
        return out;
    }

    /** Most spend prevented first, then most runs stopped, then by name. */
    List<DimensionBucket> affectedFeatures() {
        return features.entrySet().stream()
                .map(e -> DimensionBucket.newBuilder().setValue(e.getKey()).setRuns(e.getValue().runs)
                        .setTotalTokens(e.getValue().preventedTokens).setCostMicros(e.getValue().prevented).build())
                .sorted(Comparator.comparingLong(DimensionBucket::getCostMicros).reversed()
                                .thenComparing(Comparator.comparingLong(DimensionBucket::getRuns).reversed())
                                .thenComparing(DimensionBucket::getValue))
                .toList();
    }
}
