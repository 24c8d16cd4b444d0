package dev.govcon.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.server.demo.Skewed;
import dev.govcon.server.wire.Times;

/**
 * Realistic finished runs: a few models and features carry most of the traffic (Zipf-like
 * skew), about 4% fail, token counts vary by an order of magnitude, ids never repeat.
 */
final class RunFactory {
    private static final String[] MODELS = {"gpt-4o-mini", "gpt-4o", "claude-3-5-haiku-20241022",
            "claude-sonnet-4-5", "gemini-2.5-flash", "gpt-4.1-nano"};
    private static final String[] PROVIDERS = {"openai", "openai", "anthropic", "anthropic", "gemini", "openai"};
    private static final String[] FEATURES = {"support-chat", "search", "summaries", "code-review",
            "classification", "agent", "translation", "extraction"};

    private final String prefix;
    private final AtomicLong next = new AtomicLong();
    private final SplittableRandom random;

    RunFactory(String prefix, long seed) {
        this.prefix = prefix;
        this.random = new SplittableRandom(seed);
    }

    /** Not thread-safe for the random part; give each producer thread its own factory. */
    Run next() {
        int m = Skewed.pick(random, MODELS.length);
        boolean failed = random.nextInt(100) < 4;
        long input = 200 + random.nextInt(4000);
        Instant end = Instant.now();
        int latency = 150 + random.nextInt(failed ? 30_000 : 4_000);
        return Run.newBuilder()
                .setRunId(prefix + next.incrementAndGet())
                .setModel(MODELS[m])
                .setProvider(PROVIDERS[m])
                .setFeature(FEATURES[Skewed.pick(random, FEATURES.length)])
                .setEndUser("user-" + random.nextInt(5000))
                .setEnvironment("production")
                .setStatus(failed ? RunStatus.FAILED : RunStatus.SUCCEEDED)
                .setStartTime(Times.ts(end.minusMillis(latency)))
                .setEndTime(Times.ts(end))
                .setLatencyMs(latency)
                .setInputTokens(input)
                .setOutputTokens(failed ? 0 : 50 + random.nextInt(1500))
                .setCachedInputTokens(random.nextInt(3) == 0 ? input / 2 : 0)
                .setError(failed ? "upstream 529 overloaded" : "")
                .build();
    }

    List<Run> batch(int size) {
        List<Run> runs = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            runs.add(next());
        }
        return runs;
    }
}
