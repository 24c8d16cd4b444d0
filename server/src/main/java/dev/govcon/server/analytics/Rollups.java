package dev.govcon.server.analytics;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

import dev.govcon.proto.v1.DimensionBucket;
import dev.govcon.proto.v1.Granularity;

/**
 * Reads of the run rollups for one tenant, window and filter: whole local days that the daily
 * job folded from {@code run_rollups_daily}, the rest from {@code run_rollups_hourly}
 * ({@link RollupPlan}); hour buckets always from the hourly rows. Reads grouped by model and
 * provider at most, and not filtered by feature or environment, take the narrow rows where the
 * job wrote them ({@link RollupPlan#narrowed}).
 */
final class Rollups {
    private final AnalyticsMapper mapper;
    private final UUID tenantId;
    private final AnalyticsWindow window;
    private final RollupFilter filter;
    private final Coverage coverage;

    /** The tenant's {@link RollupCoverage}, read once for every window of a request. */
    private static final class Coverage {
        private RollupCoverage loaded;
    }

    Rollups(SqlSession s, UUID tenantId, AnalyticsWindow window, RollupFilter filter) {
        this(s.getMapper(AnalyticsMapper.class), tenantId, window, filter, new Coverage());
    }

    Rollups over(AnalyticsWindow w) {
        return new Rollups(mapper, tenantId, w, filter, coverage);
    }

    private Rollups(AnalyticsMapper mapper, UUID tenantId, AnalyticsWindow window, RollupFilter filter,
                    Coverage coverage) {
        this.mapper = mapper;
        this.tenantId = tenantId;
        this.window = window;
        this.filter = filter;
        this.coverage = coverage;
    }

    RollupRow total() {
        return RollupRow.sum(mapper.rollups(tenantId, plan(List.of()), filter, zone(), null, List.of()));
    }

    /** Totals per combination of {@code keys}. */
    List<RollupRow> by(String... keys) {
        return mapper.rollups(tenantId, plan(List.of(keys)), filter, zone(), null, List.of(keys));
    }

    /** Totals per bucket of {@code g} (and per combination of {@code keys}). */
    List<RollupRow> series(Granularity g, String... keys) {
        return mapper.rollups(tenantId, plan(g, List.of(keys)), filter, zone(), AnalyticsWindow.unit(g), List.of(keys));
    }

    private RollupPlan plan(List<String> keys) {
        return plan(Granularity.DAY, keys);
    }

    /** Hour buckets read hours only; the narrow rows wherever the keys and the filter allow. */
    private RollupPlan plan(Granularity g, List<String> keys) {
        boolean narrow = RollupPlan.narrowFits(keys, filter.feature(), filter.environment());
        if (g == Granularity.HOUR && !narrow) {
            return RollupPlan.hourly(window.start(), window.end());
        }
        if (coverage.loaded == null) {
            coverage.loaded = RollupCoverage.load(mapper, tenantId);
        }
        RollupCoverage c = coverage.loaded;
        RollupPlan plan = g == Granularity.HOUR ? RollupPlan.hourly(window.start(), window.end())
                : RollupPlan.of(window.start(), window.end(), window.zone(), c.state(), c.dirtyUtc());
        return narrow ? plan.narrowed(c.state(), c.dirtyUtc()) : plan;
    }

    /** One total per bucket of {@code g}, every bucket of the window included (zeros when empty). */
    Map<Instant, RollupRow> totalSeries(Granularity g) {
        Map<Instant, RollupRow> out = new LinkedHashMap<>();
        window.buckets(g).forEach(b -> out.put(b, RollupRow.empty(b)));
        for (RollupRow r : series(g)) {
            out.merge(r.bucket(), r, RollupRow::plus);
        }
        return out;
    }

    private String zone() {
        return window.zone().getId();
    }

    static DimensionBucket bucket(String value, RollupRow r) {
        return DimensionBucket.newBuilder().setValue(value == null ? "" : value).setRuns(r.runs())
                .setTotalTokens(r.totalTokens()).setCostMicros(r.costMicros()).build();
    }

    static double ratio(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    static long perSuccess(long value, long successfulRuns) {
        return successfulRuns == 0 ? 0 : value / successfulRuns;
    }
}
