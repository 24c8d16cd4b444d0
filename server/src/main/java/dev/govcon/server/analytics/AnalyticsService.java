package dev.govcon.server.analytics;

import java.time.Clock;

import dev.govcon.proto.v1.AnalyticsServiceGrpc;
import dev.govcon.proto.v1.GetAnalyticsCostSummaryRequest;
import dev.govcon.proto.v1.GetAnalyticsCostSummaryResponse;
import dev.govcon.proto.v1.GetCostByFeatureRequest;
import dev.govcon.proto.v1.GetCostByFeatureResponse;
import dev.govcon.proto.v1.GetCostByModelRequest;
import dev.govcon.proto.v1.GetCostByModelResponse;
import dev.govcon.proto.v1.GetCostForecastRequest;
import dev.govcon.proto.v1.GetCostForecastResponse;
import dev.govcon.proto.v1.GetCostTrendRequest;
import dev.govcon.proto.v1.GetCostTrendResponse;
import dev.govcon.proto.v1.GetEfficiencyRequest;
import dev.govcon.proto.v1.GetEfficiencyResponse;
import dev.govcon.proto.v1.GetPolicyCoverageTrendRequest;
import dev.govcon.proto.v1.GetPolicyCoverageTrendResponse;
import dev.govcon.proto.v1.GetPolicyEffectivenessRequest;
import dev.govcon.proto.v1.GetPolicyEffectivenessResponse;
import dev.govcon.proto.v1.GetPolicyUsageRequest;
import dev.govcon.proto.v1.GetPolicyUsageResponse;
import dev.govcon.proto.v1.GetProductivityTrendRequest;
import dev.govcon.proto.v1.GetProductivityTrendResponse;
import dev.govcon.proto.v1.GetSavedTimeRequest;
import dev.govcon.proto.v1.GetSavedTimeResponse;
import dev.govcon.proto.v1.ListCostAnomaliesRequest;
import dev.govcon.proto.v1.ListCostAnomaliesResponse;
import dev.govcon.proto.v1.ListProductivitySettingsRequest;
import dev.govcon.proto.v1.ListProductivitySettingsResponse;
import dev.govcon.proto.v1.UpsertProductivitySettingRequest;
import dev.govcon.proto.v1.UpsertProductivitySettingResponse;
import dev.govcon.server.db.Database;
import dev.govcon.server.wire.Rpc;
import io.grpc.stub.StreamObserver;

import static dev.govcon.server.auth.AuthInterceptor.principal;

/**
 * Analytics domain (issue 7): cost, policy and productivity insights read from the hourly
 * rollups (and, for policies, the violations and the audit ledger), and the per-feature
 * productivity settings.
 */
public final class AnalyticsService extends AnalyticsServiceGrpc.AnalyticsServiceImplBase {
    private final CostAnalytics cost;
    private final CostAnomalies anomalies;
    private final CostForecasts forecasts;
    private final PolicyAnalytics policies;
    private final ProductivityAnalytics productivity;
    private final ProductivitySettings settings;

    public AnalyticsService(Database database, Clock clock) {
        this.cost = new CostAnalytics(database, clock);
        this.anomalies = new CostAnomalies(database, cost);
        this.forecasts = new CostForecasts(database, clock, cost);
        this.policies = new PolicyAnalytics(database, clock, cost);
        this.productivity = new ProductivityAnalytics(database, cost);
        this.settings = new ProductivitySettings(database, clock);
    }

    // ---- Insights -> Cost ----

    @Override
    public void getAnalyticsCostSummary(GetAnalyticsCostSummaryRequest request,
                                        StreamObserver<GetAnalyticsCostSummaryResponse> response) {
        Rpc.unary(response, () -> cost.summary(principal(), request));
    }

    @Override
    public void getCostByModel(GetCostByModelRequest request, StreamObserver<GetCostByModelResponse> response) {
        Rpc.unary(response, () -> cost.byModel(principal(), request));
    }

    @Override
    public void getCostByFeature(GetCostByFeatureRequest request, StreamObserver<GetCostByFeatureResponse> response) {
        Rpc.unary(response, () -> cost.byFeature(principal(), request));
    }

    @Override
    public void getCostTrend(GetCostTrendRequest request, StreamObserver<GetCostTrendResponse> response) {
        Rpc.unary(response, () -> cost.trend(principal(), request));
    }

    @Override
    public void listCostAnomalies(ListCostAnomaliesRequest request, StreamObserver<ListCostAnomaliesResponse> response) {
        Rpc.unary(response, () -> anomalies.list(principal(), request));
    }

    @Override
    public void getCostForecast(GetCostForecastRequest request, StreamObserver<GetCostForecastResponse> response) {
        Rpc.unary(response, () -> forecasts.forecast(principal(), request));
    }

    // ---- Usage -> Policies ----

    @Override
    public void getPolicyUsage(GetPolicyUsageRequest request, StreamObserver<GetPolicyUsageResponse> response) {
        Rpc.unary(response, () -> policies.usage(principal(), request));
    }

    @Override
    public void getPolicyEffectiveness(GetPolicyEffectivenessRequest request,
                                       StreamObserver<GetPolicyEffectivenessResponse> response) {
        Rpc.unary(response, () -> policies.effectiveness(principal(), request));
    }

    @Override
    public void getPolicyCoverageTrend(GetPolicyCoverageTrendRequest request,
                                       StreamObserver<GetPolicyCoverageTrendResponse> response) {
        Rpc.unary(response, () -> policies.coverage(principal(), request));
    }

    // ---- Usage -> Productivity ----

    @Override
    public void getSavedTime(GetSavedTimeRequest request, StreamObserver<GetSavedTimeResponse> response) {
        Rpc.unary(response, () -> productivity.savedTime(principal(), request));
    }

    @Override
    public void getEfficiency(GetEfficiencyRequest request, StreamObserver<GetEfficiencyResponse> response) {
        Rpc.unary(response, () -> productivity.efficiency(principal(), request));
    }

    @Override
    public void getProductivityTrend(GetProductivityTrendRequest request,
                                     StreamObserver<GetProductivityTrendResponse> response) {
        Rpc.unary(response, () -> productivity.trend(principal(), request));
    }

    @Override
    public void listProductivitySettings(ListProductivitySettingsRequest request,
                                         StreamObserver<ListProductivitySettingsResponse> response) {
        Rpc.unary(response, () -> settings.list(principal(), request));
    }

    @Override
    public void upsertProductivitySetting(UpsertProductivitySettingRequest request,
                                          StreamObserver<UpsertProductivitySettingResponse> response) {
        Rpc.unary(response, () -> settings.upsert(principal(), request));
    }
}
