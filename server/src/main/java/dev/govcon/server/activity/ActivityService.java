package dev.govcon.server.activity;

import java.time.Clock;

import dev.govcon.proto.v1.ActivityServiceGrpc;
import dev.govcon.proto.v1.GetCompletedRunsByDimensionRequest;
import dev.govcon.proto.v1.GetCompletedRunsByDimensionResponse;
import dev.govcon.proto.v1.GetCompletedRunsSummaryRequest;
import dev.govcon.proto.v1.GetCompletedRunsSummaryResponse;
import dev.govcon.proto.v1.GetLiveRunCountRequest;
import dev.govcon.proto.v1.GetLiveRunCountResponse;
import dev.govcon.proto.v1.GetLiveRunsByDimensionRequest;
import dev.govcon.proto.v1.GetLiveRunsByDimensionResponse;
import dev.govcon.proto.v1.GetRunRequest;
import dev.govcon.proto.v1.ListCompletedRunsRequest;
import dev.govcon.proto.v1.ListCompletedRunsResponse;
import dev.govcon.proto.v1.ListLiveRunsRequest;
import dev.govcon.proto.v1.ListLiveRunsResponse;
import dev.govcon.proto.v1.ListRunTracesRequest;
import dev.govcon.proto.v1.ListRunTracesResponse;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.ListModelPricesRequest;
import dev.govcon.proto.v1.ListModelPricesResponse;
import dev.govcon.proto.v1.UpsertModelPriceRequest;
import dev.govcon.proto.v1.UpsertModelPriceResponse;
import dev.govcon.proto.v1.GetWorkerHealthRequest;
import dev.govcon.proto.v1.GetWorkerHealthResponse;
import dev.govcon.proto.v1.ListJobsRequest;
import dev.govcon.proto.v1.ListJobsResponse;
import dev.govcon.proto.v1.GetPredictionsSummaryRequest;
import dev.govcon.proto.v1.GetPredictionsSummaryResponse;
import dev.govcon.proto.v1.ListAnomaliesRequest;
import dev.govcon.proto.v1.ListAnomaliesResponse;
import dev.govcon.proto.v1.ListPredictionsRequest;
import dev.govcon.proto.v1.ListPredictionsResponse;
import dev.govcon.proto.v1.ListSignalsRequest;
import dev.govcon.proto.v1.ListSignalsResponse;
import dev.govcon.server.signals.SignalsReads;
import dev.govcon.server.activity.pricing.PriceBook;
import dev.govcon.server.jobs.JobsReads;
import dev.govcon.server.db.Database;
import dev.govcon.server.wire.Rpc;
import io.grpc.stub.StreamObserver;

import static dev.govcon.server.auth.AuthInterceptor.principal;

/**
 * Activity domain, read side: live and finished runs, their aggregates and traces, the
 * background jobs and their health, and the model price table. Signals, predictions and
 * anomalies are read by {@link SignalsReads} (package {@code signals}).
 */
public final class ActivityService extends ActivityServiceGrpc.ActivityServiceImplBase {
    private final ActivityReads reads;
    private final PriceBook prices;
    private final JobsReads jobs;
    private final SignalsReads signals;

    public ActivityService(Database database, Clock clock, PriceBook prices, JobsReads jobs) {
        this.reads = new ActivityReads(database, clock);
        this.signals = new SignalsReads(database, clock);
        this.prices = prices;
        this.jobs = jobs;
    }

    @Override
    public void listJobs(ListJobsRequest request, StreamObserver<ListJobsResponse> response) {
        Rpc.unary(response, jobs::listJobs);
    }

    @Override
    public void getWorkerHealth(GetWorkerHealthRequest request, StreamObserver<GetWorkerHealthResponse> response) {
        Rpc.unary(response, jobs::health);
    }

    @Override
    public void listModelPrices(ListModelPricesRequest request, StreamObserver<ListModelPricesResponse> response) {
        Rpc.unary(response, () -> prices.list(principal().tenantId(), request));
    }

    @Override
    public void upsertModelPrice(UpsertModelPriceRequest request, StreamObserver<UpsertModelPriceResponse> response) {
        Rpc.unary(response, () -> prices.upsert(principal(), request));
    }

    @Override
    public void listLiveRuns(ListLiveRunsRequest request, StreamObserver<ListLiveRunsResponse> response) {
        Rpc.unary(response, () -> reads.listLive(principal(), request));
    }

    @Override
    public void getLiveRunsByDimension(GetLiveRunsByDimensionRequest request,
                                       StreamObserver<GetLiveRunsByDimensionResponse> response) {
        Rpc.unary(response, () -> reads.liveByDimension(principal(), request));
    }

    @Override
    public void getLiveRunCount(GetLiveRunCountRequest request, StreamObserver<GetLiveRunCountResponse> response) {
        Rpc.unary(response, () -> reads.liveCount(principal(), request));
    }

    @Override
    public void listCompletedRuns(ListCompletedRunsRequest request,
                                  StreamObserver<ListCompletedRunsResponse> response) {
        Rpc.unary(response, () -> reads.listCompleted(principal(), request));
    }

    @Override
    public void getCompletedRunsByDimension(GetCompletedRunsByDimensionRequest request,
                                            StreamObserver<GetCompletedRunsByDimensionResponse> response) {
        Rpc.unary(response, () -> reads.completedByDimension(principal(), request));
    }

    @Override
    public void getCompletedRunsSummary(GetCompletedRunsSummaryRequest request,
                                        StreamObserver<GetCompletedRunsSummaryResponse> response) {
        Rpc.unary(response, () -> reads.summary(principal(), request));
    }

    @Override
    public void getRun(GetRunRequest request, StreamObserver<Run> response) {
        Rpc.unary(response, () -> reads.getRun(principal(), request.getRunId()));
    }

    @Override
    public void listRunTraces(ListRunTracesRequest request, StreamObserver<ListRunTracesResponse> response) {
        Rpc.unary(response, () -> reads.traces(principal(), request));
    }

    @Override
    public void listSignals(ListSignalsRequest request, StreamObserver<ListSignalsResponse> response) {
        Rpc.unary(response, () -> signals.signals(principal(), request));
    }

    @Override
    public void listPredictions(ListPredictionsRequest request, StreamObserver<ListPredictionsResponse> response) {
        Rpc.unary(response, () -> signals.predictions(principal(), request));
    }

    @Override
    public void getPredictionsSummary(GetPredictionsSummaryRequest request,
                                      StreamObserver<GetPredictionsSummaryResponse> response) {
        Rpc.unary(response, () -> signals.summary(principal()));
    }

    @Override
    public void listAnomalies(ListAnomaliesRequest request, StreamObserver<ListAnomaliesResponse> response) {
        Rpc.unary(response, () -> signals.anomalies(principal(), request));
    }
}
