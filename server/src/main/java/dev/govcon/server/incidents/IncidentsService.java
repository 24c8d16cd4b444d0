package dev.govcon.server.incidents;

import java.time.Clock;

import dev.govcon.proto.v1.AcknowledgeIncidentRequest;
import dev.govcon.proto.v1.AcknowledgeIncidentResponse;
import dev.govcon.proto.v1.GetActiveIncidentsBySeverityRequest;
import dev.govcon.proto.v1.GetActiveIncidentsBySeverityResponse;
import dev.govcon.proto.v1.GetIncidentRequest;
import dev.govcon.proto.v1.GetIncidentTrendsRequest;
import dev.govcon.proto.v1.GetIncidentTrendsResponse;
import dev.govcon.proto.v1.GetResolutionStatsRequest;
import dev.govcon.proto.v1.GetResolutionStatsResponse;
import dev.govcon.proto.v1.GetResolvedIncidentRequest;
import dev.govcon.proto.v1.Incident;
import dev.govcon.proto.v1.IncidentResolution;
import dev.govcon.proto.v1.IncidentsServiceGrpc;
import dev.govcon.proto.v1.ListActiveIncidentsRequest;
import dev.govcon.proto.v1.ListActiveIncidentsResponse;
import dev.govcon.proto.v1.ListHistoricalIncidentsRequest;
import dev.govcon.proto.v1.ListHistoricalIncidentsResponse;
import dev.govcon.proto.v1.ListIncidentPatternsRequest;
import dev.govcon.proto.v1.ListIncidentPatternsResponse;
import dev.govcon.proto.v1.ListIncidentTimelineRequest;
import dev.govcon.proto.v1.ListIncidentTimelineResponse;
import dev.govcon.proto.v1.ListResolvedIncidentsRequest;
import dev.govcon.proto.v1.ListResolvedIncidentsResponse;
import dev.govcon.proto.v1.ResolveIncidentRequest;
import dev.govcon.proto.v1.ResolveIncidentResponse;
import dev.govcon.server.db.Database;
import dev.govcon.server.wire.Rpc;
import io.grpc.stub.StreamObserver;

import static dev.govcon.server.auth.AuthInterceptor.principal;

/** Incidents domain (inventory 3): reads and the acknowledge/resolve lifecycle; the engine is {@link IncidentEngineJob}. */
public final class IncidentsService extends IncidentsServiceGrpc.IncidentsServiceImplBase {
    private final IncidentReads reads;
    private final IncidentLifecycle lifecycle;

    public IncidentsService(Database database, Clock clock) {
        this.reads = new IncidentReads(database, clock);
        this.lifecycle = new IncidentLifecycle(database, clock);
    }

    @Override
    public void listActiveIncidents(ListActiveIncidentsRequest request, StreamObserver<ListActiveIncidentsResponse> response) {
        Rpc.unary(response, () -> reads.listActive(principal(), request));
    }

    @Override
    public void getActiveIncidentsBySeverity(GetActiveIncidentsBySeverityRequest request,
                                             StreamObserver<GetActiveIncidentsBySeverityResponse> response) {
        Rpc.unary(response, () -> reads.bySeverity(principal()));
    }

    @Override
    public void getIncident(GetIncidentRequest request, StreamObserver<Incident> response) {
        Rpc.unary(response, () -> reads.get(principal(), request.getId()));
    }

    @Override
    public void listIncidentTimeline(ListIncidentTimelineRequest request, StreamObserver<ListIncidentTimelineResponse> response) {
        Rpc.unary(response, () -> reads.timeline(principal(), request));
    }

    @Override
    public void acknowledgeIncident(AcknowledgeIncidentRequest request, StreamObserver<AcknowledgeIncidentResponse> response) {
        Rpc.unary(response, () -> lifecycle.acknowledge(principal(), request));
    }

    @Override
    public void resolveIncident(ResolveIncidentRequest request, StreamObserver<ResolveIncidentResponse> response) {
        Rpc.unary(response, () -> lifecycle.resolve(principal(), request));
    }

    @Override
    public void listResolvedIncidents(ListResolvedIncidentsRequest request, StreamObserver<ListResolvedIncidentsResponse> response) {
        Rpc.unary(response, () -> reads.listResolved(principal(), request));
    }

    @Override
    public void getResolvedIncident(GetResolvedIncidentRequest request, StreamObserver<IncidentResolution> response) {
        Rpc.unary(response, () -> reads.getResolved(principal(), request.getId()));
    }

    @Override
    public void getResolutionStats(GetResolutionStatsRequest request, StreamObserver<GetResolutionStatsResponse> response) {
        Rpc.unary(response, () -> reads.stats(principal(), request));
    }

    @Override
    public void listHistoricalIncidents(ListHistoricalIncidentsRequest request,
                                        StreamObserver<ListHistoricalIncidentsResponse> response) {
        Rpc.unary(response, () -> reads.historical(principal(), request));
    }

    @Override
    public void getIncidentTrends(GetIncidentTrendsRequest request, StreamObserver<GetIncidentTrendsResponse> response) {
        Rpc.unary(response, () -> reads.trends(principal(), request));
    }

    @Override
    public void listIncidentPatterns(ListIncidentPatternsRequest request, StreamObserver<ListIncidentPatternsResponse> response) {
        Rpc.unary(response, () -> reads.patterns(principal(), request));
    }
}
