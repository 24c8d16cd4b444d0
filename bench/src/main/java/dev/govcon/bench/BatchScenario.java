package dev.govcon.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.govcon.proto.v1.RecordRunsRequest;
import dev.govcon.proto.v1.RecordRunsResponse;
import dev.govcon.sdk.GovconClient;

/** Unary RecordRuns calls (the REST batch path's gRPC twin) from concurrent callers. */
final class BatchScenario implements Scenario {
    @Override
    public String name() {
        return "batch";
    }

    @Override
    public String description() {
        return "RuntimeService.RecordRuns unary batches from concurrent callers";
    }

    @Override
    public Result run(BenchContext ctx, Duration warmup, Duration measured) throws Exception {
        BenchContext.Tenant tenant = ctx.newTenant("Bench Batch " + UUID.randomUUID());
        Window window = ctx.window(warmup, measured);
        List<Thread> threads = new ArrayList<>();
        try (GovconClient client = ctx.client(tenant.key())) {
            for (int w = 0; w < ctx.concurrency(); w++) {
                RunFactory runs = new RunFactory("b-" + w + "-", w);
                Thread t = new Thread(() -> {
                    while (window.open()) {
                        RecordRunsRequest request = RecordRunsRequest.newBuilder().addAllRuns(runs.batch(ctx.batchSize())).build();
                        long sent = System.nanoTime();
                        RecordRunsResponse r = client.runtime().recordRuns(request);
                        window.acked(r.getRecordedCount() + r.getDuplicateCount(), sent);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        return window.result(name(), measured, ctx.concurrency() + " callers, " + ctx.batchSize() + " runs per call");
    }
}
