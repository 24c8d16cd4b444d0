package dev.govcon.server.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import dev.govcon.proto.v1.Role;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.server.activity.ingest.RunIngestor;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.wire.Times;

/**
 * A week of believable activity for the demo tenant, written through the real ingestion path
 * (so rollups, costs and records agree): a few features and models carrying most traffic,
 * a daytime peak, about 4% failures, an afternoon error spike on one model, and a handful of
 * runs still in flight. Deterministic for a given seed.
 */
public final class DemoData {
    private static final String[][] MODELS = {
            {"openai", "gpt-4o-mini"}, {"openai", "gpt-4o"}, {"anthropic", "claude-sonnet-4-5"},
            {"anthropic", "claude-3-5-haiku-20241022"}, {"gemini", "gemini-2.5-flash"}};
    private static final String[] FEATURES = {"support-chat", "search", "summaries", "code-review", "agent"};

    private final RunIngestor ingestor;
    private final Clock clock;

    public DemoData(RunIngestor ingestor, Clock clock) {
        this.ingestor = ingestor;
        this.clock = clock;
    }

    /** Loads {@code days} of finished runs (about {@code runsPerDay} a day) and a few live ones. */
    public int load(UUID tenantId, int days, int runsPerDay, long seed) {
        Principal loader = new Principal(tenantId, UUID.randomUUID(), "demo data", Role.OWNER, null, null);
        SplittableRandom random = new SplittableRandom(seed);
        Instant now = clock.instant();
        List<Run> batch = new ArrayList<>();
        int total = 0;
        for (int day = days - 1; day >= 0; day--) {
            for (int i = 0; i < runsPerDay; i++) {
                Instant end = now.minus(Duration.ofDays(day)).minus(Duration.ofSeconds(daytimeOffsetSeconds(random)));
                if (end.isAfter(now)) {
                    continue;
                }
                batch.add(run("demo-" + day + "-" + i, end, random));
                if (batch.size() == 1000) {
                    total += ingestor.record(loader, batch).getRecordedCount();
                    batch.clear();
                }
            }
        }
        if (!batch.isEmpty()) {
            total += ingestor.record(loader, batch).getRecordedCount();
        }
        for (int i = 0; i < 5; i++) {
            String[] model = MODELS[Skewed.pick(random, MODELS.length)];
            ingestor.start(loader, Run.newBuilder().setRunId("demo-live-" + i).setProvider(model[0]).setModel(model[1])
                    .setFeature(FEATURES[Skewed.pick(random, FEATURES.length)]).setEnvironment("production")
                    .setStartTime(Times.ts(now.minusSeconds(random.nextInt(90)))).build());
        }
        return total;
    }

    /** Seconds before the same time of day: more runs in working hours than at night. */
    private static long daytimeOffsetSeconds(SplittableRandom random) {
        double hour = random.nextDouble() < 0.75 ? 8 + random.nextDouble() * 10 : random.nextDouble() * 24;
        return (long) (hour * 3600);
    }

    private static Run run(String id, Instant end, SplittableRandom random) {
        int m = Skewed.pick(random, MODELS.length);
        int hourOfDay = (int) ((end.getEpochSecond() / 3600) % 24);
        boolean spike = m == 1 && hourOfDay >= 14 && hourOfDay < 16;
        boolean failed = random.nextInt(100) < (spike ? 30 : 4);
        long input = 300 + random.nextInt(5000);
        int latency = 300 + random.nextInt(failed ? 20_000 : 5_000);
        return Run.newBuilder().setRunId(id).setProvider(MODELS[m][0]).setModel(MODELS[m][1])
                .setFeature(FEATURES[Skewed.pick(random, FEATURES.length)]).setEndUser("user-" + random.nextInt(300))
                .setEnvironment("production").setStatus(failed ? RunStatus.FAILED : RunStatus.SUCCEEDED)
                .setStartTime(Times.ts(end.minusMillis(latency))).setEndTime(Times.ts(end)).setLatencyMs(latency)
                .setInputTokens(input).setOutputTokens(failed ? 0 : 80 + random.nextInt(1200))
                .setCachedInputTokens(random.nextInt(3) == 0 ? input / 3 : 0)
                .setError(failed ? "provider error 529: overloaded" : "").build();
    }
}
