package dev.govcon.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
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
import dev.govcon.proto.v1.GetAnalyticsCostSummaryResponse;
import dev.govcon.proto.v1.GetCompletedRunsByDimensionRequest;
import dev.govcon.proto.v1.GetCompletedRunsSummaryRequest;
import dev.govcon.proto.v1.GetCostByModelRequest;
import dev.govcon.proto.v1.GetCostSummaryRequest;
import dev.govcon.proto.v1.GetCostTrendRequest;
import dev.govcon.proto.v1.GetEfficiencyRequest;
import dev.govcon.proto.v1.Granularity;
import dev.govcon.proto.v1.RecordRunsRequest;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.activity.ingest.RunIngestor;
import dev.govcon.server.activity.pricing.PriceBook;
import dev.govcon.server.analytics.RawRuns.Agg;
import dev.govcon.server.analytics.RawRuns.Raw;
import dev.govcon.server.demo.HistoryGenerator;
import dev.govcon.server.jobs.DailyRollupJob;
import dev.govcon.server.jobs.RollupHorizons;
import dev.govcon.server.jobs.RunOutcome;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.wire.Times;

/**
 * Analytics over the daily rollups: for a generated history in Europe/Paris (DST), Asia/Kolkata
 * (a half-hour zone) and UTC, every answer read after the daily job folded the days equals the
 * answer read before (hourly rows only), activity's group totals included, and both equal the
 * raw runs; a late run for a folded
 * day is counted before and after its refold; a zone change is read correctly at once and
 * refolded by the next run.
 */
