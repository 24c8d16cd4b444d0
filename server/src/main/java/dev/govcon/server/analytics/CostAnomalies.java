package dev.govcon.server.analytics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.govcon.proto.v1.CostAnomaly;
import dev.govcon.proto.v1.Dimension;
import dev.govcon.proto.v1.Granularity;
import dev.govcon.proto.v1.ListCostAnomaliesRequest;
import dev.govcon.proto.v1.ListCostAnomaliesResponse;
import dev.govcon.proto.v1.Severity;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.signals.AnomalyRules;
import dev.govcon.server.stats.RobustScore;
import dev.govcon.server.wire.Times;

/**
 * Hourly cost anomalies per model, provider and feature, by the rule of the activity
 * anomalies (signals): each hour's cost is scored with {@link RobustScore} against the same
 * hour of up to {@value #BASELINE_DAYS} previous days (hours before the tenant's first rollup
 * are not history; at least {@value #MIN_BASELINE_DAYS} days are needed), with a scale floor
 * of 1 cent; an hour is anomalous when |score| reaches the threshold (default 3.5, either
 * direction). Severity by |score|: 20 CRITICAL, 10 HIGH, 6 MEDIUM, else LOW. Computed on
 * request from the hourly rollups, so the request's filters (environment included) apply.
 */
final class CostAnomalies {
    // The rules of the signals job's anomalies, so both pages flag the same hours.
    static final int BASELINE_DAYS = AnomalyRules.BASELINE_DAYS;
    static final int MIN_BASELINE_DAYS = AnomalyRules.MIN_BASELINE_DAYS;
    static final double COST_FLOOR_MICROS = AnomalyRules.floor("COST");
    private static final Dimension[] DIMENSIONS = {Dimension.MODEL, Dimension.PROVIDER, Dimension.FEATURE};

    private final Database database;
    private final CostAnalytics windows;

    CostAnomalies(Database database, CostAnalytics windows) {
        this.database = database;
        this.windows = windows;
    }

    private record Found(CostAnomaly anomaly, long rank, String key) {
    }

    ListCostAnomaliesResponse list(Principal caller, ListCostAnomaliesRequest req) {
        RollupFilter f = RollupFilter.of(req.getModel(), req.getProvider(), req.getFeature(), req.getEnvironment());
        Dimension only = Validate.enumValue("dimension", req.getDimension(), false);
        if (only != Dimension.DIMENSION_UNSPECIFIED && only != Dimension.MODEL && only != Dimension.PROVIDER
            && only != Dimension.FEATURE) {
            throw Errors.invalid("dimension", "must be MODEL, PROVIDER or FEATURE (or unset for all three)");
        }
        double threshold = req.getMinScore() == 0 ? RobustScore.OUTLIER_THRESHOLD : req.getMinScore();
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
            throw Errors.invalid("min_score", "must be a positive number (0 for the default, "
                                              + RobustScore.OUTLIER_THRESHOLD + ")");
        }
        List<Found> found = database.read(s -> {
            AnalyticsWindow w = windows.window(s, caller, req.hasStartTime(), req.getStartTime(), req.hasEndTime(),
                                               req.getEndTime(), Granularity.DAY);
            Instant first = s.getMapper(AnalyticsMapper.class).firstHour(caller.tenantId());
            if (first == null) {
                return List.of();
            }
            // Hourly series in UTC (rollup hours as they are), the baseline days before the window included.
            AnalyticsWindow hours = new AnalyticsWindow(w.start().minus(Duration.ofDays(BASELINE_DAYS)), w.end(),
                                                        TenantZones.UTC, Granularity.HOUR);
            Map<Dimension, Map<String, Map<Instant, Long>>> series = new HashMap<>();
            for (RollupRow r : new Rollups(s, caller.tenantId(), hours, f).series(Granularity.HOUR, "model", "provider",
                                                                                  "feature")) {
                for (Dimension d : DIMENSIONS) {
                    String key = d == Dimension.MODEL ? r.model() : d == Dimension.PROVIDER ? r.provider() : r.feature();
                    series.computeIfAbsent(d, x -> new TreeMap<>()).computeIfAbsent(key, x -> new HashMap<>())
                            .merge(r.bucket(), r.costMicros(), Long::sum);
                }
            }
            List<Found> out = new ArrayList<>();
            for (Instant hour : w.buckets(Granularity.HOUR)) {
                List<Instant> baseline = new ArrayList<>();
                for (int d = 1; d <= BASELINE_DAYS; d++) {
                    Instant h = hour.minus(Duration.ofDays(d));
                    if (!h.isBefore(first)) {
                        baseline.add(h);
                    }
                }
                if (baseline.size() < MIN_BASELINE_DAYS) {
                    continue;
                }
                for (Dimension d : DIMENSIONS) {
                    if (only != Dimension.DIMENSION_UNSPECIFIED && only != d) {
                        continue;
                    }
                    series.getOrDefault(d, Map.of()).forEach((key, costs) -> {
                        double[] history = baseline.stream().mapToDouble(h -> costs.getOrDefault(h, 0L)).toArray();
                        long observed = costs.getOrDefault(hour, 0L);
                        RobustScore score = RobustScore.of(history, observed, COST_FLOOR_MICROS);
                        if (score.exceeds(threshold)) {
                            out.add(found(caller.tenantId(), hour, d, key, observed, score));
                        }
                    });
                }
            }
            return out;
        });
        RankedPage<Found> page = RankedPage.of(found, req.getPageSize(), req.getPageToken(), Found::rank, Found::key);
        return ListCostAnomaliesResponse.newBuilder()
                .addAllAnomalies(page.rows().stream().map(Found::anomaly).toList())
                .setNextPageToken(page.nextPageToken()).build();
    }

    private static Found found(UUID tenantId, Instant hour, Dimension d, String key, long observed, RobustScore s) {
        String id = UUID.nameUUIDFromBytes((tenantId + "|COST|" + d.name() + "|" + key + "|" + hour.getEpochSecond())
                                                   .getBytes(StandardCharsets.UTF_8)).toString();
        CostAnomaly a = CostAnomaly.newBuilder().setId(id).setBucketStartTime(Times.ts(hour)).setDimension(d)
                .setDimensionKey(key).setObservedCostMicros(observed).setExpectedCostMicros(Math.round(s.median()))
                .setScore(s.score()).setSeverity(severity(s.score())).build();
        // Highest |score| first; ties by hour, then dimension and key.
        return new Found(a, Math.round(Math.abs(s.score()) * 1_000_000),
                         String.format("%020d|%s|%s", hour.getEpochSecond(), d.name(), key));
    }

    static Severity severity(double score) {
        return Severity.valueOf(AnomalyRules.severity(score));
    }
}
