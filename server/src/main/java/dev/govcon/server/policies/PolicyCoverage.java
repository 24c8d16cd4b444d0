package dev.govcon.server.policies;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import dev.govcon.proto.v1.DimensionBucket;
import dev.govcon.proto.v1.GetPolicyCoverageRequest;
import dev.govcon.proto.v1.GetPolicyCoverageResponse;
import dev.govcon.server.activity.TimeWindow;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.wire.Times;

/**
 * What share of the window's runs, features and models the currently active controls govern.
 *
 * <ul>
 * <li>The controls that govern are the ACTIVE rules whose enforcement is ENFORCED and the
 *     ACTIVE limits. A control governs a run when its scope matches the run
 *     ({@link ControlScope#matches}); a run is governed when at least one control governs it.
 * <li>A feature (model) is governed when every one of its runs in the window is governed.
 *     The ungoverned lists give, for each feature (model) that is not, the runs, tokens (all
 *     classes) and spend that no control governs, highest spend first.
 * <li>The window (default the last 30 days) is read from the hourly rollups, so it is widened
 *     to the whole hours it overlaps (the response says which). Scopes on feature, model,
 *     provider and environment are decided on the rollups. Scopes that name an end user or an
 *     API key, which the rollups do not keep, are matched against the run records of the same
 *     hours, for the runs no rollup-decided scope already governs: exact either way.
 * </ul>
 */
final class PolicyCoverage {
    static final Duration DEFAULT_WINDOW = Duration.ofDays(30);

    private final Database database;
    private final Clock clock;

    PolicyCoverage(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Runs, tokens and spend: all, and the governed part. */
    private static final class Tally {
        long runs;
        long tokens;
        long cost;
        long governedRuns;
        long governedTokens;
        long governedCost;

        void add(CoverageGroupRow all, CoverageGroupRow governed) {
            runs += all.runs();
            tokens += all.totalTokens();
            cost += all.costMicros();
            if (governed != null) {
                governedRuns += governed.runs();
                governedTokens += governed.totalTokens();
                governedCost += governed.costMicros();
            }
        }

        boolean governed() {
            return governedRuns == runs;
        }
    }

    GetPolicyCoverageResponse coverage(Principal caller, GetPolicyCoverageRequest req) {
        TimeWindow w = TimeWindow.of(req.hasStartTime(), req.getStartTime(), req.hasEndTime(), req.getEndTime(),
                                     DEFAULT_WINDOW, clock).toHours();
        return database.read(s -> {
            CoverageMapper m = s.getMapper(CoverageMapper.class);
            List<ControlScope> scopes = m.activeScopes(caller.tenantId());
            List<ControlScope> wide = scopes.stream()
                    .filter(c -> c.endUser().isEmpty() && c.apiKeyId().isEmpty()).toList();
            List<ControlScope> narrow = scopes.stream().filter(c -> !wide.contains(c)).toList();
            List<CoverageGroupRow> groups = m.rollupGroups(caller.tenantId(), w.start(), w.end());
            Map<ControlScope, CoverageGroupRow> matched = new HashMap<>();
            if (!narrow.isEmpty()) {
                s.getMapper(SimulationMapper.class).replaySettings();
                m.matchedGroups(caller.tenantId(), w.start(), w.end(), narrow)
                        .forEach(g -> matched.put(g.scope(), g));
            }
            Tally all = new Tally();
            Map<String, Tally> features = new TreeMap<>();
            Map<String, Tally> models = new TreeMap<>();
            for (CoverageGroupRow g : groups) {
                boolean whole = wide.stream().anyMatch(c -> c.matches(g.scope()));
                CoverageGroupRow governed = whole ? g : matched.get(g.scope());
                all.add(g, governed);
                features.computeIfAbsent(g.feature(), k -> new Tally()).add(g, governed);
                models.computeIfAbsent(g.model(), k -> new Tally()).add(g, governed);
            }
            GetPolicyCoverageResponse.Builder out = GetPolicyCoverageResponse.newBuilder()
                    .setStartTime(Times.ts(w.start())).setEndTime(Times.ts(w.end()))
                    .setActiveControlCount(scopes.size())
                    .setTotalRuns(all.runs).setGovernedRuns(all.governedRuns)
                    .setRunsGovernedRatio(ratio(all.governedRuns, all.runs))
                    .setTotalCostMicros(all.cost).setGovernedCostMicros(all.governedCost)
                    .setCostGovernedRatio(ratio(all.governedCost, all.cost));
            long governedFeatures = features.values().stream().filter(Tally::governed).count();
            long governedModels = models.values().stream().filter(Tally::governed).count();
            return out.setTotalFeatures(features.size()).setGovernedFeatures(governedFeatures)
                    .setFeaturesGovernedRatio(ratio(governedFeatures, features.size()))
                    .setTotalModels(models.size()).setGovernedModels(governedModels)
                    .setModelsGovernedRatio(ratio(governedModels, models.size()))
                    .addAllUngovernedFeatures(ungoverned(features))
                    .addAllUngovernedModels(ungoverned(models))
                    .build();
        });
    }

    private static List<DimensionBucket> ungoverned(Map<String, Tally> byValue) {
        Function<Map.Entry<String, Tally>, DimensionBucket> bucket = e -> DimensionBucket.newBuilder()
                .setValue(e.getKey())
                .setRuns(e.getValue().runs - e.getValue().governedRuns)
                .setTotalTokens(e.getValue().tokens - e.getValue().governedTokens)
                .setCostMicros(e.getValue().cost - e.getValue().governedCost)
                .build();
        return byValue.entrySet().stream().filter(e -> !e.getValue().governed()).map(bucket)
                .sorted(Comparator.comparingLong(DimensionBucket::getCostMicros).reversed()
                                .thenComparing(Comparator.comparingLong(DimensionBucket::getRuns).reversed())
                                .thenComparing(DimensionBucket::getValue))
                .toList();
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }
}
