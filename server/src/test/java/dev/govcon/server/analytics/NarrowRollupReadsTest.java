package dev.govcon.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.govcon.proto.v1.Dimension;
import dev.govcon.proto.v1.GetAnalyticsCostSummaryRequest;
import dev.govcon.proto.v1.GetCostByFeatureRequest;
import dev.govcon.proto.v1.GetCostByModelRequest;
import dev.govcon.proto.v1.GetCostSummaryRequest;
import dev.govcon.proto.v1.GetCostTrendRequest;
import dev.govcon.proto.v1.GetEfficiencyRequest;
import dev.govcon.proto.v1.GetHighlightsRequest;
import dev.govcon.proto.v1.GetHighlightsResponse;
import dev.govcon.proto.v1.Granularity;
import dev.govcon.proto.v1.RecordRunsRequest;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.activity.ingest.RunIngestor;
import dev.govcon.server.activity.pricing.PriceBook;
import dev.govcon.server.analytics.RawRuns.Agg;
import dev.govcon.server.demo.HistoryGenerator;
import dev.govcon.server.jobs.DailyRollupJob;
import dev.govcon.server.jobs.RollupHorizons;
import dev.govcon.server.jobs.RunOutcome;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.wire.Times;

/**
 * The narrow rollups (V18: model, provider, status): on a generated history in a half-hour zone
 * and a DST zone, the job's narrow rows equal the sums of the wide ones; every answer is the same
 * before the job ran (wide hourly rows only), after it (narrow rows where they fit), and with the
 * narrow rows dropped (wide rows only) and rebuilt; reads filtered or grouped by feature or
 * environment never touch them; late runs and a zone change are counted at once and after the
 * refold.
 */
