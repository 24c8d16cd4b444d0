package dev.govcon.bench;

import java.time.Duration;

/** Placeholder until the SDK's batching recorder lands; replaced in the same change. */
final class RecorderScenario implements Scenario {
    @Override
    public String name() {
        return "recorder";
    }

    @Override
    public String description() {
        return "the SDK's asynchronous batching RunRecorder";
    }

    @Override
    public Result run(BenchContext ctx, Duration warmup, Duration measured) {
        throw new UnsupportedOperationException("RunRecorder not merged yet");
    }
}
