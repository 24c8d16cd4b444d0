package dev.govcon.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.govcon.proto.v1.CompleteRunResponse;
import dev.govcon.proto.v1.RecordRunsResponse;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunAckOutcome;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.proto.v1.StartRunResponse;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;

/** The run helpers and the batching recorder against an in-process RuntimeService. */
@Timeout(20)
class RunsTest {
    private final FakeRuntimeService service = new FakeRuntimeService();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private Server server;
    private GovconClient client;

    @BeforeEach
    void start() throws Exception {
        String name = "govcon-test-" + UUID.randomUUID();
        ServerInterceptor captureAuth = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                authorizations.add(String.valueOf(headers.get(
                        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER))));
                return next.startCall(call, headers);
            }
        };
        server = InProcessServerBuilder.forName(name)
                .addService(ServerInterceptors.intercept(service, captureAuth))
                .build().start();
        // No channel-level retries: the recorder's own retries are under test.
        client = GovconClient.builder()
                .channel(InProcessChannelBuilder.forName(name).disableRetry().build())
                .apiKey("test-key")
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static Run run(String id) {
        return Run.newBuilder().setRunId(id).setModel("gpt-4o-mini").setProvider("openai")
                .setStatus(RunStatus.SUCCEEDED).setInputTokens(10).setOutputTokens(5).build();
    }

    private static List<Run> runs(String prefix, int n) {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            runs.add(run(prefix + i));
        }
        return runs;
    }

    private static RecorderOptions.Builder fast() {
        return RecorderOptions.builder().flushInterval(Duration.ofMillis(50))
                .backoff(Duration.ofMillis(5), Duration.ofMillis(20));
    }

    // ------------------------------------------------------------------ Runs

    @Test
    void runsWrappersReturnTypedResponsesAndSendTheApiKey() {
        StartRunResponse started = client.runs().start(run("r1").toBuilder().clearStatus().build());
        assertThat(started.getCreated()).isTrue();
        assertThat(started.getRun().getStatus()).isEqualTo(RunStatus.RUNNING);
        assertThat(client.runs().start(run("r1")).getCreated()).isFalse();

        CompleteRunResponse completed = client.runs().complete("r1", run("").toBuilder().clearRunId().build());
        assertThat(completed.getRun().getRunId()).isEqualTo("r1");
        assertThat(completed.getRun().getCostMicros()).isEqualTo(42);

        RecordRunsResponse recorded = client.runs().record(List.of(run("r1"), run("r2")));
        assertThat(recorded.getRecordedCount()).isEqualTo(1);
        assertThat(recorded.getSkippedList()).singleElement()
                .satisfies(ack -> {
                    assertThat(ack.getRunId()).isEqualTo("r1");
                    assertThat(ack.getOutcome()).isEqualTo(RunAckOutcome.RUN_ACK_DUPLICATE);
                });
        assertThat(authorizations).isNotEmpty().allMatch("Bearer test-key"::equals);
    }

    // ------------------------------------------------------------------ RunRecorder

    @Test
    void sendsBatchesOfAtMostMaxBatchSize() {
        try (RunRecorder recorder = client.newRecorder(fast().maxBatchSize(50).flushInterval(Duration.ofSeconds(5)).build())) {
            for (Run run : runs("b", 1000)) {
                assertThat(recorder.record(run)).isTrue();
            }
            recorder.flush();
            assertThat(service.calls()).allSatisfy(ids -> assertThat(ids).hasSizeLessThanOrEqualTo(50));
            assertThat(service.calls().size()).isGreaterThanOrEqualTo(20);
            assertThat(service.stored).hasSize(1000);
            assertThat(recorder.stats()).isEqualTo(new RecorderStats(1000, 0, 0, 0, 0));
        }
    }

    @Test
    void flushIntervalSendsALoneRun() throws Exception {
        CountDownLatch arrived = service.nextCall();
        try (RunRecorder recorder = client.newRecorder(RecorderOptions.builder().flushInterval(Duration.ofMillis(100)).build())) {
            long t0 = System.nanoTime();
            recorder.record(run("lone"));
            assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(ms).isBetween(50L, 3000L);  // waited for the interval, not for a full batch
            assertThat(service.calls()).containsExactly(List.of("lone"));
        }
    }

    @Test
    void retriesWithTheSameRunIdsAndAssignsStableIds() {
        // The first two attempts are written but their answers are lost (UNAVAILABLE).
        service.failNext(2, Status.UNAVAILABLE.withDescription("lost ack"), true);
        try (RunRecorder recorder = client.newRecorder(fast().build())) {
            for (int i = 0; i < 10; i++) {
                recorder.record(run("").toBuilder().clearRunId().setFeature("f" + i).build());
            }
            recorder.flush();
            List<List<String>> calls = service.calls();
            assertThat(calls).hasSize(3);
            assertThat(calls.get(0)).hasSize(10).doesNotContain("").doesNotHaveDuplicates();
            assertThat(calls.get(1)).isEqualTo(calls.get(0));
            assertThat(calls.get(2)).isEqualTo(calls.get(0));
            assertThat(service.stored).hasSize(10).containsOnlyKeys(calls.get(0));
            // The duplicates on the retry were this recorder's own writes: counted once, as recorded.
            assertThat(recorder.recordedCount()).isEqualTo(10);
            assertThat(recorder.duplicateCount()).isZero();
            assertThat(recorder.failedCount()).isZero();
        }
    }

    @Test
    void retriesExhaustedAreReportedAsFailed() {
        List<Status> failures = new CopyOnWriteArrayList<>();
        service.failNext(100, Status.UNAVAILABLE, false);
        try (RunRecorder recorder = client.newRecorder(fast().maxRetries(2)
                .onFailed((runs, status) -> failures.add(status)).build())) {
            recorder.record(run("x1"));
            recorder.record(run("x2"));
            recorder.flush();
            assertThat(service.calls()).hasSize(3).allMatch(List.of("x1", "x2")::equals);
            assertThat(failures).singleElement().extracting(Status::getCode).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(recorder.failedCount()).isEqualTo(2);
            assertThat(recorder.pendingCount()).isZero();
        }
    }

    @Test
    void invalidArgumentIsNotRetriedAndIsReported() {
        List<List<Run>> failedRuns = new CopyOnWriteArrayList<>();
        List<Status> statuses = new CopyOnWriteArrayList<>();
        service.failNext(1, Status.INVALID_ARGUMENT.withDescription("runs[1].model: required"), false);
        try (RunRecorder recorder = client.newRecorder(fast().onFailed((runs, status) -> {
            failedRuns.add(runs);
            statuses.add(status);
        }).build())) {
            runs("bad", 3).forEach(recorder::record);
            recorder.flush();
            assertThat(service.calls()).hasSize(1);
            assertThat(failedRuns).singleElement().satisfies(list ->
                    assertThat(list).extracting(Run::getRunId).containsExactly("bad0", "bad1", "bad2"));
            assertThat(statuses.get(0).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(statuses.get(0).getDescription()).contains("runs[1].model");
            assertThat(recorder.failedCount()).isEqualTo(3);

            // The recorder carries on with later runs.
            recorder.record(run("good"));
            recorder.flush();
            assertThat(service.stored).containsOnlyKeys("good");
            assertThat(recorder.recordedCount()).isEqualTo(1);
        }
    }

    @Test
    void perRunRejectionsAreReportedOneByOne() {
        List<Run> rejected = new CopyOnWriteArrayList<>();
        List<Status> statuses = new CopyOnWriteArrayList<>();
        service.rejectIds.add("r1");
        service.stored.put("r2", run("r2"));  // recorded earlier by someone else
        try (RunRecorder recorder = client.newRecorder(fast().onFailed((runs, status) -> {
            rejected.addAll(runs);
            statuses.add(status);
        }).build())) {
            runs("r", 4).forEach(recorder::record);
            recorder.flush();
            assertThat(rejected).extracting(Run::getRunId).containsExactly("r1");
            assertThat(rejected.get(0).getModel()).isEqualTo("gpt-4o-mini");
            assertThat(statuses.get(0).getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(statuses.get(0).getDescription()).contains("contradicts");
            assertThat(recorder.stats()).isEqualTo(new RecorderStats(2, 1, 0, 1, 0));
        }
    }

    @Test
    void dropsRunsWhenTheQueueIsFull() throws Exception {
        List<String> drops = new CopyOnWriteArrayList<>();
        CountDownLatch arrived = service.nextCall();
        CountDownLatch release = service.holdCalls();
        // One batch in flight, so that the queue fills behind it.
        try (RunRecorder recorder = client.newRecorder(fast().capacity(10).maxBatchSize(5).maxInFlight(1)
                .onDropped((run, reason) -> drops.add(run.getRunId() + ":" + reason)).build())) {
            runs("a", 5).forEach(recorder::record);        // a full batch: sent, held by the server
            assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();
            for (Run run : runs("q", 10)) {
                assertThat(recorder.record(run)).isTrue();   // fills the queue
            }
            assertThat(recorder.record(run("over0"))).isFalse();
            assertThat(recorder.record(run("over1"))).isFalse();
            assertThat(recorder.droppedCount()).isEqualTo(2);
            assertThat(drops).containsExactly("over0:queue_full", "over1:queue_full");
            assertThat(recorder.pendingCount()).isEqualTo(15);

            release.countDown();
            recorder.flush();
            assertThat(service.stored).hasSize(15).doesNotContainKeys("over0", "over1");
            assertThat(recorder.stats()).isEqualTo(new RecorderStats(15, 0, 2, 0, 0));
        }
    }

    @Test
    void flushWithTimeoutReturnsFalseWhileTheServerHoldsTheBatch() throws Exception {
        CountDownLatch release = service.holdCalls();
        try (RunRecorder recorder = client.newRecorder(fast().build())) {
            recorder.record(run("slow"));
            assertThat(recorder.flush(Duration.ofMillis(100))).isFalse();
            assertThat(recorder.pendingCount()).isEqualTo(1);
            release.countDown();
            assertThat(recorder.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(recorder.recordedCount()).isEqualTo(1);
        }
    }

    @Test
    void closeWaitsForInFlightRunsThenRefusesNewOnes() throws Exception {
        List<String> drops = new CopyOnWriteArrayList<>();
        CountDownLatch arrived = service.nextCall();
        CountDownLatch release = service.holdCalls();
        RunRecorder recorder = client.newRecorder(fast().flushInterval(Duration.ofSeconds(10))
                .onDropped((run, reason) -> drops.add(reason)).build());
        runs("c", 7).forEach(recorder::record);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(recorder::close);
        assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();   // close sent them without waiting 10 s
        assertThat(recorder.record(run("late"))).isFalse();
        try {
            closing.get(200, TimeUnit.MILLISECONDS);
            throw new AssertionError("close() returned while the batch was in flight");
        } catch (TimeoutException expected) {
            // still waiting for the server
        }
        release.countDown();
        closing.get(5, TimeUnit.SECONDS);
        assertThat(service.stored).hasSize(7);
        assertThat(recorder.stats()).isEqualTo(new RecorderStats(7, 0, 1, 0, 0));
        assertThat(drops).containsExactly(RunRecorder.CLOSED);
        recorder.close();  // idempotent
    }

    @Test
    void closeGivesUpAfterTheCloseTimeout() throws Exception {
        List<String> drops = new CopyOnWriteArrayList<>();
        List<Status> failures = new CopyOnWriteArrayList<>();
        CountDownLatch arrived = service.nextCall();
        CountDownLatch release = service.holdCalls();
        try {
            RunRecorder recorder = client.newRecorder(fast().maxBatchSize(2).maxInFlight(1).closeTimeout(Duration.ofMillis(200))
                    .onDropped((run, reason) -> drops.add(reason))
                    .onFailed((runs, status) -> failures.add(status)).build());
            runs("t", 3).forEach(recorder::record);
            assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();
            recorder.close();
            assertThat(failures).singleElement().extracting(Status::getCode).isEqualTo(Status.Code.CANCELLED);
            assertThat(drops).containsExactly(RunRecorder.CLOSE_TIMEOUT);
            assertThat(recorder.stats()).isEqualTo(new RecorderStats(0, 0, 1, 2, 0));
            assertThat(recorder.flush(Duration.ofMillis(10))).isTrue();
        } finally {
            release.countDown();
        }
    }

    @Test
    void keepsAtMostMaxInFlightBatchesInFlight() throws Exception {
        CountDownLatch release = service.holdCalls();
        try (RunRecorder recorder = client.newRecorder(fast().maxBatchSize(5).maxInFlight(3).build())) {
            runs("f", 30).forEach(recorder::record);
            awaitCalls(3);
            // The server holds three batches; the other three wait in the queue, unsent.
            assertThat(recorder.flush(Duration.ofMillis(300))).isFalse();
            assertThat(service.calls()).hasSize(3).allSatisfy(ids -> assertThat(ids).hasSize(5));
            assertThat(recorder.pendingCount()).isEqualTo(30);
            release.countDown();
            recorder.flush();
            assertThat(service.calls()).hasSize(6);
            assertThat(service.stored).hasSize(30);
            assertThat(recorder.stats()).isEqualTo(new RecorderStats(30, 0, 0, 0, 0));
        }
    }

    @Test
    void flushWaitsForAnEarlierBatchThatIsAnsweredAfterALaterOne() throws Exception {
        CountDownLatch release = service.holdCallsWith("a0");
        try (RunRecorder recorder = client.newRecorder(fast().maxBatchSize(2).maxInFlight(2).build())) {
            runs("a", 2).forEach(recorder::record);   // first batch: held by the server
            runs("b", 2).forEach(recorder::record);   // second batch: answered at once
            await(() -> recorder.recordedCount() == 2);
            assertThat(service.stored).containsOnlyKeys("b0", "b1");
            assertThat(recorder.flush(Duration.ofMillis(200))).isFalse();
            assertThat(recorder.pendingCount()).isEqualTo(2);
            release.countDown();
            assertThat(recorder.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(service.stored).containsOnlyKeys("a0", "a1", "b0", "b1");
            assertThat(recorder.stats()).isEqualTo(new RecorderStats(4, 0, 0, 0, 0));
        }
    }

    private void awaitCalls(int n) throws InterruptedException {
        await(() -> service.calls().size() >= n);
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 5 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void concurrentProducersEachRunRecordedOnce() throws Exception {
        service.failNext(3, Status.UNAVAILABLE, true);
        try (RunRecorder recorder = client.newRecorder(fast().maxBatchSize(300).build())) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String prefix = "p" + t + "-";
                Thread thread = new Thread(() -> runs(prefix, 2500).forEach(recorder::record));
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            recorder.flush();
            assertThat(service.stored).hasSize(10_000);
            assertThat(service.calls()).allSatisfy(ids -> assertThat(ids).hasSizeLessThanOrEqualTo(300).doesNotHaveDuplicates());
            assertThat(recorder.stats()).isEqualTo(new RecorderStats(10_000, 0, 0, 0, 0));
        }
    }

    @Test
    void aRunIdQueuedTwiceGoesInSeparateBatches() {
        try (RunRecorder recorder = client.newRecorder(fast().build())) {
            recorder.record(run("same"));
            recorder.record(run("other"));
            recorder.record(run("same"));
            recorder.flush();
            assertThat(service.calls()).allSatisfy(ids -> assertThat(ids).doesNotHaveDuplicates());
            assertThat(service.runsReceived()).isEqualTo(3);
            assertThat(recorder.stats()).isEqualTo(new RecorderStats(2, 1, 0, 0, 0));
        }
    }

    @Test
    void clientCloseClosesOpenRecordersAndThreadIsADaemon() throws Exception {
        RunRecorder recorder = client.newRecorder(fast().flushInterval(Duration.ofSeconds(10)).build());
        recorder.record(run("k"));
        Thread thread = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(RunRecorder.THREAD_NAME)).findFirst().orElseThrow();
        assertThat(thread.isDaemon()).isTrue();
        client.close();
        assertThat(service.stored).containsOnlyKeys("k");
        assertThat(recorder.record(run("after"))).isFalse();
    }

    @Test
    void optionsAreValidated() {
        RecorderOptions defaults = RecorderOptions.defaults();
        assertThat(defaults.capacity()).isEqualTo(10_000);
        assertThat(defaults.maxBatchSize()).isEqualTo(500);
        assertThat(defaults.maxInFlight()).isEqualTo(4);
        assertThat(defaults.flushInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(defaults.maxRetries()).isEqualTo(5);
        assertThat(defaults.initialBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(defaults.maxBackoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.closeTimeout()).isEqualTo(Duration.ofSeconds(10));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RecorderOptions.builder().maxBatchSize(1001))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RecorderOptions.builder().capacity(0))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RecorderOptions.builder().maxInFlight(0))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RecorderOptions.builder().maxInFlight(65))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RecorderOptions.builder().flushInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
