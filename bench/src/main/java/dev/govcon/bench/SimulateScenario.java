package dev.govcon.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.LimitSimulation;
import dev.govcon.proto.v1.PolicyLimit;
import dev.govcon.proto.v1.SimulateLimitRequest;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.activity.ingest.RunIngestor;
import dev.govcon.server.activity.pricing.PriceBook;
import dev.govcon.server.demo.HistoryGenerator;

/**
 * Issue 4's "a 30-day replay over a million runs answers in under a second": a tenant holding
 * {@code runs} runs of history (loaded through the ingestion path by {@link HistoryGenerator},
 * so the rollups are the real ones), then one caller replaying a limit of each kind over the
 * last 30 days in turn, one simulation at a time. Each kind's latency is reported apart with a
 * verdict against one second; spend and token limits are set near the tenant's daily and
 * monthly usage, so that some days cross them.
 */
final class SimulateScenario implements Scenario {
    static final Duration TARGET = Duration.ofSeconds(1);

    private final String name;
    private final long runs;

    SimulateScenario(String name, long runs) {
        this.name = name;
        this.runs = runs;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return String.format("limit simulation over 30 days with %,d runs of history, each kind in turn", runs);
    }

    @Override
    public Result run(BenchContext ctx, Duration warmup, Duration measured) throws Exception {
        BenchContext.Tenant tenant = ctx.newTenant("Bench Simulate " + UUID.randomUUID());
        long wanted = Math.max(1, Math.round(runs * ctx.readsScale()));
        Clock clock = Clock.tickMillis(ZoneOffset.UTC);
        long loadStart = System.nanoTime();
        HistoryGenerator.Loaded loaded;
        try (RunIngestor ingestor = new RunIngestor(ctx.database(), clock, new PriceBook(ctx.database()))) {
            int perDay = HistoryGenerator.runsPerDayFor(wanted, ctx.historyDays(), clock.instant());
            loaded = new HistoryGenerator(ingestor, clock).load(List.of(UUID.fromString(tenant.id())),
                                                                ctx.historyDays(), perDay, 7);
        }
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        System.err.printf("  loaded %,d runs over %d days in %.0f s (%,.0f runs/s)%n", loaded.runs(),
                          ctx.historyDays(), loadSeconds, loaded.runs() / loadSeconds);

        try (GovconClient client = ctx.unaryClient(tenant.key())) {
            // What the tenant spends and uses in 30 days, to set the limits near it: a daily token
            // limit of 1 blocks (nearly) every run, so what it prevents is (nearly) all the tokens.
            LimitSimulation all = simulate(client, limit(LimitKind.LIMIT_KIND_TOKENS_PER_DAY, 1));
            long perDay = Math.max(1, all.getCostEvaluatedMicros() / 30);
            long tokensPerDay = Math.max(1, all.getProposed().getPreventedTokens() / 30);
            Map<String, PolicyLimit> kinds = new LinkedHashMap<>();
            kinds.put("spend-day", limit(LimitKind.LIMIT_KIND_SPEND_PER_DAY, perDay).setWarnAtRatio(0.8).build());
            kinds.put("tokens-day", limit(LimitKind.LIMIT_KIND_TOKENS_PER_DAY, tokensPerDay).build());
            kinds.put("spend-month", limit(LimitKind.LIMIT_KIND_SPEND_PER_MONTH, perDay * 20).build());
            kinds.put("rpm", limit(LimitKind.LIMIT_KIND_REQUESTS_PER_MINUTE, 20).setWarnAtRatio(0.75).build());
            kinds.put("concurrent", limit(LimitKind.LIMIT_KIND_CONCURRENT_RUNS, 2).build());
            List<String> names = List.copyOf(kinds.keySet());
            Map<String, Histogram> byKind = new LinkedHashMap<>();
            names.forEach(n -> byKind.put(n, new ConcurrentHistogram(600_000_000L, 3)));

            Window window = ctx.fixedWindow(warmup, measured);
            long measureFrom = System.nanoTime() + warmup.toNanos();
            UnaryLoad.drive(window, 1, 0, (caller, n) -> {
                String kind = names.get((int) (n % names.size()));
                long sent = System.nanoTime();
                simulate(client, kinds.get(kind).toBuilder());
                if (sent >= measureFrom) {
                    byKind.get(kind).recordValue(Math.min(600_000_000L, (System.nanoTime() - sent) / 1000));
                }
            });
            StringBuilder note = new StringBuilder(String.format("%,d runs loaded in %.0f s; one caller",
                                                                 loaded.runs(), loadSeconds));
            byKind.forEach((kind, h) -> {
                note.append("; ").append(kind).append(' ').append(Result.latency(h));
                if (h.getTotalCount() > 0) {
                    note.append(h.getValueAtPercentile(50) < TARGET.toNanos() / 1000 ? " (under 1 s)" : " (OVER 1 s)");
                }
            });
            return window.result(name, "sims", measured, note.toString()).withParts(byKind);
        }
    }

    private static PolicyLimit.Builder limit(LimitKind kind, long amount) {
        return PolicyLimit.newBuilder().setKind(kind).setAmount(amount).setAction(ControlAction.BLOCK);
    }

    private static LimitSimulation simulate(GovconClient client, PolicyLimit.Builder limit) {
        return client.policies().withDeadlineAfter(5, java.util.concurrent.TimeUnit.MINUTES)
                .simulateLimit(SimulateLimitRequest.newBuilder().setLimit(limit).build()).getSimulation();
    }
}