class NarrowRollupReadsTest {
    static RunningServer server;
    static RunFixtures fx;
    static Instant now;
    static final Map<String, RunningServer.Tenant> TENANTS = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        fx = new RunFixtures(server.database.dataSource());
        now = server.clock.instant();
        List<UUID> ids = new ArrayList<>();
        for (String zone : List.of("Asia/Kolkata", "America/New_York")) {
            RunningServer.Tenant t = server.newTenant("Narrow " + zone);
            fx.update("UPDATE tenants SET time_zone = ? WHERE tenant_id = ?", zone, id(t));
            TENANTS.put(zone, t);
            ids.add(id(t));
        }
        try (RunIngestor ingestor = new RunIngestor(server.database, server.clock, new PriceBook(server.database))) {
            new HistoryGenerator(ingestor, server.clock).load(ids, 12, 150, 5);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static UUID id(RunningServer.Tenant t) {
        return UUID.fromString(t.id());
    }

    static void fold() {
        assertThat(server.server.jobs().runNow(DailyRollupJob.NAME).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    }

    /** Windows with partial days at both ends, one ending now (its last hours are wide hourly rows). */
    static List<Instant[]> windows() {
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        return List.of(new Instant[] {hour.minus(Duration.ofDays(10)), hour.plus(Duration.ofHours(1))},
                       new Instant[] {hour.minus(Duration.ofDays(6)).plus(Duration.ofHours(5)), hour.minus(Duration.ofHours(30))});
    }

    /** Every answer that may read narrow rows, and some that must not, as text. */
    static List<String> answers(RunningServer.Tenant t) {
        List<String> out = new ArrayList<>();
        try (GovconClient c = server.grpc(t.ownerKey())) {
            for (Instant[] w : windows()) {
                for (String[] f : List.of(new String[] {"", "", ""}, new String[] {"openai", "", ""},
                                          new String[] {"", "search", ""}, new String[] {"", "", "production"})) {
                    out.add(c.analytics().getAnalyticsCostSummary(GetAnalyticsCostSummaryRequest.newBuilder()
                            .setStartTime(Times.ts(w[0])).setEndTime(Times.ts(w[1])).setProvider(f[0])
                            .setFeature(f[1]).setEnvironment(f[2]).build()).toString());
                    out.add(c.analytics().getCostByModel(GetCostByModelRequest.newBuilder()
                            .setStartTime(Times.ts(w[0])).setEndTime(Times.ts(w[1])).setPageSize(1000)
                            .setProvider(f[0]).setFeature(f[1]).setEnvironment(f[2]).build()).toString());
                }
                out.add(c.analytics().getAnalyticsCostSummary(GetAnalyticsCostSummaryRequest.newBuilder()
                        .setStartTime(Times.ts(w[0])).setEndTime(Times.ts(w[1])).setModel("gpt-4o").build()).toString());
                out.add(c.analytics().getCostByFeature(GetCostByFeatureRequest.newBuilder()
                        .setStartTime(Times.ts(w[0])).setEndTime(Times.ts(w[1])).setPageSize(1000).build()).toString());
                for (Granularity g : List.of(Granularity.DAY, Granularity.WEEK)) {
                    for (Dimension d : List.of(Dimension.DIMENSION_UNSPECIFIED, Dimension.MODEL, Dimension.PROVIDER,
                                               Dimension.FEATURE)) {
                        out.add(c.analytics().getCostTrend(GetCostTrendRequest.newBuilder().setStartTime(Times.ts(w[0]))
                                .setEndTime(Times.ts(w[1])).setGranularity(g).setGroupBy(d).build()).toString());
                    }
                }
                out.add(c.analytics().getEfficiency(GetEfficiencyRequest.newBuilder().setStartTime(Times.ts(w[0]))
                        .setEndTime(Times.ts(w[1])).setPageSize(1000).build()).toString());
            }
            Instant hour = now.truncatedTo(ChronoUnit.HOURS);
            out.add(c.analytics().getCostTrend(GetCostTrendRequest.newBuilder()
                    .setStartTime(Times.ts(hour.minus(Duration.ofHours(40)))).setEndTime(Times.ts(hour.plus(Duration.ofHours(1))))
                    .setGranularity(Granularity.HOUR).setGroupBy(Dimension.MODEL).build()).toString());
            out.add(c.overview().getHighlights(GetHighlightsRequest.getDefaultInstance()).toString());
            out.add(c.overview().getCostSummary(GetCostSummaryRequest.getDefaultInstance()).toString());
        }
        return out;
    }

    /** Narrow rows that differ from the sums of the wide rows they stand for (hours before models_hourly_until, folded days). */
    static long narrowRowsNotMatchingWideSums(UUID tenant) {
        String measures = "runs, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,"
                          + " cost_micros, cost_unknown_runs, latency_ms_sum, retries";
        String sums = "sum(runs), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens),"
                      + " sum(cache_write_tokens), sum(reasoning_tokens), sum(cost_micros), sum(cost_unknown_runs),"
                      + " sum(latency_ms_sum), sum(retries)";
        String wideHours = "SELECT hour, model, provider, status, " + sums + " FROM run_rollups_hourly"
                           + " WHERE tenant_id = '" + tenant + "' AND hour < (SELECT models_hourly_until"
                           + " FROM rollup_daily_state WHERE tenant_id = '" + tenant + "') GROUP BY 1, 2, 3, 4";
        String narrowHours = "SELECT hour, model, provider, status, " + measures
                             + " FROM run_rollups_hourly_models WHERE tenant_id = '" + tenant + "'";
        String wideDays = "SELECT day, model, provider, status, " + sums + " FROM run_rollups_daily"
                          + " WHERE tenant_id = '" + tenant + "' GROUP BY 1, 2, 3, 4";
        String narrowDays = "SELECT day, model, provider, status, " + measures
                            + " FROM run_rollups_daily_models WHERE tenant_id = '" + tenant + "'";
        return fx.queryLong("SELECT count(*) FROM ((" + wideHours + " EXCEPT " + narrowHours + ") UNION ALL ("
                            + narrowHours + " EXCEPT " + wideHours + ") UNION ALL (" + wideDays + " EXCEPT "
                            + narrowDays + ") UNION ALL (" + narrowDays + " EXCEPT " + wideDays + ")) x");
    }

    static void assertNarrowRowsAreTheWideSums(RunningServer.Tenant t) {
        UUID id = id(t);
        assertThat(fx.queryLong("SELECT extract(epoch FROM models_hourly_until)::bigint FROM rollup_daily_state"
                                + " WHERE tenant_id = ?", id))
                .isEqualTo(RollupHorizons.foldBefore(now).getEpochSecond());
        assertThat(fx.queryLong("SELECT count(*) FROM run_rollups_hourly_models WHERE tenant_id = ?", id)).isPositive();
        assertThat(fx.queryLong("SELECT count(*) FROM run_rollups_daily_models WHERE tenant_id = ?", id)).isPositive();
        assertThat(narrowRowsNotMatchingWideSums(id)).as(t.id()).isZero();
    }

    /** Drops the tenant's narrow rows as before V18: reads then use the wide rows only. */
    static void dropNarrowRows(UUID tenant) {
        fx.update("DELETE FROM run_rollups_hourly_models WHERE tenant_id = ?", tenant);
        fx.update("DELETE FROM run_rollups_daily_models WHERE tenant_id = ?", tenant);
        fx.update("UPDATE rollup_daily_state SET models_hourly_until = NULL WHERE tenant_id = ?", tenant);
    }

    /** The answers with the narrow rows equal those without (dropped), and after the job rebuilt them. */
    static void assertSameWithAndWithoutNarrowRows(RunningServer.Tenant t) {
        List<String> narrow = answers(t);
        dropNarrowRows(id(t));
        assertThat(answers(t)).as("wide rows only").containsExactlyElementsOf(narrow);
        fold();
        assertNarrowRowsAreTheWideSums(t);
        assertThat(answers(t)).as("narrow rows rebuilt").containsExactlyElementsOf(narrow);
    }

    @Test
    void theJobsNarrowRowsAreTheWideSumsAndEveryAnswerStaysTheSame() {
        Map<String, List<String>> hourly = new LinkedHashMap<>();
        TENANTS.forEach((zone, t) -> hourly.put(zone, answers(t)));
        fold();
        TENANTS.forEach((zone, t) -> {
            assertNarrowRowsAreTheWideSums(t);
            // The point: a few rows per hour or day instead of one per feature and environment too
            // (a thin history here: 150 runs a day leave most of an hour's combinations empty).
            assertThat(fx.queryLong("SELECT count(*) FROM run_rollups_hourly_models WHERE tenant_id = ?", id(t)))
                    .isLessThan(fx.queryLong("SELECT count(*) FROM run_rollups_hourly WHERE tenant_id = ?", id(t)));
            assertThat(answers(t)).as(zone).containsExactlyElementsOf(hourly.get(zone));
            assertSameWithAndWithoutNarrowRows(t);
        });
        fold();
        TENANTS.forEach((zone, t) -> assertThat(answers(t)).as(zone + " after a second run")
                .containsExactlyElementsOf(hourly.get(zone)));
    }

    @Test
    void readsTakeNarrowRowsOnlyWithoutAFeatureOrEnvironmentFilterOrKey() {
        RunningServer.Tenant t = TENANTS.get("America/New_York");
        UUID id = id(t);
        fold();
        Instant[] w = windows().get(0);
        // A narrow hour (of a day not folded) and a narrow day inside the window, each made one
        // million micros dearer: only reads of the narrow rows see it.
        Instant hour = Instant.ofEpochSecond(fx.queryLong(
                "SELECT extract(epoch FROM max(h.hour))::bigint FROM run_rollups_hourly_models h"
                + " JOIN rollup_daily_state s USING (tenant_id)"
                + " WHERE h.tenant_id = ? AND (h.hour AT TIME ZONE s.time_zone)::date >= s.folded_until", id));
        // (None when the job's horizon is a local midnight: then only the day is made dearer.)
        long delta = hour.getEpochSecond() == 0 ? 1_000_000 : 2_000_000;
        String day = fx.queryStrings("SELECT (max(day) - 2)::text FROM run_rollups_daily_models WHERE tenant_id = ?", id)
                .get(0);
        List<String> before = answers(t);
        long total;
        long search;
        long byFeature;
        try (GovconClient c = server.grpc(t.ownerKey())) {
            total = summary(c, "", "").getTotalCostMicros();
            search = summary(c, "search", "").getTotalCostMicros();
            byFeature = c.analytics().getCostByFeature(GetCostByFeatureRequest.newBuilder().setStartTime(Times.ts(w[0]))
                    .setEndTime(Times.ts(w[1])).setPageSize(1000).build()).getTotalCostMicros();
        }
        String bump = "UPDATE %s SET cost_micros = cost_micros + %d WHERE tenant_id = ? AND %s = ?::%s"
                      + " AND (model, provider, status) = (SELECT model, provider, status FROM %s"
                      + " WHERE tenant_id = ? AND %s = ?::%s LIMIT 1)";
        try {
            fx.update(bump.formatted("run_rollups_hourly_models", 1_000_000, "hour", "timestamptz",
                                     "run_rollups_hourly_models", "hour", "timestamptz"),
                      id, java.sql.Timestamp.from(hour), id, java.sql.Timestamp.from(hour));
            fx.update(bump.formatted("run_rollups_daily_models", 1_000_000, "day", "date",
                                     "run_rollups_daily_models", "day", "date"), id, day, id, day);
            try (GovconClient c = server.grpc(t.ownerKey())) {
                assertThat(summary(c, "", "").getTotalCostMicros()).isEqualTo(total + delta);
                assertThat(c.analytics().getCostByModel(GetCostByModelRequest.newBuilder().setStartTime(Times.ts(w[0]))
                        .setEndTime(Times.ts(w[1])).setPageSize(1000).build()).getTotalCostMicros())
                        .isEqualTo(total + delta);
                assertThat(c.analytics().getCostTrend(GetCostTrendRequest.newBuilder().setStartTime(Times.ts(w[0]))
                        .setEndTime(Times.ts(w[1])).setGranularity(Granularity.DAY).build()).getTotalCostMicros())
                        .isEqualTo(total + delta);
                // A feature filter or key falls back to the wide rows.
                assertThat(summary(c, "search", "").getTotalCostMicros()).isEqualTo(search);
                assertThat(c.analytics().getCostByFeature(GetCostByFeatureRequest.newBuilder()
                        .setStartTime(Times.ts(w[0])).setEndTime(Times.ts(w[1])).setPageSize(1000).build())
                        .getTotalCostMicros()).isEqualTo(byFeature);
                assertThat(c.analytics().getCostTrend(GetCostTrendRequest.newBuilder().setStartTime(Times.ts(w[0]))
                        .setEndTime(Times.ts(w[1])).setGranularity(Granularity.DAY).setGroupBy(Dimension.FEATURE)
                        .build()).getTotalCostMicros()).isEqualTo(total);
            }
        } finally {
            fx.update(bump.formatted("run_rollups_hourly_models", -1_000_000, "hour", "timestamptz",
                                     "run_rollups_hourly_models", "hour", "timestamptz"),
                      id, java.sql.Timestamp.from(hour), id, java.sql.Timestamp.from(hour));
            fx.update(bump.formatted("run_rollups_daily_models", -1_000_000, "day", "date",
                                     "run_rollups_daily_models", "day", "date"), id, day, id, day);
        }
        assertThat(answers(t)).containsExactlyElementsOf(before);
        assertNarrowRowsAreTheWideSums(t);
    }

    @Test
    void lateRunsCountAtOnceAndTheirNarrowHoursAreRefolded() {
        RunningServer.Tenant t = TENANTS.get("Asia/Kolkata");
        UUID id = id(t);
        fold();
        RawRuns raw0 = RawRuns.load(server.database.dataSource(), id);
        // One late run in a folded day, one in a narrow hour of the highlights' last 24 h.
        Instant lateDay = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(4)).minus(Duration.ofMinutes(31));
        Instant lateHour = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(8)).plus(Duration.ofMinutes(10));
        try (GovconClient c = server.grpc(t.ownerKey())) {
            GetHighlightsResponse h0 = c.overview().getHighlights(GetHighlightsRequest.getDefaultInstance());
            long total0 = summary(c, "", "").getTotalCostMicros();
            c.runtime().recordRuns(RecordRunsRequest.newBuilder().addRuns(late(lateDay, 111_000_000L))
                    .addRuns(late(lateHour, 222_000_000L)).build());
            assertThat(fx.queryStrings("SELECT DISTINCT utc_day::text FROM rollup_dirty_days WHERE tenant_id = ?"
                                       + " ORDER BY 1", id))
                    .containsExactly(LocalDate.ofInstant(lateDay, ZoneOffset.UTC).toString(),
                                     LocalDate.ofInstant(lateHour, ZoneOffset.UTC).toString());
            assertThat(summary(c, "", "").getTotalCostMicros()).isEqualTo(total0 + 333_000_000L);
            GetHighlightsResponse h1 = c.overview().getHighlights(GetHighlightsRequest.getDefaultInstance());
            assertThat(h1.getRunsLast24H()).isEqualTo(h0.getRunsLast24H() + 1);
            assertThat(h1.getSpendLast24HMicros()).isEqualTo(h0.getSpendLast24HMicros() + 222_000_000L);
            Agg all = Agg.of(RawRuns.load(server.database.dataSource(), id)
                                     .in(windows().get(0)[0], windows().get(0)[1], r -> true));
            assertThat(summary(c, "", "").getTotalCostMicros()).isEqualTo(all.cost());
            assertThat(all.runs()).isEqualTo(Agg.of(raw0.in(windows().get(0)[0], windows().get(0)[1], r -> true)).runs() + 2);
            List<String> withLateRuns = answers(t);

            fold();
            assertThat(fx.queryLong("SELECT count(*) FROM rollup_dirty_days WHERE tenant_id = ?", id)).isZero();
            assertNarrowRowsAreTheWideSums(t);
            assertThat(answers(t)).containsExactlyElementsOf(withLateRuns);
            assertSameWithAndWithoutNarrowRows(t);
        }
    }

