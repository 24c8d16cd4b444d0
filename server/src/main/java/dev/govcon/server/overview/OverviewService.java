package dev.govcon.server.overview;

import java.time.Clock;

import dev.govcon.proto.v1.GetCostSummaryRequest;
import dev.govcon.proto.v1.GetCostSummaryResponse;
import dev.govcon.proto.v1.GetHighlightsRequest;
import dev.govcon.proto.v1.GetHighlightsResponse;
import dev.govcon.proto.v1.GetPulseRequest;
import dev.govcon.proto.v1.GetPulseResponse;
import dev.govcon.proto.v1.ListApprovalsRequest;
import dev.govcon.proto.v1.ListApprovalsResponse;
import dev.govcon.proto.v1.ListDecisionsRequest;
import dev.govcon.proto.v1.ListDecisionsResponse;
import dev.govcon.proto.v1.ListRecentActivityRequest;
import dev.govcon.proto.v1.ListRecentActivityResponse;
import dev.govcon.proto.v1.OverviewServiceGrpc;
import dev.govcon.server.db.Database;
import dev.govcon.server.jobs.JobsReads;
import dev.govcon.server.wire.Rpc;
import io.grpc.stub.StreamObserver;

import static dev.govcon.server.auth.AuthInterceptor.principal;

/**
 * Overview domain ("is the system okay right now?"): read-only projections over activity,
 * incidents, policies, the audit ledger, keys and invitations.
 */
public final class OverviewService extends OverviewServiceGrpc.OverviewServiceImplBase {
    private final Highlights highlights;
    private final Pulse pulse;
    private final CostSummary costSummary;
    private final RecentActivity recentActivity;
    private final Decisions decisions;
    private final Approvals approvals;

    public OverviewService(Database database, Clock clock, JobsReads jobs) {
        this.highlights = new Highlights(database, clock);
        this.pulse = new Pulse(database, clock, jobs);
        this.costSummary = new CostSummary(database, clock);
        this.recentActivity = new RecentActivity(database, clock);
        this.decisions = new Decisions(database, clock);
        this.approvals = new Approvals(database, clock);
    }

    @Override
    public void getHighlights(GetHighlightsRequest request, StreamObserver<GetHighlightsResponse> response) {
        Rpc.unary(response, () -> highlights.get(principal()));
    }

    @Override
    public void getPulse(GetPulseRequest request, StreamObserver<GetPulseResponse> response) {
        Rpc.unary(response, () -> pulse.get(principal()));
    }

    @Override
    public void getCostSummary(GetCostSummaryRequest request, StreamObserver<GetCostSummaryResponse> response) {
        Rpc.unary(response, () -> costSummary.get(principal()));
    }

    @Override
    public void listRecentActivity(ListRecentActivityRequest request,
                                   StreamObserver<ListRecentActivityResponse> response) {
        Rpc.unary(response, () -> recentActivity.list(principal(), request));
    }

    @Override
    public void listDecisions(ListDecisionsRequest request, StreamObserver<ListDecisionsResponse> response) {
        Rpc.unary(response, () -> decisions.list(principal(), request));
    }

    @Override
    public void listApprovals(ListApprovalsRequest request, StreamObserver<ListApprovalsResponse> response) {
        Rpc.unary(response, () -> approvals.list(principal(), request));
    }
}
