package dev.govcon.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import dev.govcon.sdk.GovconClient;
import dev.govcon.sdk.RecorderOptions;
import dev.govcon.sdk.RunRecorder;

/**
 * The SDK's asynchronous batching recorder (default options but the batch size, so
 * {@code maxInFlight} batches in flight), fed as fast as the application threads can: when
 * its queue is full, a producer waits a millisecond (a real application would drop or
 * sample). Runs/s is what the recorder got acknowledged in the measured window.
 */
final class RecorderScenario implements Scenario {
    @Override
    public String name() {
        return "recorder";
    }

    @Override
    public String description() {
        return "the SDK's asynchronous batching RunRecorder, one per producer thread";
    }

    @Override
    public Result run(BenchContext ctx, Duration warmup, Duration measured) throws Exception {
        BenchContext.Tenant tenant = ctx.newTenant("Bench Recorder " + UUID.randomUUID());
        Window window = ctx.window(warmup, measured);
        List<Thread> threads = new ArrayList<>();
        try (GovconClient client = ctx.client(tenant.key())) {
            for (int w = 0; w < ctx.concurrency(); w++) {
                RunFactory runs = new RunFactory("rec-" + w + "-", w);
                RunRecorder recorder = client.newRecorder(RecorderOptions.builder()
                        .maxBatchSize(ctx.batchSize()).capacity(ctx.batchSize() * 8).build());
                Thread t = new Thread(() -> feed(recorder, runs, window));
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        return window.result(name(), measured, ctx.concurrency() + " recorders, batches of " + ctx.batchSize());
    }

    private static void feed(RunRecorder recorder, RunFactory runs, Window window) {
        long acknowledged = 0;
        long sentNanos = System.nanoTime();
        try (recorder) {
            while (window.open()) {
                if (!recorder.record(runs.next())) {
                    // Full: wait without spinning, which would take CPU from the server and database.
                    LockSupport.parkNanos(1_000_000);
                }
                long now = recorder.recordedCount() + recorder.duplicateCount();
                if (now > acknowledged) {
                    window.acked((int) (now - acknowledged), sentNanos);
                    acknowledged = now;
                    sentNanos = System.nanoTime();
                }
            }
        }
    }
}
