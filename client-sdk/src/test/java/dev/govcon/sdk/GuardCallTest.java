package dev.govcon.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.govcon.proto.v1.CheckGuardRequest;
import dev.govcon.proto.v1.CheckGuardResponse;
import dev.govcon.proto.v1.CompleteRunRequest;
import dev.govcon.proto.v1.CompleteRunResponse;
import dev.govcon.proto.v1.GuardDecision;
import dev.govcon.proto.v1.RecordRunsRequest;
import dev.govcon.proto.v1.RecordRunsResponse;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.proto.v1.RuntimeServiceGrpc;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;

/**
 * What {@link Guard#call} does when the completion cannot be delivered, against an in-process
 * RuntimeService that fails CompleteRun on demand (the happy paths run against a real server
 * in the server module's SdkGuardTest).
 */
@Timeout(20)
class GuardCallTest {
    private final List<CheckGuardRequest> checks = new CopyOnWriteArrayList<>();
    private final List<Run> batched = new CopyOnWriteArrayList<>();
    private final AtomicReference<Status> completeFails = new AtomicReference<>();
    private Server server;
    private GovconClient client;

    @BeforeEach
    void start() throws Exception {
        String name = "govcon-guard-" + UUID.randomUUID();
        server = InProcessServerBuilder.forName(name).addService(new RuntimeServiceGrpc.RuntimeServiceImplBase() {
            @Override
            public void checkGuard(CheckGuardRequest request, StreamObserver<CheckGuardResponse> out) {
                checks.add(request);
                out.onNext(CheckGuardResponse.newBuilder().setDecision(GuardDecision.GUARD_DECISION_ALLOW)
                                   .setReservationId("res_test").setReservedCostMicros(900).build());
                out.onCompleted();
            }

            @Override
            public void completeRun(CompleteRunRequest request, StreamObserver<CompleteRunResponse> out) {
                Status fail = completeFails.get();
                if (fail != null) {
                    out.onError(fail.asRuntimeException());
                    return;
                }
                out.onNext(CompleteRunResponse.newBuilder().setRun(request.getRun()).build());
                out.onCompleted();
            }

            @Override
            public void recordRuns(RecordRunsRequest request, StreamObserver<RecordRunsResponse> out) {
                batched.addAll(request.getRunsList());
                out.onNext(RecordRunsResponse.newBuilder().setRecordedCount(request.getRunsCount()).build());
                out.onCompleted();
            }
        }).build().start();
        client = GovconClient.builder().channel(InProcessChannelBuilder.forName(name).disableRetry().build())
                .apiKey("test-key").build();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static GuardCheck check() {
        return GuardCheck.builder().model("gpt-4o").feature("chat").maxOutputTokens(100).build();
    }

    @Test
    void anUnreachableServerQueuesTheCompletionForRetryAndStillReturnsTheValue() {
        completeFails.set(Status.UNAVAILABLE.withDescription("down"));
        GuardedResult<String> r = client.guard().call(check(), d -> LlmOutcome.of("answer").tokens(40, 8));

        assertThat(r.value()).isEqualTo("answer");
        assertThat(r.recording()).isEqualTo(GuardedResult.Recording.QUEUED);
        assertThat(r.failure()).hasValueSatisfying(s -> assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        assertThat(r.runId()).isEqualTo(checks.get(0).getRunId()).isNotEmpty();

        client.close(); // closing the client flushes its recorders
        assertThat(batched).singleElement().satisfies(run -> {
            assertThat(run.getRunId()).isEqualTo(r.runId());
            assertThat(run.getReservationId()).isEqualTo("res_test");
            assertThat(run.getStatus()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.getInputTokens()).isEqualTo(40);
            assertThat(run.getModel()).isEqualTo("gpt-4o");
        });
    }

    @Test
    void aRefusedCompletionIsReportedAndNotRetried() {
        completeFails.set(Status.INVALID_ARGUMENT.withDescription("run.metadata: too many keys"));
        GuardedResult<String> r = client.guard().call(check(), d -> LlmOutcome.of("answer"));

        assertThat(r.value()).isEqualTo("answer");
        assertThat(r.recording()).isEqualTo(GuardedResult.Recording.FAILED);
        assertThat(r.failure()).hasValueSatisfying(s -> assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        client.close();
        assertThat(batched).isEmpty();
    }

    @Test
    void aCheckWithItsOwnRunIdKeepsIt() {
        GuardedResult<String> r = client.guard().call(check().toBuilder().runId("mine-1").build(),
                                                      d -> LlmOutcome.of("x"));
        assertThat(r.runId()).isEqualTo("mine-1");
        assertThat(checks.get(0).getRunId()).isEqualTo("mine-1");
        assertThat(r.recording()).isEqualTo(GuardedResult.Recording.RECORDED);
        assertThat(r.sent().getReservationId()).isEqualTo("res_test");
    }

    @Test
    void aCheckThatRetriesAnEarlierCallRecordsItsRunAsARetry() {
        GuardedResult<String> r = client.guard().call(check().toBuilder().runId("mine-2").retryOf("mine-1").build(),
                                                      d -> LlmOutcome.of("x"));
        assertThat(r.sent().getRetryOfRunId()).isEqualTo("mine-1");
        assertThat(client.guard().call(check(), d -> LlmOutcome.of("y")).sent().getRetryOfRunId()).isEmpty();
    }
}
