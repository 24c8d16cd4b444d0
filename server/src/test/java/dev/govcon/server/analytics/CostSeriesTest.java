package dev.govcon.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.govcon.proto.v1.CostAnomaly;
import dev.govcon.proto.v1.CostForecastPoint;
import dev.govcon.proto.v1.Dimension;
import dev.govcon.proto.v1.GetCostForecastRequest;
import dev.govcon.proto.v1.GetCostForecastResponse;
import dev.govcon.proto.v1.ListCostAnomaliesRequest;
import dev.govcon.proto.v1.ListCostAnomaliesResponse;
import dev.govcon.proto.v1.RecordRunsRequest;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.proto.v1.Severity;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.wire.Times;

/**
 * Forecast and anomalies on constructed series: 14 whole UTC days of one run per hour whose
 * cost follows a known shape (flat, linear growth, a weekly cycle, flat with one spike hour),
 * one tenant per shape, recorded through RecordRuns.
 */
class CostSeriesTest {
    static final int DAYS = 14;
    static final long HOURLY = 10_000;

    static RunningServer server;
    static Instant to;
    static Instant from;
    static Instant spikeHour;
    static GovconClient flat;
    static GovconClient linear;
    static GovconClient weekly;
    static GovconClient spike;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        to = server.clock.instant().truncatedTo(ChronoUnit.DAYS);
        from = to.minus(Duration.ofDays(DAYS));
        spikeHour = from.plus(Duration.ofDays(10)).plus(Duration.ofHours(14));
        flat = tenant("Series Flat", h -> HOURLY);
        linear = tenant("Series Linear", h -> 1000 * (day(h) + 1));
        weekly = tenant("Series Weekly", h -> weekend(h) ? 2_000 : HOURLY);
        spike = tenant("Series Spike", h -> h.equals(spikeHour) ? 500_000 : HOURLY);
    }

    @AfterAll
    static void stop() {
        for (GovconClient c : List.of(flat, linear, weekly, spike)) {
            c.close();
        }
        server.close();
    }

    interface HourlyCost {
        long at(Instant hour);
    }

    static long day(Instant hour) {
        return Duration.between(from, hour).toDays();
    }

    static boolean weekend(Instant hour) {
        DayOfWeek d = hour.atZone(ZoneOffset.UTC).getDayOfWeek();
        return d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY;
    }

    static GovconClient tenant(String name, HourlyCost cost) {
        RunningServer.Tenant t = server.newTenant(name);
        GovconClient c = server.grpc(t.ownerKey());
        List<Run> runs = new ArrayList<>();
        for (Instant h = from; h.isBefore(to); h = h.plus(Duration.ofHours(1))) {
            Instant end = h.plus(Duration.ofMinutes(30));
            runs.add(Run.newBuilder().setRunId("r-" + h.getEpochSecond()).setModel("gpt-4o").setProvider("openai")
                    .setFeature("assistant").setEnvironment("production").setStatus(RunStatus.SUCCEEDED)
                    .setStartTime(Times.ts(end.minusSeconds(1))).setEndTime(Times.ts(end)).setInputTokens(100)
                    .setCostMicros(cost.at(h)).setLatencyMs(500).build());
        }
        c.runtime().recordRuns(RecordRunsRequest.newBuilder().addAllRuns(runs).build());
        return c;
    }

    static GetCostForecastResponse forecast(GovconClient c, int horizon) {
        return c.analytics().getCostForecast(GetCostForecastRequest.newBuilder().setStartTime(Times.ts(from))
                .setEndTime(Times.ts(to)).setHorizonDays(horizon).build());
    }

    static ListCostAnomaliesResponse anomalies(GovconClient c, ListCostAnomaliesRequest.Builder req) {
        return c.analytics().listCostAnomalies(req.setStartTime(Times.ts(from)).setEndTime(Times.ts(to)).build());
    }

    // ---- forecast ----

    @Test
    void aFlatSeriesForecastsItsLevelWithANarrowInterval() {
        GetCostForecastResponse f = forecast(flat, 7);
        assertThat(f.getMethod()).isEqualTo("holt_linear_trend");
        assertThat(f.getMethodDescription()).contains("Holt");
        assertThat(f.getIntervalLevelRatio()).isEqualTo(0.8);
        assertThat(f.getHistoryList()).hasSize(DAYS)
                .allSatisfy(p -> assertThat(p.getCostMicros()).isEqualTo(24 * HOURLY));
        assertThat(f.getPointsList()).hasSize(7);
        for (int i = 0; i < 7; i++) {
            CostForecastPoint p = f.getPoints(i);
            assertThat(Times.instant(p.getDayStartTime())).isEqualTo(to.plus(Duration.ofDays(i)));
            assertThat(List.of(p.getPredictedCostMicros(), p.getLowerCostMicros(), p.getUpperCostMicros()))
                    .containsOnly(24 * HOURLY);
        }
        assertThat(f.getTotalPredictedCostMicros()).isEqualTo(7 * 24 * HOURLY);
    }

    @Test
    void linearGrowthIsContinued() {
        GetCostForecastResponse f = forecast(linear, 5);
        for (int i = 0; i < 5; i++) {
            // Day d of the history costs 24,000 (d + 1); the forecast continues the line.
            assertThat(f.getPoints(i).getPredictedCostMicros()).isCloseTo(24_000L * (DAYS + i + 1),
                                                                          org.assertj.core.data.Offset.offset(2L));
        }
        assertThat(f.getTotalPredictedCostMicros()).isCloseTo(24_000L * (15 + 16 + 17 + 18 + 19),
                                                               org.assertj.core.data.Offset.offset(5L));
    }

    @Test
    void aWeeklyCycleWidensTheInterval() {
        GetCostForecastResponse f = forecast(weekly, 14);
        long flatWidth = 0;
        for (CostForecastPoint p : f.getPointsList()) {
            assertThat(p.getLowerCostMicros()).isLessThanOrEqualTo(p.getPredictedCostMicros());
            assertThat(p.getUpperCostMicros()).isGreaterThan(p.getPredictedCostMicros() + flatWidth);
            assertThat(p.getLowerCostMicros()).isGreaterThanOrEqualTo(0);
        }
        // The interval of the first day reaches over the cycle's weekday and weekend levels' gap.
        CostForecastPoint first = f.getPoints(0);
        assertThat(first.getUpperCostMicros() - first.getLowerCostMicros()).isGreaterThan(24 * 2_000);
        assertThat(f.getTotalLowerCostMicros()).isLessThan(f.getTotalPredictedCostMicros());
        assertThat(f.getTotalUpperCostMicros()).isGreaterThan(f.getTotalPredictedCostMicros());
    }

    @Test
    void aSpikeDayDoesNotCarryTheForecastAway() {
        GetCostForecastResponse f = forecast(spike, 3);
        assertThat(f.getHistory(10).getCostMicros()).isEqualTo(23 * HOURLY + 500_000);
        CostForecastPoint next = f.getPoints(0);
        assertThat(next.getLowerCostMicros()).isLessThanOrEqualTo(24 * HOURLY);
        assertThat(next.getUpperCostMicros()).isGreaterThanOrEqualTo(24 * HOURLY);
        assertThat(next.getPredictedCostMicros()).isBetween(12 * HOURLY, 48 * HOURLY);
    }

    // ---- anomalies ----

    @Test
    void flatLinearAndWeeklySeriesHaveNoAnomalies() {
        for (GovconClient c : List.of(flat, linear, weekly)) {
            assertThat(anomalies(c, ListCostAnomaliesRequest.newBuilder()).getAnomaliesList()).isEmpty();
        }
    }

    @Test
    void theSpikeHourIsAnAnomalyOfItsModelProviderAndFeature() {
        ListCostAnomaliesResponse all = anomalies(spike, ListCostAnomaliesRequest.newBuilder());
        assertThat(all.getAnomaliesList()).extracting(a -> a.getDimension() + " " + a.getDimensionKey())
                .containsExactlyInAnyOrder("MODEL gpt-4o", "PROVIDER openai", "FEATURE assistant");
        for (CostAnomaly a : all.getAnomaliesList()) {
            assertThat(Times.instant(a.getBucketStartTime())).isEqualTo(spikeHour);
            assertThat(a.getObservedCostMicros()).isEqualTo(500_000);
            assertThat(a.getExpectedCostMicros()).isEqualTo(HOURLY);
            // A constant history: the scale is the 1-cent floor, so (500,000 - 10,000) / 10,000.
            assertThat(a.getScore()).isEqualTo(49.0);
            assertThat(a.getSeverity()).isEqualTo(Severity.CRITICAL);
            assertThat(a.getId()).isNotEmpty();
        }
        ListCostAnomaliesResponse models = anomalies(spike, ListCostAnomaliesRequest.newBuilder()
                .setDimension(Dimension.MODEL));
        assertThat(models.getAnomaliesList()).hasSize(1);
        assertThat(models.getAnomalies(0).getId()).isEqualTo(all.getAnomaliesList().stream()
                .filter(a -> a.getDimension() == Dimension.MODEL).findFirst().orElseThrow().getId());
        assertThat(anomalies(spike, ListCostAnomaliesRequest.newBuilder().setMinScore(50)).getAnomaliesList()).isEmpty();
        assertThat(anomalies(spike, ListCostAnomaliesRequest.newBuilder().setEnvironment("staging"))
                           .getAnomaliesList()).isEmpty();
        // Paging: one at a time, the same three.
        ListCostAnomaliesResponse first = anomalies(spike, ListCostAnomaliesRequest.newBuilder().setPageSize(2));
        assertThat(first.getAnomaliesList()).hasSize(2);
        ListCostAnomaliesResponse second = anomalies(spike, ListCostAnomaliesRequest.newBuilder().setPageSize(2)
                .setPageToken(first.getNextPageToken()));
        assertThat(second.getAnomaliesList()).hasSize(1);
        assertThat(second.getNextPageToken()).isEmpty();
    }
}