    @Test
    void aZoneChangeIsReadAtOnceAndRefoldedByTheNextRun() {
        RunningServer.Tenant t = TENANTS.get("America/New_York");
        UUID id = id(t);
        fold();
        try {
            fx.update("UPDATE tenants SET time_zone = 'Asia/Kathmandu' WHERE tenant_id = ?", id);
            // Daily rows (wide and narrow) are New York days: unusable; the narrow hours still serve.
            List<String> changed = answers(t);
            dropNarrowRows(id);
            assertThat(answers(t)).as("wide hourly rows only").containsExactlyElementsOf(changed);
            fold();
            assertThat(fx.queryStrings("SELECT time_zone FROM rollup_daily_state WHERE tenant_id = ?", id))
                    .containsExactly("Asia/Kathmandu");
            assertNarrowRowsAreTheWideSums(t);
            assertThat(answers(t)).containsExactlyElementsOf(changed);
            fx.update("UPDATE tenants SET time_zone = 'America/New_York' WHERE tenant_id = ?", id);
            List<String> back = answers(t);
            fold();
            assertNarrowRowsAreTheWideSums(t);
            assertThat(answers(t)).containsExactlyElementsOf(back);
        } finally {
            fx.update("UPDATE tenants SET time_zone = 'America/New_York' WHERE tenant_id = ?", id);
            fold();
        }
    }

    static dev.govcon.proto.v1.GetAnalyticsCostSummaryResponse summary(GovconClient c, String feature, String environment) {
        Instant[] w = windows().get(0);
        return c.analytics().getAnalyticsCostSummary(GetAnalyticsCostSummaryRequest.newBuilder()
                .setStartTime(Times.ts(w[0])).setEndTime(Times.ts(w[1])).setFeature(feature)
                .setEnvironment(environment).build());
    }

    static Run late(Instant end, long costMicros) {
        return Run.newBuilder().setRunId("late-" + UUID.randomUUID()).setModel("gpt-4o").setProvider("openai")
                .setFeature("search").setStatus(RunStatus.SUCCEEDED).setEndTime(Times.ts(end)).setLatencyMs(900)
                .setCostMicros(costMicros).build();
    }
}
