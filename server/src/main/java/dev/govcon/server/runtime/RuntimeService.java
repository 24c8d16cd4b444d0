package dev.govcon.server.runtime;

import dev.govcon.proto.v1.AppendTraceStepsRequest;
import dev.govcon.proto.v1.AppendTraceStepsResponse;
import dev.govcon.proto.v1.CheckGuardRequest;
import dev.govcon.proto.v1.CheckGuardResponse;
import dev.govcon.proto.v1.CompleteRunRequest;
import dev.govcon.proto.v1.CompleteRunResponse;
import dev.govcon.proto.v1.PingRequest;
import dev.govcon.proto.v1.PingResponse;
import dev.govcon.proto.v1.RecordRunsRequest;
import dev.govcon.proto.v1.RecordRunsResponse;
import dev.govcon.proto.v1.RuntimeServiceGrpc;
import dev.govcon.proto.v1.StartRunRequest;
import dev.govcon.proto.v1.StartRunResponse;
import dev.govcon.proto.v1.StreamRunsAck;
import dev.govcon.proto.v1.StreamRunsRequest;
import java.time.Clock;

import com.linecorp.armeria.server.ServiceRequestContext;

import dev.govcon.server.activity.ingest.RunIngestor;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.connectivity.IntegrationTouches;
import dev.govcon.server.guard.Guard;
import dev.govcon.server.wire.Rpc;
import io.grpc.stub.StreamObserver;

import static dev.govcon.server.auth.AuthInterceptor.principal;

/** The SDK hot path: the guard check before an LLM call, run ingestion after it. */
public final class RuntimeService extends RuntimeServiceGrpc.RuntimeServiceImplBase {
    private final RunIngestor ingestor;
    private final Guard guard;
    private final IntegrationTouches touches;
    private final Clock clock;

    public RuntimeService(RunIngestor ingestor, Guard guard, IntegrationTouches touches, Clock clock) {
        this.ingestor = ingestor;
        this.guard = guard;
        this.touches = touches;
        this.clock = clock;
    }

    @Override
    public void checkGuard(CheckGuardRequest request, StreamObserver<CheckGuardResponse> response) {
        Rpc.unary(response, () -> {
            Principal caller = principal();
            CheckGuardResponse decision = guard.check(caller, request);
            // Same header over gRPC metadata and REST: transcoded calls keep the HTTP headers.
            ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
            String integration = ctx == null ? null : ctx.request().headers().get(IntegrationTouches.HEADER);
            touches.guardChecked(caller.tenantId(), integration, clock.instant());
            return decision;
        });
    }

    /** Nothing but the path every call takes: the interceptor has authenticated and checked the role. */
    @Override
    public void ping(PingRequest request, StreamObserver<PingResponse> response) {
        Rpc.unary(response, PingResponse::getDefaultInstance);
    }

    @Override
    public void startRun(StartRunRequest request, StreamObserver<StartRunResponse> response) {
        Rpc.unary(response, () -> ingestor.start(principal(), request.getRun()));
    }

    @Override
    public void completeRun(CompleteRunRequest request, StreamObserver<CompleteRunResponse> response) {
        Rpc.unary(response, () -> ingestor.complete(principal(), request.getRunId(), request.getRun()));
    }

    @Override
    public void recordRuns(RecordRunsRequest request, StreamObserver<RecordRunsResponse> response) {
        Rpc.unary(response, () -> ingestor.record(principal(), request.getRunsList()));
    }

    @Override
    public void appendTraceSteps(AppendTraceStepsRequest request, StreamObserver<AppendTraceStepsResponse> response) {
        Rpc.unary(response, () -> ingestor.appendSteps(principal(), request.getRunId(), request.getStepsList()));
    }

    @Override
    public StreamObserver<StreamRunsRequest> streamRuns(StreamObserver<StreamRunsAck> acks) {
        return new RunStream(ingestor, principal(), acks);
    }
}
