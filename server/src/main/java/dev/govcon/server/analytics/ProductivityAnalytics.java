package dev.govcon.server.analytics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.ibatis.session.SqlSession;

import com.google.protobuf.Duration;

import dev.govcon.proto.v1.Dimension;
import dev.govcon.proto.v1.EfficiencyRow;
import dev.govcon.proto.v1.FeatureSavedTime;
import dev.govcon.proto.v1.GetEfficiencyRequest;
import dev.govcon.proto.v1.GetEfficiencyResponse;
import dev.govcon.proto.v1.GetProductivityTrendRequest;
import dev.govcon.proto.v1.GetProductivityTrendResponse;
import dev.govcon.proto.v1.GetSavedTimeRequest;
import dev.govcon.proto.v1.GetSavedTimeResponse;
import dev.govcon.proto.v1.Granularity;
import dev.govcon.proto.v1.ProductivityTrendPoint;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.wire.Times;

/**
 * Usage -> Productivity: time saved (successful runs x the feature's setting), efficiency and
 * their trend, from the hourly rollups. Features without a setting are listed apart, never
 * given a guessed value. Retries are the runs whose SDK named the run they retried
 * ({@code retry_of_run_id}).
 */
final class ProductivityAnalytics {
    private final Database database;
    private final CostAnalytics windows;

    ProductivityAnalytics(Database database, CostAnalytics windows) {
        this.database = database;
        this.windows = windows;
    }

    GetSavedTimeResponse savedTime(Principal caller, GetSavedTimeRequest req) {
        RollupFilter f = RollupFilter.of(req.getModel(), req.getProvider(), req.getFeature(), req.getEnvironment());
        return database.read(s -> {
            AnalyticsWindow w = windows.window(s, caller, req.hasStartTime(), req.getStartTime(), req.hasEndTime(),
                                               req.getEndTime(), Granularity.DAY);
            Map<String, Long> settings = settings(s, caller);
            List<FeatureSavedTime> saved = new ArrayList<>();
            GetSavedTimeResponse.Builder out = GetSavedTimeResponse.newBuilder()
                    .setStartTime(Times.ts(w.start())).setEndTime(Times.ts(w.end()));
            long totalSeconds = 0;
            List<RollupRow> rows = new Rollups(s, caller.tenantId(), w, f).by("feature");
            for (RollupRow r : rows) {
                Long perRun = settings.get(r.feature());
                if (perRun == null) {
                    continue;
                }
                long seconds = r.successfulRuns() * perRun;
                totalSeconds += seconds;
                saved.add(FeatureSavedTime.newBuilder().setFeature(r.feature())
                        .setSuccessfulRuns(r.successfulRuns()).setTimeSavedPerRun(seconds(perRun))
                        .setSavedTime(seconds(seconds)).setCostMicros(r.costMicros())
                        .setCostPerSavedHourMicros(seconds == 0 ? 0 : r.costMicros() * 3600 / seconds)
                        .build());
            }
            saved.sort(Comparator.comparingLong((FeatureSavedTime t) -> t.getSavedTime().getSeconds()).reversed()
                               .thenComparing(FeatureSavedTime::getFeature));
            rows.stream().filter(r -> !settings.containsKey(r.feature()))
                    .sorted(Comparator.comparingLong(RollupRow::costMicros).reversed().thenComparing(RollupRow::feature))
                    .forEach(r -> out.addFeaturesWithoutSetting(Rollups.bucket(r.feature(), r)));
            return out.addAllFeatures(saved).setTotalSavedTime(seconds(totalSeconds)).build();
        });
    }

