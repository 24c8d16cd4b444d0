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
    /** Issue 7: the console's analytics and overview reads answer within this at p95 with 10M runs... */
    static final double READ_P95_MICROS = 50_000;
    /** ...and within this factor of their p95 with 100k runs. */
    static final double READ_GROWTH = 1.5;
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
            Histogram evaluation = guard.parts().get(GuardScenario.EVALUATION);
            if (evaluation != null && evaluation.getTotalCount() > 0) {
                out.add(String.format("guard decision on the server (evaluation_time, no transport): p50 %s, p99 %s, "
                                      + "max %s", Result.ms(evaluation.getValueAtPercentile(50)),
                                      Result.ms(evaluation.getValueAtPercentile(99)), Result.ms(evaluation.getMaxValue())));
            }
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
        for (String bigger : List.of("reads-1m", "reads-10m")) {
            Result large = r.get(bigger);
            if (small == null || large == null) {
                continue;
            }
            out.add(String.format("%s / reads-100k, reads per second: %.0f%%", bigger, 100 * large.perSecond()
                                                                                 / small.perSecond()));
            for (Map.Entry<String, Histogram> part : large.parts().entrySet()) {
                Histogram before = small.parts().get(part.getKey());
                if (before != null && before.getTotalCount() > 0 && part.getValue().getTotalCount() > 0) {
                    out.add(String.format("  %s: p50 %.2fx, p95 %.2fx, p99 %.2fx (%s -> %s)", part.getKey(),
                                          growth(before, part.getValue(), 50), growth(before, part.getValue(), 95),
                                          growth(before, part.getValue(), 99), Result.latency(before),
                                          Result.latency(part.getValue())));
                }
            }
        }
        if (small != null && r.containsKey("reads-10m")) {
            out.addAll(consoleReadTargets(small, r.get("reads-10m")));
        }
        long worstRss = all.values().stream().filter(x -> x.memory() != null).mapToLong(x -> x.memory().rssMiB())
                .max().orElse(-1);
        if (worstRss >= 0) {
            out.add(String.format("server peak resident set over all scenarios: %d MiB (target < %d MiB: %s)",
                                  worstRss, RSS_MIB, verdict(worstRss < RSS_MIB)));
        }
        return out;
    }

    /**
     * Issue 7's table: for each targeted read and each pass of readers, p95 at 100k and 10M runs,
     * and the two verdicts (p95 at 10M under 50 ms; at most 1.5x the 100k figure).
     */
    static List<String> consoleReadTargets(Result small, Result large) {
        List<String> out = new ArrayList<>();
        out.add(String.format("issue 7: console reads, p95 with 10M runs < %s and <= %.1fx the p95 with 100k runs",
                              Result.ms(READ_P95_MICROS), READ_GROWTH));
        out.add(String.format("  %-46s %12s %12s %7s  %-14s %-14s", "read (readers)", "p95 at 100k", "p95 at 10M",
                              "10M/100k", "p95 < 50 ms", "growth <= 1.5x"));
        for (Map.Entry<String, Histogram> part : large.parts().entrySet()) {
            Histogram before = small.parts().get(part.getKey());
            Histogram after = part.getValue();
            if (!targeted(part.getKey()) || before == null || before.getTotalCount() == 0 || after.getTotalCount() == 0) {
                continue;
            }
            double p95 = after.getValueAtPercentile(95);
            double ratio = growth(before, after, 95);
            out.add(String.format("  %-46s %12s %12s %7.2fx  %-14s %-14s", part.getKey(),
                                  Result.ms(before.getValueAtPercentile(95)), Result.ms(p95), ratio,
                                  verdict(p95 < READ_P95_MICROS), verdict(ratio <= READ_GROWTH)));
        }
        return out;
    }

    private static boolean targeted(String part) {
        return ConsoleReadsScenario.READS.stream().anyMatch(read -> read.targeted() && (part.equals(read.name())
                                                                                        || part.startsWith(read.name() + " (")));
    }

    private static double growth(Histogram before, Histogram after, double percentile) {
        return (double) after.getValueAtPercentile(percentile) / Math.max(1, before.getValueAtPercentile(percentile));
    }

    private static String verdict(boolean met) {
        return met ? "met" : "NOT met";
    }
}
