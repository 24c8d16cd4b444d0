package dev.govcon.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.govcon.proto.v1.CompleteRunRequest;
import dev.govcon.proto.v1.CompleteRunResponse;
import dev.govcon.proto.v1.RecordRunsRequest;
import dev.govcon.proto.v1.RecordRunsResponse;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunAck;
import dev.govcon.proto.v1.RunAckOutcome;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.proto.v1.RuntimeServiceGrpc;
import dev.govcon.proto.v1.StartRunRequest;
import dev.govcon.proto.v1.StartRunResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * A stand-in RuntimeService: stores runs by id (idempotent like the real one), records every
 * RecordRuns call, and can be told to fail, refuse, reject single runs, or hold calls.
 */
final class FakeRuntimeService extends RuntimeServiceGrpc.RuntimeServiceImplBase {
    /** Run ids of each RecordRuns call, in arrival order (including failed attempts). */
    final List<List<String>> calls = new ArrayList<>();
    final Map<String, Run> stored = new ConcurrentHashMap<>();
    final Set<String> rejectIds = ConcurrentHashMap.newKeySet();
    final AtomicInteger started = new AtomicInteger();

    private int failNext;
    private Status failStatus;
    private boolean writeBeforeFailing;
    private volatile CountDownLatch hold;
    private volatile String holdRunId;
    private volatile CountDownLatch firstCall = new CountDownLatch(1);

    /** The next n RecordRuns calls fail with status, after writing the runs if writeFirst. */
    synchronized void failNext(int n, Status status, boolean writeFirst) {
        this.failNext = n;
        this.failStatus = status;
        this.writeBeforeFailing = writeFirst;
    }

    /** RecordRuns calls block until the returned latch is counted down. */
    CountDownLatch holdCalls() {
        CountDownLatch latch = new CountDownLatch(1);
        holdRunId = null;
        hold = latch;
        return latch;
    }

    /** As {@link #holdCalls()}, only for calls that carry the run {@code runId}. */
    CountDownLatch holdCallsWith(String runId) {
        CountDownLatch latch = new CountDownLatch(1);
        holdRunId = runId;
        hold = latch;
        return latch;
    }

    /** A latch released when the next RecordRuns call arrives. */
    CountDownLatch nextCall() {
        CountDownLatch latch = new CountDownLatch(1);
        firstCall = latch;
        return latch;
    }

    synchronized List<List<String>> calls() {
        return List.copyOf(calls);
    }

    synchronized int runsReceived() {
        return calls.stream().mapToInt(List::size).sum();
    }

    @Override
    public void recordRuns(RecordRunsRequest request, StreamObserver<RecordRunsResponse> out) {
        List<String> ids = request.getRunsList().stream().map(Run::getRunId).toList();
        Status fail = null;
        boolean write = true;
        synchronized (this) {
            calls.add(ids);
            if (failNext > 0) {
                failNext--;
                fail = failStatus;
                write = writeBeforeFailing;
            }
        }
        firstCall.countDown();
        CountDownLatch h = hold;
        String only = holdRunId;
        if (h != null && (only == null || ids.contains(only))) {
            try {
                if (!h.await(30, TimeUnit.SECONDS)) {
                    out.onError(Status.INTERNAL.withDescription("test hold timed out").asRuntimeException());
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (fail != null && fail.getCode() == Status.Code.INVALID_ARGUMENT) {
            out.onError(fail.asRuntimeException());  // malformed batch: nothing written
            return;
        }
        RecordRunsResponse.Builder response = RecordRunsResponse.newBuilder();
        if (write) {
            for (Run run : request.getRunsList()) {
                if (rejectIds.contains(run.getRunId())) {
                    response.setRejectedCount(response.getRejectedCount() + 1).addSkipped(RunAck.newBuilder()
                            .setRunId(run.getRunId()).setOutcome(RunAckOutcome.RUN_ACK_REJECTED)
                            .setCode(Status.Code.FAILED_PRECONDITION.value())
                            .setError("contradicts the stored completion"));
                } else if (stored.putIfAbsent(run.getRunId(), run) != null) {
                    response.setDuplicateCount(response.getDuplicateCount() + 1).addSkipped(RunAck.newBuilder()
                            .setRunId(run.getRunId()).setOutcome(RunAckOutcome.RUN_ACK_DUPLICATE));
                } else {
                    response.setRecordedCount(response.getRecordedCount() + 1);
                }
            }
        }
        if (fail != null) {
            out.onError(fail.asRuntimeException());
            return;
        }
        out.onNext(response.build());
        out.onCompleted();
    }

    @Override
    public void startRun(StartRunRequest request, StreamObserver<StartRunResponse> out) {
        started.incrementAndGet();
        Run run = request.getRun().toBuilder().setStatus(RunStatus.RUNNING).build();
        boolean created = stored.putIfAbsent(run.getRunId(), run) == null;
        out.onNext(StartRunResponse.newBuilder().setRun(stored.get(run.getRunId())).setCreated(created).build());
        out.onCompleted();
    }

    @Override
    public void completeRun(CompleteRunRequest request, StreamObserver<CompleteRunResponse> out) {
        Run run = request.getRun().toBuilder().setRunId(request.getRunId()).setCostMicros(42).build();
        Run previous = stored.put(run.getRunId(), run);
        boolean duplicate = previous != null && previous.getStatus() == run.getStatus()
                && previous.getStatus() != RunStatus.RUNNING;
        out.onNext(CompleteRunResponse.newBuilder().setRun(run).setDuplicate(duplicate).build());
        out.onCompleted();
    }
}
