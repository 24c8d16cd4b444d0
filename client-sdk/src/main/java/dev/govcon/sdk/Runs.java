package dev.govcon.sdk;

import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

import dev.govcon.proto.v1.CompleteRunRequest;
import dev.govcon.proto.v1.CompleteRunResponse;
import dev.govcon.proto.v1.RecordRunsRequest;
import dev.govcon.proto.v1.RecordRunsResponse;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RuntimeServiceGrpc;
import dev.govcon.proto.v1.StartRunRequest;
import dev.govcon.proto.v1.StartRunResponse;

/**
 * Blocking, typed run ingestion: thin wrappers over {@code RuntimeService.StartRun},
 * {@code CompleteRun} and {@code RecordRuns}. Obtain it from {@link GovconClient#runs()}.
 *
 * <p>Each call uses the client's API key, default deadline and UNAVAILABLE retries, and throws
 * {@link io.grpc.StatusRuntimeException} on failure. Every write is idempotent on
 * {@code run_id}, so a call that failed with an unknown outcome may simply be repeated.
 * For high volumes of finished runs, prefer the asynchronous {@link RunRecorder}
 * ({@link GovconClient#newRecorder()}).
 *
 * <p>A run that retries an earlier one (the application called the LLM again after a failure)
 * names it: {@code Run.newBuilder().setRetryOfRunId(earlierRunId)}, on the start or the
 * completion; analytics counts it as a retry. Repeating a write of the same run_id is not a retry.
 */
public final class Runs {
    private final RuntimeServiceGrpc.RuntimeServiceBlockingStub stub;
    /** Gives runs that name no integration the client's (see {@link GovconClient}). */
    private final UnaryOperator<Run> stamp;

    Runs(RuntimeServiceGrpc.RuntimeServiceBlockingStub stub, UnaryOperator<Run> stamp) {
        this.stub = stub;
        this.stamp = stamp;
    }

    /** Starts a run (status RUNNING); a retried start answers {@code created = false}. */
    public StartRunResponse start(Run run) {
        Objects.requireNonNull(run, "run");
        return stub.startRun(StartRunRequest.newBuilder().setRun(stamp.apply(run)).build());
    }

    /**
     * Completes run {@code runId} with {@code run}'s final status, usage, cost and latency
     * ({@code run.run_id} may be empty). A retry with the same figures answers
     * {@code duplicate = true}; a contradicting one fails with FAILED_PRECONDITION.
     */
    public CompleteRunResponse complete(String runId, Run run) {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(run, "run");
        return stub.completeRun(CompleteRunRequest.newBuilder().setRunId(runId).setRun(stamp.apply(run)).build());
    }

    /**
     * Records 1 to 1000 finished runs in one call. Malformed input fails the whole batch with
     * INVALID_ARGUMENT; duplicates and contradicting runs are listed in
     * {@link RecordRunsResponse#getSkippedList()}, every other run was recorded.
     */
    public RecordRunsResponse record(List<Run> runs) {
        Objects.requireNonNull(runs, "runs");
        return stub.recordRuns(RecordRunsRequest.newBuilder().addAllRuns(runs.stream().map(stamp).toList()).build());
    }
}
