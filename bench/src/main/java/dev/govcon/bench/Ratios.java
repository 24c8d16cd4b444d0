package dev.govcon.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * The ratios the issues set targets on, from the scenarios that ran in one invocation (the
 * machine's noise cancels out within a run, not across runs). Each line says what was measured
 * against what, and the target where there is one.
 */
final class Ratios {
    /** Issue 4: the guard keeps at least this share of the no-op RPC's throughput... */
    static final double GUARD_VS_NOOP = 0.70;
    /** ...answers within this at p99... */
    static final double GUARD_P99_MICROS = 2_000;
    /** ...and through REST within this factor of gRPC. */
    static final double REST_VS_GRPC = 1.5;
    /** Issue 3: ingestion keeps at least this share of the database's COPY rate. */
    static final double INGEST_VS_COPY = 0.50;
    /** Issue 5: the server holds every scenario in under 1 GiB resident. */
    static final long RSS_MIB = 1024;

    private Ratios() {
    }

    static List<String> of(Map<String, Result> all) {
        List<String> out = new ArrayList<>();
        // A scenario that measured nothing (a failed or cold run) has no ratio.
        Map<String, Result> r = new java.util.HashMap<>();
        all.forEach((name, result) -> {
            if (result.count() > 0 && result.latencyMicros() != null && result.latencyMicros().getTotalCount() > 0) {
                r.put(name, result);
            }
        });
        Result copy = r.get("copy");
        for (String s : List.of("stream", "recorder", "batch")) {
            if (copy != null && r.containsKey(s)) {
                double share = r.get(s).perSecond() / copy.perSecond();
                out.add(String.format("%s / copy, runs per second: %.0f%% (target for ingestion >= %.0f%%: %s)", s,
                                      100 * share, 100 * INGEST_VS_COPY, verdict(share >= INGEST_VS_COPY)));
            }
        }
        Result noop = r.get("noop");
        Result guard = r.get("guard");
        Result rest = r.get("guard-rest");
        if (noop != null && guard != null) {
            double share = guard.perSecond() / noop.perSecond();
            out.add(String.format("guard / noop, calls per second: %.0f%% (target >= %.0f%%: %s); mean latency, guard "
                                  + "minus noop: %.0f us", 100 * share, 100 * GUARD_VS_NOOP,
                                  verdict(share >= GUARD_VS_NOOP),
                                  guard.latencyMicros().getMean() - noop.latencyMicros().getMean()));
            out.add(String.format("guard / noop, latency: p50 %.2fx, p99 %.2fx", guard.percentileMicros(50)
                                  / noop.percentileMicros(50), guard.percentileMicros(99) / noop.percentileMicros(99)));
        }
        if (guard != null) {
            out.add(String.format("guard p99 over gRPC: %s (target < %s: %s)", Result.ms(guard.percentileMicros(99)),
                                  Result.ms(GUARD_P99_MICROS), verdict(guard.percentileMicros(99) < GUARD_P99_MICROS)));
        }
        if (guard != null && rest != null) {
            double slower = guard.perSecond() / rest.perSecond();
            double p50 = rest.percentileMicros(50) / guard.percentileMicros(50);
            double p99 = rest.percentileMicros(99) / guard.percentileMicros(99);
            out.add(String.format("guard-rest vs guard: gRPC does %.2fx the calls per second; REST latency p50 %.2fx, "
                                  + "p99 %.2fx (target within %.1fx: %s)", slower, p50, p99, REST_VS_GRPC,
                                  verdict(slower <= REST_VS_GRPC && p50 <= REST_VS_GRPC)));
        }
        Result small = r.get("reads-100k");
        Result large = r.get("reads-1m");
        if (small != null && large != null) {
            out.add(String.format("reads-1m / reads-100k, reads per second: %.0f%%", 100 * large.perSecond()
                                                                                  / small.perSecond()));
            for (Map.Entry<String, Histogram> part : large.parts().entrySet()) {
                Histogram before = small.parts().get(part.getKey());
                if (before != null && before.getTotalCount() > 0 && part.getValue().getTotalCount() > 0) {
                    out.add(String.format("  %s at 10x the runs: p50 %.2fx, p99 %.2fx (%s -> %s)", part.getKey(),
                                          (double) part.getValue().getValueAtPercentile(50)
                                          / before.getValueAtPercentile(50),
                                          (double) part.getValue().getValueAtPercentile(99)
                                          / before.getValueAtPercentile(99),
                                          Result.latency(before), Result.latency(part.getValue())));
                }
            }
        }
        long worstRss = all.values().stream().filter(x -> x.memory() != null).mapToLong(x -> x.memory().rssMiB())
                .max().orElse(-1);
        if (worstRss >= 0) {
            out.add(String.format("server peak resident set over all scenarios: %d MiB (target < %d MiB: %s)",
                                  worstRss, RSS_MIB, verdict(worstRss < RSS_MIB)));
        }
        return out;
    }

    private static String verdict(boolean met) {
        return met ? "met" : "NOT met";
    }
}
