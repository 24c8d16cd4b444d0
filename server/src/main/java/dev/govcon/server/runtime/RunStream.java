package dev.govcon.server.runtime;

import java.util.concurrent.atomic.AtomicInteger;

import com.linecorp.armeria.server.ServiceRequestContext;

import dev.govcon.proto.v1.StreamRunsAck;
import dev.govcon.proto.v1.StreamRunsRequest;
import dev.govcon.server.activity.ingest.RunIngestor;
import dev.govcon.server.auth.Principal;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * One client's ingestion stream. Each request (a batch of runs with a sequence number) is
 * acknowledged once its runs are committed; acks may arrive out of order and name the
 * sequence they answer. At most {@value #IN_FLIGHT} batches are in flight per stream: the
 * server asks for the next one only as acks go out, so a fast client cannot pile up memory.
 */
final class RunStream implements StreamObserver<StreamRunsRequest> {
    static final int IN_FLIGHT = 8;

    private final RunIngestor ingestor;
    private final Principal caller;
    private final ServerCallStreamObserver<StreamRunsAck> acks;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean halfClosed;
    private volatile boolean closed;

    RunStream(RunIngestor ingestor, Principal caller, StreamObserver<StreamRunsAck> acks) {
        this.ingestor = ingestor;
        this.caller = caller;
        this.acks = (ServerCallStreamObserver<StreamRunsAck>) acks;
        // The server's request length limit would end a long-lived stream after its first
        // megabytes; each message stays bounded by the gRPC message limit and IN_FLIGHT.
        ServiceRequestContext context = ServiceRequestContext.currentOrNull();
        if (context != null) {
            context.setMaxRequestLength(0);
        }
        this.acks.disableAutoRequest();
        this.acks.request(IN_FLIGHT);
    }

    @Override
    public void onNext(StreamRunsRequest request) {
        if (closed) {
            return;
        }
        if (request.getRunsCount() > 1000) {
            fail(Status.INVALID_ARGUMENT.withDescription("runs: at most 1000 runs per stream message"));
            return;
        }
        pending.incrementAndGet();
        ingestor.recordLeniently(caller, request.getRunsList()).whenComplete((result, error) -> {
            if (error != null) {
                fail(Status.fromThrowable(error).getCode() == Status.Code.UNKNOWN
                     ? Status.INTERNAL.withDescription("could not record runs; retry the batch")
                     : Status.fromThrowable(error));
                return;
            }
            synchronized (acks) {
                if (!closed) {
                    acks.onNext(StreamRunsAck.newBuilder()
                            .setAckedSequence(request.getSequence())
                            .setRecordedCount(result.getRecordedCount())
                            .setDuplicateCount(result.getDuplicateCount())
                            .setRejectedCount(result.getRejectedCount())
                            .addAllSkipped(result.getSkippedList())
                            .build());
                    acks.request(1);
                }
            }
            if (pending.decrementAndGet() == 0 && halfClosed) {
                complete();
            }
        });
    }

    @Override
    public void onError(Throwable t) {
        closed = true;
    }

    @Override
    public void onCompleted() {
        halfClosed = true;
        if (pending.get() == 0) {
            complete();
        }
    }

    private void complete() {
        synchronized (acks) {
            if (!closed) {
                closed = true; // nothing more may be sent
                acks.onCompleted();
            }
        }
    }

    private void fail(Status status) {
        synchronized (acks) {
            if (!closed) {
                closed = true;
                acks.onError(status.asRuntimeException());
            }
        }
    }
}