    GetEfficiencyResponse efficiency(Principal caller, GetEfficiencyRequest req) {
        RollupFilter f = RollupFilter.of(req.getModel(), req.getProvider(), req.getFeature(), req.getEnvironment());
        Dimension groupBy = Validate.enumValue("group_by", req.getGroupBy(), false);
        String[] keys = switch (groupBy) {
            case DIMENSION_UNSPECIFIED -> new String[] {"feature", "model"};
            case FEATURE -> new String[] {"feature"};
            case MODEL -> new String[] {"model"};
            default -> throw Errors.invalid("group_by", "must be FEATURE or MODEL (or unset for both)");
        };
        return database.read(s -> {
            AnalyticsWindow w = windows.window(s, caller, req.hasStartTime(), req.getStartTime(), req.hasEndTime(),
                                               req.getEndTime(), Granularity.DAY);
            Rollups rollups = new Rollups(s, caller.tenantId(), w, f);
            Function<RollupRow, String> key = r -> (r.feature() == null ? "" : r.feature()) + "\u0000"
                                                   + (r.model() == null ? "" : r.model());
            RankedPage<RollupRow> page = RankedPage.of(rollups.by(keys), req.getPageSize(), req.getPageToken(),
                                                       RollupRow::costMicros, key);
            GetEfficiencyResponse.Builder out = GetEfficiencyResponse.newBuilder()
                    .setNextPageToken(page.nextPageToken()).setTotal(efficiency(rollups.total()));
            page.rows().forEach(r -> out.addRows(efficiency(r)));
            return out.build();
        });
    }

    private static EfficiencyRow efficiency(RollupRow r) {
        return EfficiencyRow.newBuilder()
                .setFeature(r.feature() == null ? "" : r.feature()).setModel(r.model() == null ? "" : r.model())
                .setRuns(r.runs()).setSuccessfulRuns(r.successfulRuns())
                .setSuccessRate(Rollups.ratio(r.successfulRuns(), r.runs()))
                .setCostMicros(r.costMicros())
                .setCostPerSuccessfulRunMicros(Rollups.perSuccess(r.costMicros(), r.successfulRuns()))
                .setTokensPerSuccessfulRun(r.successfulRuns() == 0 ? 0 : (double) r.totalTokens() / r.successfulRuns())
                .setAverageLatency(millis(r.runs() == 0 ? 0 : r.latencyMsSum() / r.runs()))
                .setRetries(r.retries())
                .build();
    }

    GetProductivityTrendResponse trend(Principal caller, GetProductivityTrendRequest req) {
        RollupFilter f = RollupFilter.of(req.getModel(), req.getProvider(), req.getFeature(), req.getEnvironment());
        return database.read(s -> {
            AnalyticsWindow w = windows.window(s, caller, req.hasStartTime(), req.getStartTime(), req.hasEndTime(),
                                               req.getEndTime(), req.getGranularity());
            Map<String, Long> settings = settings(s, caller);
            Map<Instant, RollupRow> totals = new LinkedHashMap<>();
            Map<Instant, Long> saved = new HashMap<>();
            w.buckets().forEach(b -> totals.put(b, RollupRow.empty(b)));
            for (RollupRow r : new Rollups(s, caller.tenantId(), w, f).series(w.granularity(), "feature")) {
                totals.merge(r.bucket(), r, RollupRow::plus);
                Long perRun = settings.get(r.feature());
                if (perRun != null) {
                    saved.merge(r.bucket(), r.successfulRuns() * perRun, Long::sum);
                }
            }
            GetProductivityTrendResponse.Builder out = GetProductivityTrendResponse.newBuilder()
                    .setGranularity(w.granularity());
            totals.forEach((b, r) -> out.addPoints(ProductivityTrendPoint.newBuilder()
                    .setBucketStartTime(Times.ts(b)).setRuns(r.runs()).setSuccessfulRuns(r.successfulRuns())
                    .setSuccessRate(Rollups.ratio(r.successfulRuns(), r.runs()))
                    .setSavedTime(seconds(saved.getOrDefault(b, 0L)))
                    .setCostMicros(r.costMicros())
                    .setCostPerSuccessfulRunMicros(Rollups.perSuccess(r.costMicros(), r.successfulRuns()))
                    .setTokensPerSuccessfulRun(r.successfulRuns() == 0 ? 0
                                                       : (double) r.totalTokens() / r.successfulRuns())));
            return out.build();
        });
    }

    /** Seconds saved per successful run, by feature. */
    private static Map<String, Long> settings(SqlSession s, Principal caller) {
        Map<String, Long> out = new HashMap<>();
        s.getMapper(AnalyticsMapper.class).settings(caller.tenantId(), null, 0)
                .forEach(r -> out.put(r.feature(), r.timeSavedSeconds()));
        return out;
    }

    static Duration seconds(long s) {
        return Duration.newBuilder().setSeconds(s).build();
    }

    static Duration millis(long ms) {
        return Duration.newBuilder().setSeconds(ms / 1000).setNanos((int) (ms % 1000) * 1_000_000).build();
    }
}
