package dev.govcon.server.analytics;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.google.protobuf.Timestamp;

import dev.govcon.proto.v1.CostBreakdownItem;
import dev.govcon.proto.v1.CostTrendPoint;
import dev.govcon.proto.v1.Dimension;
import dev.govcon.proto.v1.GetAnalyticsCostSummaryRequest;
import dev.govcon.proto.v1.GetAnalyticsCostSummaryResponse;
import dev.govcon.proto.v1.GetCostByFeatureRequest;
import dev.govcon.proto.v1.GetCostByFeatureResponse;
import dev.govcon.proto.v1.GetCostByModelRequest;
import dev.govcon.proto.v1.GetCostByModelResponse;
import dev.govcon.proto.v1.GetCostTrendRequest;
import dev.govcon.proto.v1.GetCostTrendResponse;
import dev.govcon.proto.v1.Granularity;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.wire.Times;

/**
 * Insights -> Cost: summary, by model, by feature and trend, all from the hourly rollups.
 * Spend of a model is per (model, provider): the same model name served by two providers is
 * two rows.
 */
final class CostAnalytics {
    private final Database database;
    private final Clock clock;

    CostAnalytics(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    GetAnalyticsCostSummaryResponse summary(Principal caller, GetAnalyticsCostSummaryRequest req) {
        RollupFilter f = RollupFilter.of(req.getModel(), req.getProvider(), req.getFeature(), req.getEnvironment());
        return database.read(s -> {
            AnalyticsWindow w = window(s, caller, req.hasStartTime(), req.getStartTime(), req.hasEndTime(),
                                       req.getEndTime(), Granularity.DAY);
            Rollups now = new Rollups(s, caller.tenantId(), w, f);
            RollupRow total = now.total();
            long previous = now.over(w.previous()).total().costMicros();
            GetAnalyticsCostSummaryResponse.Builder out = GetAnalyticsCostSummaryResponse.newBuilder()
                    .setStartTime(Times.ts(w.start())).setEndTime(Times.ts(w.end()))
                    .setTotalCostMicros(total.costMicros())
                    .setPreviousPeriodCostMicros(previous)
                    .setChangeRatio(previous == 0 ? 0 : (double) (total.costMicros() - previous) / previous)
                    .setAverageDailyCostMicros(Math.round(total.costMicros() / w.days()))
                    .setTotalRuns(total.runs()).setSuccessfulRuns(total.successfulRuns())
                    .setTotalTokens(total.totalTokens())
                    .setCostPerSuccessfulRunMicros(Rollups.perSuccess(total.costMicros(), total.successfulRuns()));
            top(now.by("model"), RollupRow::model).ifPresent(r -> out.setTopModel(Rollups.bucket(r.model(), r)));
            top(now.by("feature"), RollupRow::feature).ifPresent(r -> out.setTopFeature(Rollups.bucket(r.feature(), r)));
            return out.build();
        });
    }

    GetCostByModelResponse byModel(Principal caller, GetCostByModelRequest req) {
        RollupFilter f = RollupFilter.of("", req.getProvider(), req.getFeature(), req.getEnvironment());
        return database.read(s -> {
            AnalyticsWindow w = window(s, caller, req.hasStartTime(), req.getStartTime(), req.hasEndTime(),
                                       req.getEndTime(), Granularity.DAY);
            Breakdown b = breakdown(new Rollups(s, caller.tenantId(), w, f), w, req.getPageSize(),
                                    req.getPageToken(), r -> r.model() + "\u0000" + r.provider(), "model", "provider");
            return GetCostByModelResponse.newBuilder().addAllModels(b.items).setNextPageToken(b.next)
                    .setTotalCostMicros(b.total).build();
        });
    }

    GetCostByFeatureResponse byFeature(Principal caller, GetCostByFeatureRequest req) {
        RollupFilter f = RollupFilter.of(req.getModel(), req.getProvider(), "", req.getEnvironment());
        return database.read(s -> {
            AnalyticsWindow w = window(s, caller, req.hasStartTime(), req.getStartTime(), req.hasEndTime(),
                                       req.getEndTime(), Granularity.DAY);
            Breakdown b = breakdown(new Rollups(s, caller.tenantId(), w, f), w, req.getPageSize(),
                                    req.getPageToken(), RollupRow::feature, "feature");
            return GetCostByFeatureResponse.newBuilder().addAllFeatures(b.items).setNextPageToken(b.next)
                    .setTotalCostMicros(b.total).build();
        });
    }

    private record Breakdown(List<CostBreakdownItem> items, String next, long total) {
    }

    private static Breakdown breakdown(Rollups rollups, AnalyticsWindow w, int pageSize, String pageToken,
                                       Function<RollupRow, String> key, String... keys) {
        List<RollupRow> rows = rollups.by(keys);
        Map<String, Long> previous = rollups.over(w.previous()).by(keys).stream()
                .collect(Collectors.toMap(key, RollupRow::costMicros, Long::sum));
        long total = rows.stream().mapToLong(RollupRow::costMicros).sum();
        RankedPage<RollupRow> page = RankedPage.of(rows, pageSize, pageToken, RollupRow::costMicros, key);
        List<CostBreakdownItem> items = page.rows().stream().map(r -> CostBreakdownItem.newBuilder()
                .setValue(keys[0].equals("model") ? r.model() : r.feature())
                .setProvider(keys[0].equals("model") ? r.provider() : "")
                .setCostMicros(r.costMicros()).setRuns(r.runs()).setSuccessfulRuns(r.successfulRuns())
                .setInputTokens(r.inputTokens()).setOutputTokens(r.outputTokens()).setTotalTokens(r.totalTokens())
                .setShareRatio(Rollups.ratio(r.costMicros(), total))
                .setCostPerSuccessfulRunMicros(Rollups.perSuccess(r.costMicros(), r.successfulRuns()))
                .setPreviousPeriodCostMicros(previous.getOrDefault(key.apply(r), 0L))
                .build()).toList();
        return new Breakdown(items, page.nextPageToken(), total);
    }

    GetCostTrendResponse trend(Principal caller, GetCostTrendRequest req) {
        RollupFilter f = RollupFilter.of(req.getModel(), req.getProvider(), req.getFeature(), req.getEnvironment());
        Dimension groupBy = Validate.enumValue("group_by", req.getGroupBy(), false);
        String key = switch (groupBy) {
            case DIMENSION_UNSPECIFIED -> null;
            case MODEL -> "model";
            case PROVIDER -> "provider";
            case FEATURE -> "feature";
            case ENVIRONMENT -> "environment";
            default -> throw Errors.invalid("group_by", "must be MODEL, PROVIDER, FEATURE or ENVIRONMENT "
                                                        + "(the dimensions the rollups keep)");
        };
        return database.read(s -> {
            AnalyticsWindow w = window(s, caller, req.hasStartTime(), req.getStartTime(), req.hasEndTime(),
                                       req.getEndTime(), req.getGranularity());
            Rollups rollups = new Rollups(s, caller.tenantId(), w, f);
            GetCostTrendResponse.Builder out = GetCostTrendResponse.newBuilder().setGranularity(w.granularity());
            if (key == null) {
                rollups.totalSeries(w.granularity()).values().forEach(r -> out.addPoints(point(r, "")));
                out.setTotalCostMicros(out.getPointsList().stream().mapToLong(CostTrendPoint::getCostMicros).sum());
                return out.build();
            }
            Function<RollupRow, String> value = switch (key) {
                case "model" -> RollupRow::model;
                case "provider" -> RollupRow::provider;
                case "feature" -> RollupRow::feature;
                default -> RollupRow::environment;
            };
            Map<String, Map<Instant, RollupRow>> byGroup = new java.util.TreeMap<>();
            for (RollupRow r : rollups.series(w.granularity(), key)) {
                byGroup.computeIfAbsent(value.apply(r), g -> {
                    Map<Instant, RollupRow> m = new java.util.LinkedHashMap<>();
                    w.buckets().forEach(b -> m.put(b, RollupRow.empty(b)));
                    return m;
                }).merge(r.bucket(), r, RollupRow::plus);
            }
            long total = 0;
            for (Instant b : w.buckets()) {
                for (Map.Entry<String, Map<Instant, RollupRow>> g : byGroup.entrySet()) {
                    RollupRow r = g.getValue().get(b);
                    out.addPoints(point(r, g.getKey()));
                    total += r.costMicros();
                }
            }
            return out.setTotalCostMicros(total).build();
        });
    }

    static CostTrendPoint point(RollupRow r, String group) {
        return CostTrendPoint.newBuilder().setBucketStartTime(Times.ts(r.bucket())).setGroup(group)
                .setCostMicros(r.costMicros()).setRuns(r.runs()).setSuccessfulRuns(r.successfulRuns())
                .setTotalTokens(r.totalTokens()).build();
    }

    private static Optional<RollupRow> top(List<RollupRow> rows, Function<RollupRow, String> key) {
        return rows.stream().min(Comparator.comparingLong(RollupRow::costMicros).reversed()
                                         .thenComparing(key));
    }

    AnalyticsWindow window(org.apache.ibatis.session.SqlSession s, Principal caller, boolean hasStart,
                           Timestamp start, boolean hasEnd, Timestamp end, Granularity g) {
        ZoneId zone = TenantZones.of(s, caller.tenantId());
        return AnalyticsWindow.of(hasStart, start, hasEnd, end, g, zone, clock);
    }
}
