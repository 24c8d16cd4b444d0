package dev.govcon.server.analytics;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

import dev.govcon.proto.v1.DimensionBucket;
import dev.govcon.proto.v1.Granularity;

/** Reads of {@code run_rollups_hourly} for one tenant, window and filter. */
final class Rollups {
    private final AnalyticsMapper mapper;
    private final UUID tenantId;
    private final AnalyticsWindow window;
    private final RollupFilter filter;

    Rollups(SqlSession s, UUID tenantId, AnalyticsWindow window, RollupFilter filter) {
        this.mapper = s.getMapper(AnalyticsMapper.class);
        this.tenantId = tenantId;
        this.window = window;
        this.filter = filter;
    }

    Rollups over(AnalyticsWindow w) {
        return new Rollups(mapper, tenantId, w, filter);
    }

    private Rollups(AnalyticsMapper mapper, UUID tenantId, AnalyticsWindow window, RollupFilter filter) {
        this.mapper = mapper;
        this.tenantId = tenantId;
        this.window = window;
        this.filter = filter;
    }

    RollupRow total() {
        return RollupRow.sum(mapper.rollups(tenantId, window.start(), window.end(), filter, zone(), null, List.of()));
    }

    /** Totals per combination of {@code keys}. */
    List<RollupRow> by(String... keys) {
        return mapper.rollups(tenantId, window.start(), window.end(), filter, zone(), null, List.of(keys));
    }

    /** Totals per bucket of {@code g} (and per combination of {@code keys}). */
    List<RollupRow> series(Granularity g, String... keys) {
        return mapper.rollups(tenantId, window.start(), window.end(), filter, zone(), AnalyticsWindow.unit(g),
                              List.of(keys));
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
