package dev.govcon.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.govcon.proto.v1.StreamRunsAck;
import dev.govcon.proto.v1.StreamRunsRequest;
import dev.govcon.sdk.GovconClient;
import io.grpc.stub.StreamObserver;

/** The client-streaming ingestion RPC: batches on long-lived streams, acknowledged per batch. */
final class StreamScenario implements Scenario {
    private static final int IN_FLIGHT = 8;

    @Override
    public String name() {
        return "stream";
    }

    @Override
    public String description() {
        return "RuntimeService.StreamRuns: batches on long-lived gRPC streams, " + IN_FLIGHT + " in flight each";
    }

    @Override
    public Result run(BenchContext ctx, Duration warmup, Duration measured) throws Exception {
        BenchContext.Tenant tenant = ctx.newTenant("Bench Stream " + UUID.randomUUID());
        Window window = ctx.window(warmup, measured);
        List<Thread> threads = new ArrayList<>();
        try (GovconClient client = ctx.client(tenant.key())) {
            for (int w = 0; w < ctx.concurrency(); w++) {
                int worker = w;
                Thread t = new Thread(() -> stream(client, ctx.batchSize(), new RunFactory("s-" + worker + "-", worker), window));
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        return window.result(name(), measured, ctx.concurrency() + " streams, " + ctx.batchSize() + " runs per message");
    }

    private static void stream(GovconClient client, int batchSize, RunFactory runs, Window window) {
        Semaphore slots = new Semaphore(IN_FLIGHT);
        Map<Long, Long> sentAt = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<StreamRunsRequest> requests = client.runtimeStreaming().streamRuns(new StreamObserver<>() {
            @Override
            public void onNext(StreamRunsAck ack) {
                Long sent = sentAt.remove(ack.getAckedSequence());
                window.acked(ack.getRecordedCount() + ack.getDuplicateCount(), sent == null ? System.nanoTime() : sent);
                slots.release();
            }

            @Override
            public void onError(Throwable t) {
                System.err.println("stream failed: " + t);
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        });
        long sequence = 0;
        try {
            while (window.open()) {
                if (!slots.tryAcquire(1, TimeUnit.SECONDS)) {
                    continue;
                }
                StreamRunsRequest request = StreamRunsRequest.newBuilder().setSequence(++sequence)
                        .addAllRuns(runs.batch(batchSize)).build();
                sentAt.put(sequence, System.nanoTime());
                requests.onNext(request);
            }
            requests.onCompleted();
            done.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