class DailyRollupReadsTest {
    static RunningServer server;
    static RunFixtures fx;
    static Instant to;
    static final Map<String, RunningServer.Tenant> TENANTS = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        fx = new RunFixtures(server.database.dataSource());
        to = server.clock.instant().truncatedTo(ChronoUnit.HOURS);
        List<UUID> ids = new ArrayList<>();
        for (String zone : List.of("Europe/Paris", "Asia/Kolkata", "UTC", "Australia/Adelaide")) {
            RunningServer.Tenant t = server.newTenant("Daily " + zone);
            fx.update("UPDATE tenants SET time_zone = ? WHERE tenant_id = ?", zone, UUID.fromString(t.id()));
            TENANTS.put(zone, t);
            ids.add(UUID.fromString(t.id()));
        }
        try (RunIngestor ingestor = new RunIngestor(server.database, server.clock, new PriceBook(server.database))) {
            new HistoryGenerator(ingestor, server.clock).load(ids, 35, 120, 11);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void fold() {
        assertThat(server.server.jobs().runNow(DailyRollupJob.NAME).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    }

    /** Windows with whole and partial local days at both ends. */
    static List<Instant[]> windows() {
        return List.of(new Instant[] {to.minus(Duration.ofDays(20)), to},
                       new Instant[] {to.minus(Duration.ofDays(27)).minus(Duration.ofHours(7)), to.minus(Duration.ofHours(30))},
                       new Instant[] {to.minus(Duration.ofDays(9)).plus(Duration.ofHours(5)), to.minus(Duration.ofDays(3))});
    }

    /** Every analytics answer this test compares, as text. */
    static List<String> answers(RunningServer.Tenant t) {
        List<String> out = new ArrayList<>();
        try (GovconClient c = server.grpc(t.ownerKey())) {
            for (Instant[] w : windows()) {
                out.add(c.analytics().getAnalyticsCostSummary(GetAnalyticsCostSummaryRequest.newBuilder()
                        .setStartTime(Times.ts(w[0])).setEndTime(Times.ts(w[1])).build()).toString());
                out.add(c.analytics().getCostByModel(GetCostByModelRequest.newBuilder().setStartTime(Times.ts(w[0]))
                        .setEndTime(Times.ts(w[1])).setPageSize(1000).setFeature("search").build()).toString());
                for (Granularity g : List.of(Granularity.DAY, Granularity.WEEK)) {
                    out.add(c.analytics().getCostTrend(GetCostTrendRequest.newBuilder().setStartTime(Times.ts(w[0]))
                            .setEndTime(Times.ts(w[1])).setGranularity(g).setGroupBy(Dimension.MODEL).build())
                                    .toString());
                }
                out.add(c.analytics().getEfficiency(GetEfficiencyRequest.newBuilder().setStartTime(Times.ts(w[0]))
                        .setEndTime(Times.ts(w[1])).setPageSize(1000).build()).toString());
                // Activity's group totals (with their latency percentiles) read the same plan.
                for (Dimension d : List.of(Dimension.MODEL, Dimension.STATUS)) {
                    out.add(c.activity().getCompletedRunsByDimension(GetCompletedRunsByDimensionRequest.newBuilder()
                            .setStartTime(Times.ts(w[0])).setEndTime(Times.ts(w[1])).setDimension(d).setLimit(3)
                            .build()).toString());
                }
                out.add(c.activity().getCompletedRunsByDimension(GetCompletedRunsByDimensionRequest.newBuilder()
                        .setStartTime(Times.ts(w[0])).setEndTime(Times.ts(w[1])).setDimension(Dimension.FEATURE)
                        .setModel("gpt-4o").build()).toString());
                out.add(c.activity().getCompletedRunsSummary(GetCompletedRunsSummaryRequest.newBuilder()
                        .setStartTime(Times.ts(w[0])).setEndTime(Times.ts(w[1])).build()).toString());
            }
            // The overview's month to date and month-end forecast (28 days of daily spend) too.
            out.add(c.overview().getCostSummary(GetCostSummaryRequest.getDefaultInstance()).toString());
            out.add(c.activity().getPredictionsSummary(
                    dev.govcon.proto.v1.GetPredictionsSummaryRequest.getDefaultInstance()).toString());
        }
        return out;
    }

    /** Total and per-local-day cost and runs of each window, from the API and from raw runs. */
    static void assertEqualsRawRuns(RunningServer.Tenant t, ZoneId zone) {
        RawRuns raw = RawRuns.load(server.database.dataSource(), UUID.fromString(t.id()));
        try (GovconClient c = server.grpc(t.ownerKey())) {
            for (Instant[] w : windows()) {
                GetAnalyticsCostSummaryResponse s = c.analytics().getAnalyticsCostSummary(
                        GetAnalyticsCostSummaryRequest.newBuilder().setStartTime(Times.ts(w[0]))
                                .setEndTime(Times.ts(w[1])).build());
                Agg all = Agg.of(raw.in(w[0], w[1], r -> true));
                assertThat(List.of(s.getTotalCostMicros(), s.getTotalRuns(), s.getSuccessfulRuns(), s.getTotalTokens()))
                        .as(zone + " " + w[0])
                        .containsExactly(all.cost(), all.runs(), all.succeeded(), all.total());
                Map<Instant, Agg> days = new LinkedHashMap<>();
                for (Raw r : raw.in(w[0], w[1], r -> true)) {
                    // A run counts in the day of its rollup hour's start (in a half-hour zone, the
                    // last half hour before local midnight ends the day before).
                    days.merge(RawRuns.bucket(r.end().truncatedTo(ChronoUnit.HOURS), zone, "day"), Agg.ZERO.plus(r),
                               RawRuns::sum);
                }
                List<String> expected = days.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + " " + e.getValue().cost() + " " + e.getValue().runs()).toList();
                List<String> got = c.analytics().getCostTrend(GetCostTrendRequest.newBuilder()
                                .setStartTime(Times.ts(w[0])).setEndTime(Times.ts(w[1])).setGranularity(Granularity.DAY)
                                .build()).getPointsList().stream().filter(p -> p.getRuns() > 0)
                        .map(p -> Times.instant(p.getBucketStartTime()) + " " + p.getCostMicros() + " " + p.getRuns())
                        .toList();
                assertThat(got).as(zone + " days of " + w[0]).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void dailyPathEqualsHourlyPathEqualsRawRunsInEveryZone() {
        Map<String, List<String>> hourly = new LinkedHashMap<>();
        TENANTS.forEach((zone, t) -> {
            assertEqualsRawRuns(t, ZoneId.of(zone));
            hourly.put(zone, answers(t));
        });
        fold();
        TENANTS.forEach((zone, t) -> {
            UUID id = UUID.fromString(t.id());
            assertThat(fx.queryStrings("SELECT time_zone FROM rollup_daily_state WHERE tenant_id = ?", id))
                    .containsExactly(zone);
            // Folded up to the local day of four hours ago at least (its hours before 3 h ago are final):
            // most of every window is daily.
            LocalDate until = LocalDate.parse(fx.queryStrings(
                    "SELECT folded_until::text FROM rollup_daily_state WHERE tenant_id = ?", id).get(0));
            assertThat(until).isAfterOrEqualTo(LocalDate.ofInstant(to, ZoneOffset.UTC).minusDays(1));
            assertThat(fx.queryLong("SELECT count(DISTINCT day) FROM run_rollups_daily WHERE tenant_id = ?", id))
                    .isGreaterThan(25);
            assertThat(fx.queryLong("SELECT count(*) FROM rollup_dirty_days WHERE tenant_id = ?", id)).isZero();
            // The daily rows hold exactly the hours they cover.
            assertThat(fx.queryLong("SELECT sum(cost_micros) FROM run_rollups_daily WHERE tenant_id = ?", id))
                    .isEqualTo(fx.queryLong("SELECT sum(cost_micros) FROM run_rollups_hourly WHERE tenant_id = ?"
                                            + " AND (hour AT TIME ZONE ?)::date < ?::date", id, zone, until.toString()));
            assertThat(answers(t)).as(zone).containsExactlyElementsOf(hourly.get(zone));
            assertEqualsRawRuns(t, ZoneId.of(zone));
        });
        fold();
        TENANTS.forEach((zone, t) -> assertThat(answers(t)).as(zone + " after a second run")
                .containsExactlyElementsOf(hourly.get(zone)));
    }

    @Test
    void aLateRunForAFoldedDayCountsBeforeAndAfterTheRefold() {
        RunningServer.Tenant t = TENANTS.get("Asia/Kolkata");
        UUID id = UUID.fromString(t.id());
        fold();
        Instant lateEnd = to.minus(Duration.ofDays(6)).minus(Duration.ofMinutes(31));
        long before;
        try (GovconClient c = server.grpc(t.ownerKey())) {
            before = c.analytics().getAnalyticsCostSummary(summary()).getTotalCostMicros();
            c.runtime().recordRuns(RecordRunsRequest.newBuilder().addRuns(Run.newBuilder()
                    .setRunId("late-" + UUID.randomUUID()).setRetryOfRunId("first-try-1").setModel("gpt-4o")
                    .setProvider("openai").setFeature("search").setStatus(RunStatus.SUCCEEDED)
                    .setEndTime(Times.ts(lateEnd)).setLatencyMs(900).setCostMicros(123_456_789L)).build());
            assertThat(fx.queryStrings("SELECT utc_day::text FROM rollup_dirty_days WHERE tenant_id = ?", id))
                    .containsExactly(LocalDate.ofInstant(lateEnd, ZoneOffset.UTC).toString());
            assertThat(c.analytics().getAnalyticsCostSummary(summary()).getTotalCostMicros())
                    .isEqualTo(before + 123_456_789L);
            assertEqualsRawRuns(t, ZoneId.of("Asia/Kolkata"));
            List<String> withLateRun = answers(t);
            assertThat(efficiencyRetries(c)).isEqualTo(1);

            fold();
            assertThat(fx.queryLong("SELECT count(*) FROM rollup_dirty_days WHERE tenant_id = ?", id)).isZero();
            assertThat(fx.queryLong("SELECT coalesce(sum(retries), 0) FROM run_rollups_daily WHERE tenant_id = ?", id))
                    .isEqualTo(1);
            assertThat(c.analytics().getAnalyticsCostSummary(summary()).getTotalCostMicros())
                    .isEqualTo(before + 123_456_789L);
            assertThat(answers(t)).containsExactlyElementsOf(withLateRun);
            assertThat(efficiencyRetries(c)).isEqualTo(1);
        }
    }

    @Test
    void onlyRunsEndingBeforeTheLateHorizonMarkTheirDay() {
        RunningServer.Tenant t = server.newTenant("Daily horizon");
        UUID id = UUID.fromString(t.id());
        // Two hours ago, rounded down to the hour: a run ending then or later is in an hour no fold treats as final.
        Instant lateBefore = server.clock.instant().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.HOURS);
        assertThat(RollupHorizons.lateBefore(server.clock.instant())).isEqualTo(lateBefore);
        try (GovconClient c = server.grpc(t.ownerKey())) {
            c.runtime().recordRuns(RecordRunsRequest.newBuilder().addRuns(horizonRun(lateBefore)).build());
            assertThat(fx.queryLong("SELECT count(*) FROM rollup_dirty_days WHERE tenant_id = ?", id)).isZero();
            c.runtime().recordRuns(RecordRunsRequest.newBuilder().addRuns(horizonRun(lateBefore.minusMillis(1))).build());
            assertThat(fx.queryStrings("SELECT utc_day::text FROM rollup_dirty_days WHERE tenant_id = ?", id))
                    .containsExactly(LocalDate.ofInstant(lateBefore.minusMillis(1), ZoneOffset.UTC).toString());
        }
    }

    static Run horizonRun(Instant end) {
        return Run.newBuilder().setRunId("horizon-" + UUID.randomUUID()).setModel("gpt-4o").setProvider("openai")
                .setFeature("search").setStatus(RunStatus.SUCCEEDED).setEndTime(Times.ts(end)).setLatencyMs(900)
                .setCostMicros(1_000L).build();
    }

    static GetAnalyticsCostSummaryRequest summary() {
        return GetAnalyticsCostSummaryRequest.newBuilder().setStartTime(Times.ts(to.minus(Duration.ofDays(20))))
                .setEndTime(Times.ts(to)).build();
    }

    static long efficiencyRetries(GovconClient c) {
        return c.analytics().getEfficiency(GetEfficiencyRequest.newBuilder()
                .setStartTime(Times.ts(to.minus(Duration.ofDays(20)))).setEndTime(Times.ts(to)).build())
                .getTotal().getRetries();
    }

    @Test
    void aZoneChangeIsReadAtOnceAndRefoldedByTheNextRun() {
        RunningServer.Tenant t = TENANTS.get("Australia/Adelaide");
        UUID id = UUID.fromString(t.id());
        fold();
        try {
            fx.update("UPDATE tenants SET time_zone = 'America/St_Johns' WHERE tenant_id = ?", id);
            // The daily rows are Adelaide days: unusable, so every read is hourly until the refold.
            assertEqualsRawRuns(t, ZoneId.of("America/St_Johns"));
            List<String> hourly = answers(t);
            fold();
            assertThat(fx.queryStrings("SELECT time_zone FROM rollup_daily_state WHERE tenant_id = ?", id))
                    .containsExactly("America/St_Johns");
            assertThat(answers(t)).containsExactlyElementsOf(hourly);
            assertEqualsRawRuns(t, ZoneId.of("America/St_Johns"));
        } finally {
            fx.update("UPDATE tenants SET time_zone = 'Australia/Adelaide' WHERE tenant_id = ?", id);
        }
    }
}
