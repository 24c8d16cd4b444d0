package dev.govcon.server.demo;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import dev.govcon.proto.v1.Role;
import dev.govcon.proto.v1.Run;
import dev.govcon.server.activity.ingest.RunIngestor;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.wire.Times;

/**
 * A week of believable activity for the demo tenant: the finished runs come from
 * {@link HistoryGenerator} (the benchmark's and tests' generator: skewed models and features, a
 * daily curve, failures and spikes), written through the real ingestion path so rollups, costs
 * and records agree; then a handful of runs still in flight. Deterministic for a given seed.
 */
public final class DemoData {
    private static final String[][] MODELS = {
            {"openai", "gpt-4o-mini"}, {"openai", "gpt-4o"}, {"anthropic", "claude-sonnet-4-5"},
            {"anthropic", "claude-haiku-4-5"}, {"gemini", "gemini-2.5-flash"}};
    private static final String[] FEATURES = {"support-chat", "search", "summaries", "code-review", "agent"};

    private final RunIngestor ingestor;
    private final Clock clock;

    public DemoData(RunIngestor ingestor, Clock clock) {
        this.ingestor = ingestor;
        this.clock = clock;
    }

    /** Loads {@code days} of finished runs (about {@code runsPerDay} a weekday) and a few live ones. */
    public long load(UUID tenantId, int days, int runsPerDay, long seed) {
        long recorded = new HistoryGenerator(ingestor, clock).load(List.of(tenantId), days, runsPerDay, seed).recorded();
        Principal loader = new Principal(tenantId, UUID.randomUUID(), "demo data", Role.OWNER, null, null);
        SplittableRandom random = new SplittableRandom(seed);
        Instant now = clock.instant();
        for (int i = 0; i < 5; i++) {
            String[] model = MODELS[Skewed.pick(random, MODELS.length)];
            ingestor.start(loader, Run.newBuilder().setRunId("demo-live-" + i).setProvider(model[0]).setModel(model[1])
                    .setFeature(FEATURES[Skewed.pick(random, FEATURES.length)]).setEnvironment("production")
                    .setStartTime(Times.ts(now.minusSeconds(random.nextInt(90)))).build());
        }
        return recorded;
    }
}
