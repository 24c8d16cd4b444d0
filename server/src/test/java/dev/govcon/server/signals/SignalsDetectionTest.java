package dev.govcon.server.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.govcon.proto.v1.Anomaly;
import dev.govcon.proto.v1.AnomalyMetric;
import dev.govcon.proto.v1.Dimension;
import dev.govcon.proto.v1.GetPredictionsSummaryRequest;
import dev.govcon.proto.v1.GetPredictionsSummaryResponse;
import dev.govcon.proto.v1.ListAnomaliesRequest;
import dev.govcon.proto.v1.ListPredictionsRequest;
import dev.govcon.proto.v1.ListSignalsRequest;
import dev.govcon.proto.v1.ListSignalsResponse;
import dev.govcon.proto.v1.Prediction;
import dev.govcon.proto.v1.PredictionKind;
import dev.govcon.proto.v1.Severity;
import dev.govcon.proto.v1.Signal;
import dev.govcon.proto.v1.SignalState;
import dev.govcon.proto.v1.SignalType;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.jobs.RunOutcome;
import dev.govcon.server.testing.MutableClock;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.TestDatabase;
import dev.govcon.server.wire.Times;

/**
 * A seeded history with a known cost spike, error spike and budget burn, and a flat one, run
 * through the signals-detect job: exactly the expected signals, anomalies and predictions, and
 * nothing on the flat history. Tolerance: run-rate figures are exact; Holt forecasts of a flat
 * daily series are exact up to 0.1% (floating point in the smoothing).
 *
 * <p>The history (tenant zone UTC): every hour from 2031-05-10 00:00 to 2031-05-20 12:00,
 * gpt-4o/openai/search and claude-sonnet/anthropic/chat each 30 runs, 30,000 tokens, $0.30,
 * 800 ms. "Now" is 12:30 on 05-20, so the last complete hour is 11:00, in which claude-sonnet
 * cost $3.00 (10×) and gpt-4o had 20 more runs that FAILED.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignalsDetectionTest {
    static final Instant NOW = Instant.parse("2031-05-20T12:30:00Z");
    static final Instant SPIKE_HOUR = Instant.parse("2031-05-20T11:00:00Z");
    static final Instant HISTORY_START = Instant.parse("2031-05-10T00:00:00Z");
    static final long HOURLY = 300_000;

    static RunningServer server;
    static RunningServer.Tenant spiky;
    static RunningServer.Tenant flat;
    static RollupSeeder spikySeeds;
    static RollupSeeder flatSeeds;
    static UUID chatDaily;
    static UUID monthly;

    @BeforeAll
    static void seed() {
        server = RunningServer.start(TestDatabase.shared(), new MutableClock(NOW));
        spiky = server.newTenant("Signals Spiky");
        flat = server.newTenant("Signals Flat");
        RunFixtures sql = new RunFixtures(server.database.dataSource());
        spikySeeds = new RollupSeeder(sql, UUID.fromString(spiky.id()));
        flatSeeds = new RollupSeeder(sql, UUID.fromString(flat.id()));
        Instant currentHour = Instant.parse("2031-05-20T12:00:00Z");
        for (RollupSeeder s : List.of(spikySeeds, flatSeeds)) {
            s.flat(HISTORY_START, currentHour, "gpt-4o", "openai", "search", 30, 30_000, HOURLY, 800);
            s.flat(HISTORY_START, currentHour, "claude-sonnet", "anthropic", "chat", 30, 30_000, HOURLY, 800);
        }
        spikySeeds.hour(SPIKE_HOUR, "claude-sonnet", "anthropic", "chat", "SUCCEEDED", 30, 30_000, 10 * HOURLY, 800);
        spikySeeds.hour(SPIKE_HOUR, "gpt-4o", "openai", "search", "FAILED", 20, 0, 0, 200);
        chatDaily = spikySeeds.limit("chat per day", "SPEND_PER_DAY", 20_000_000, "chat");
        monthly = spikySeeds.limit("all per month", "SPEND_PER_MONTH", 10_000_000_000L, "");
        assertThat(server.server.jobs().runNow(SignalsDetectJob.NAME).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    @Order(1)
    void theSpikesAndTheBurnAreExactlyTheOpenSignals() {
        try (GovconClient c = server.grpc(spiky.ownerKey())) {
            List<Signal> signals = all(c, ListSignalsRequest.newBuilder().setPageSize(4));
            assertThat(signals).extracting(Signal::getType, Signal::getDimension, Signal::getDimensionKey,
                                           Signal::getSeverity, Signal::getState)
                    .containsExactlyInAnyOrder(
                            tuple(SignalType.SIGNAL_TYPE_COST_SPIKE, Dimension.DIMENSION_UNSPECIFIED, "", Severity.HIGH,
                                  SignalState.SIGNAL_STATE_OPEN),
                            tuple(SignalType.SIGNAL_TYPE_COST_SPIKE, Dimension.MODEL, "claude-sonnet", Severity.CRITICAL,
                                  SignalState.SIGNAL_STATE_OPEN),
                            tuple(SignalType.SIGNAL_TYPE_COST_SPIKE, Dimension.PROVIDER, "anthropic", Severity.CRITICAL,
                                  SignalState.SIGNAL_STATE_OPEN),
                            tuple(SignalType.SIGNAL_TYPE_COST_SPIKE, Dimension.FEATURE, "chat", Severity.CRITICAL,
                                  SignalState.SIGNAL_STATE_OPEN),
                            tuple(SignalType.SIGNAL_TYPE_ERROR_RATE_SPIKE, Dimension.DIMENSION_UNSPECIFIED, "",
                                  Severity.HIGH, SignalState.SIGNAL_STATE_OPEN),
                            tuple(SignalType.SIGNAL_TYPE_ERROR_RATE_SPIKE, Dimension.MODEL, "gpt-4o", Severity.HIGH,
                                  SignalState.SIGNAL_STATE_OPEN),
                            tuple(SignalType.SIGNAL_TYPE_ERROR_RATE_SPIKE, Dimension.PROVIDER, "openai", Severity.HIGH,
                                  SignalState.SIGNAL_STATE_OPEN),
                            tuple(SignalType.SIGNAL_TYPE_ERROR_RATE_SPIKE, Dimension.FEATURE, "search", Severity.HIGH,
                                  SignalState.SIGNAL_STATE_OPEN),
                            tuple(SignalType.SIGNAL_TYPE_BUDGET_BURN, Dimension.DIMENSION_UNSPECIFIED, "", Severity.HIGH,
                                  SignalState.SIGNAL_STATE_OPEN));
            Signal claude = find(signals, SignalType.SIGNAL_TYPE_COST_SPIKE, "claude-sonnet");
            assertThat(claude.getValue()).isEqualTo(3_000_000);
            assertThat(claude.getBaseline()).isEqualTo(300_000);
            assertThat(claude.getUnit()).isEqualTo("micros_per_hour");
            assertThat(Times.instant(claude.getFirstSeenAt())).isEqualTo(NOW);
            assertThat(find(signals, SignalType.SIGNAL_TYPE_COST_SPIKE, "").getValue()).isEqualTo(3_300_000);
            Signal errors = find(signals, SignalType.SIGNAL_TYPE_ERROR_RATE_SPIKE, "gpt-4o");
            assertThat(errors.getValue()).isCloseTo(0.4, within(1e-12));
            assertThat(errors.getBaseline()).isZero();
            assertThat(find(signals, SignalType.SIGNAL_TYPE_ERROR_RATE_SPIKE, "").getValue()).isCloseTo(0.25, within(1e-12));
            Signal burn = find(signals, SignalType.SIGNAL_TYPE_BUDGET_BURN, "");
            assertThat(burn.getLimitId()).isEqualTo(chatDaily.toString());
            // used 6.6 $ by 12:30, 3.6 $ over the last 2.5 h → 1.44 $/h × 11.5 h left
            assertThat(burn.getValue()).isEqualTo(23_160_000);
            assertThat(burn.getBaseline()).isEqualTo(20_000_000);
            assertThat(burn.getMessage()).contains("chat per day");

            // filters
            assertThat(c.activity().listSignals(ListSignalsRequest.newBuilder()
                    .setMinSeverity(Severity.CRITICAL).build()).getSignalsList()).hasSize(3);
            assertThat(c.activity().listSignals(ListSignalsRequest.newBuilder()
                    .setType(SignalType.SIGNAL_TYPE_ERROR_RATE_SPIKE).setDimension(Dimension.MODEL).build())
                    .getSignalsList()).extracting(Signal::getDimensionKey).containsExactly("gpt-4o");
        }
        // the incident engine's scan finds them: HIGH or above, no incident yet
        assertThat(new RunFixtures(server.database.dataSource()).queryLong(
                "SELECT count(*) FROM risk_signals WHERE tenant_id = ?::uuid AND incident_id IS NULL"
                + " AND severity IN ('HIGH', 'CRITICAL') AND state = 'OPEN'", spiky.id())).isEqualTo(9);
        // and REST serves the same list with snake_case bodies
        RunningServer.Reply rest = server.get("/api/v1/activity/signals?state=SIGNAL_STATE_OPEN", spiky.ownerKey());
        assertThat(rest.status()).as(rest.toString()).isEqualTo(200);
        assertThat(rest.json().get("signals")).hasSize(9);
        assertThat(rest.json().get("signals").get(0).has("last_seen_at")).isTrue();
    }

    @Test
    @Order(1)
    void theSpikeHourIsAnomalousForExactlyTheSpikedMetricsAndDimensions() {
        try (GovconClient c = server.grpc(spiky.ownerKey())) {
            List<Anomaly> anomalies = c.activity().listAnomalies(ListAnomaliesRequest.getDefaultInstance())
                    .getAnomaliesList();
            assertThat(anomalies).extracting(Anomaly::getMetric, Anomaly::getDimension, Anomaly::getDimensionKey)
                    .containsExactlyInAnyOrder(
                            tuple(AnomalyMetric.ANOMALY_METRIC_COST, Dimension.DIMENSION_UNSPECIFIED, ""),
                            tuple(AnomalyMetric.ANOMALY_METRIC_COST, Dimension.MODEL, "claude-sonnet"),
                            tuple(AnomalyMetric.ANOMALY_METRIC_COST, Dimension.PROVIDER, "anthropic"),
                            tuple(AnomalyMetric.ANOMALY_METRIC_COST, Dimension.FEATURE, "chat"),
                            tuple(AnomalyMetric.ANOMALY_METRIC_ERRORS, Dimension.DIMENSION_UNSPECIFIED, ""),
                            tuple(AnomalyMetric.ANOMALY_METRIC_ERRORS, Dimension.MODEL, "gpt-4o"),
                            tuple(AnomalyMetric.ANOMALY_METRIC_ERRORS, Dimension.PROVIDER, "openai"),
                            tuple(AnomalyMetric.ANOMALY_METRIC_ERRORS, Dimension.FEATURE, "search"));
            assertThat(anomalies).allSatisfy(a -> {
                assertThat(Times.instant(a.getHourStart())).isEqualTo(SPIKE_HOUR);
                assertThat(a.getBaselineDays()).isEqualTo(7);
                assertThat(a.getSeverity()).isEqualTo(Severity.CRITICAL);
            });
            Anomaly cost = anomalies.stream().filter(a -> a.getDimensionKey().equals("claude-sonnet")).findFirst()
                    .orElseThrow();
            assertThat(cost.getObserved()).isEqualTo(3_000_000);
            assertThat(cost.getExpected()).isEqualTo(300_000);
            // constant baseline: MAD 0, so the 1-cent floor is the scale
            assertThat(cost.getScore()).isCloseTo(2_700_000 / 10_000.0, within(1e-9));
            Anomaly errors = anomalies.stream().filter(a -> a.getDimensionKey().equals("gpt-4o")).findFirst()
                    .orElseThrow();
            assertThat(errors.getObserved()).isEqualTo(20);
            assertThat(errors.getExpected()).isZero();
            assertThat(errors.getScore()).isCloseTo(20, within(1e-9));

            assertThat(c.activity().listAnomalies(ListAnomaliesRequest.newBuilder()
                    .setMetric(AnomalyMetric.ANOMALY_METRIC_ERRORS).setDimension(Dimension.MODEL).build())
                    .getAnomaliesList()).extracting(Anomaly::getDimensionKey).containsExactly("gpt-4o");
            assertThat(c.activity().listAnomalies(ListAnomaliesRequest.newBuilder().setMinScore(100).build())
                    .getAnomaliesList()).hasSize(4);
        }
    }

    @Test
    @Order(1)
    void predictionsForEachSpendLimitAndTheMonthEnd() {
        try (GovconClient c = server.grpc(spiky.ownerKey())) {
            List<Prediction> latest = c.activity().listPredictions(ListPredictionsRequest.getDefaultInstance())
                    .getPredictionsList();
            assertThat(latest).hasSize(3).allSatisfy(p -> assertThat(Times.instant(p.getMadeAt())).isEqualTo(NOW));

            Prediction daily = byLimit(latest, chatDaily);
            assertThat(daily.getKind()).isEqualTo(PredictionKind.PREDICTION_KIND_LIMIT_EXHAUSTION);
            assertThat(daily.getCurrentMicros()).isEqualTo(6_600_000);
            assertThat(daily.getPredictedMicros()).isEqualTo(23_160_000);
            assertThat(daily.getLimitMicros()).isEqualTo(20_000_000);
            // (20 - 6.6) $ at 400 micros/s = 33,500 s after 12:30
            assertThat(Times.instant(daily.getExhaustionTime())).isEqualTo(Instant.parse("2031-05-20T21:48:20Z"));
            assertThat(Times.instant(daily.getTargetTime())).isEqualTo(Instant.parse("2031-05-21T00:00:00Z"));
            assertThat(daily.getLowerMicros()).isBetween(6_600_000L, 23_160_000L);
            assertThat(daily.getUpperMicros()).isGreaterThan(23_160_000L);
            assertThat(daily.getMethod()).startsWith("run-rate");
            assertThat(daily.hasActualMicros()).isFalse();

            // month to date: 10 days of 14.4 $ + 10.5 $ today; then 11.5/24 of a 14.4 $ day and 11 more days
            long expectedMonthEnd = 154_500_000 + 6_900_000 + 158_400_000;
            Prediction month = byLimit(latest, monthly);
            assertThat(month.hasExhaustionTime()).isFalse();
            assertThat((double) month.getPredictedMicros()).isCloseTo(expectedMonthEnd, within(expectedMonthEnd * 0.001));
            assertThat(month.getCurrentMicros()).isEqualTo(154_500_000);
            assertThat(month.getMethod()).startsWith("holt-linear");

            Prediction end = latest.stream().filter(p -> p.getKind() == PredictionKind.PREDICTION_KIND_MONTH_END_SPEND)
                    .findFirst().orElseThrow();
            assertThat((double) end.getPredictedMicros()).isCloseTo(expectedMonthEnd, within(expectedMonthEnd * 0.001));
            assertThat(end.getLowerMicros()).isLessThanOrEqualTo(end.getPredictedMicros());
            assertThat(end.getUpperMicros()).isGreaterThanOrEqualTo(end.getPredictedMicros());
            assertThat(end.getIntervalConfidenceRatio()).isEqualTo(0.9);
            assertThat(Times.instant(end.getTargetTime())).isEqualTo(Instant.parse("2031-06-01T00:00:00Z"));

            GetPredictionsSummaryResponse summary = c.activity().getPredictionsSummary(
                    GetPredictionsSummaryRequest.getDefaultInstance());
            assertThat(summary.getMonthToDateMicros()).isEqualTo(154_500_000);
            assertThat(summary.getMonthEndSpend().getId()).isEqualTo(end.getId());
            assertThat(summary.getLimitsPredicted()).isEqualTo(2);
            assertThat(summary.getLimitsAtRiskList()).extracting(Prediction::getLimitId)
                    .containsExactly(chatDaily.toString());
            assertThat(Times.instant(summary.getAsOf())).isEqualTo(NOW);
        }
    }

    @Test
    @Order(1)
    void aFlatHistoryRaisesNothing() {
        try (GovconClient c = server.grpc(flat.ownerKey())) {
            assertThat(c.activity().listSignals(ListSignalsRequest.getDefaultInstance()).getSignalsList()).isEmpty();
            assertThat(c.activity().listAnomalies(ListAnomaliesRequest.getDefaultInstance()).getAnomaliesList())
                    .isEmpty();
            List<Prediction> predictions = c.activity().listPredictions(ListPredictionsRequest.getDefaultInstance())
                    .getPredictionsList();
            assertThat(predictions).singleElement().satisfies(p -> {
                assertThat(p.getKind()).isEqualTo(PredictionKind.PREDICTION_KIND_MONTH_END_SPEND);
                long expected = 151_800_000 + 6_900_000 + 158_400_000;
                assertThat((double) p.getPredictedMicros()).isCloseTo(expected, within(expected * 0.001));
            });
        }
    }

    @Test
    @Order(2)
    void anHourLaterTheSpikesClearTheBurnStaysOpenAndPredictionsKeepTheirHistory() {
        List<Signal> before;
        try (GovconClient c = server.grpc(spiky.ownerKey())) {
            before = all(c, ListSignalsRequest.newBuilder());
        }
        // a second round in the same hour changes no prediction
        assertThat(server.server.jobs().runNow(SignalsDetectJob.NAME).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        Instant next = Instant.parse("2031-05-20T13:00:00Z");
        for (RollupSeeder s : List.of(spikySeeds, flatSeeds)) {
            s.flat(next, next, "gpt-4o", "openai", "search", 30, 30_000, HOURLY, 800);
            s.flat(next, next, "claude-sonnet", "anthropic", "chat", 30, 30_000, HOURLY, 800);
        }
        server.clock.set(NOW.plus(Duration.ofHours(1)));
        assertThat(server.server.jobs().runNow(SignalsDetectJob.NAME).outcome()).isEqualTo(RunOutcome.SUCCEEDED);

        try (GovconClient c = server.grpc(spiky.ownerKey())) {
            List<Signal> open = c.activity().listSignals(ListSignalsRequest.newBuilder()
                    .setState(SignalState.SIGNAL_STATE_OPEN).build()).getSignalsList();
            Signal burnBefore = find(before, SignalType.SIGNAL_TYPE_BUDGET_BURN, "");
            assertThat(open).singleElement().satisfies(s -> {
                assertThat(s.getId()).isEqualTo(burnBefore.getId());
                assertThat(Times.instant(s.getFirstSeenAt())).isEqualTo(NOW);
                assertThat(Times.instant(s.getLastSeenAt())).isEqualTo(NOW.plus(Duration.ofHours(1)));
                assertThat(s.getValue()).isEqualTo(22_020_000); // 6.9 $ + 400 micros/s × 10.5 h
            });
            List<Signal> cleared = c.activity().listSignals(ListSignalsRequest.newBuilder()
                    .setState(SignalState.SIGNAL_STATE_CLEARED).build()).getSignalsList();
            assertThat(cleared).hasSize(8).allSatisfy(s ->
                    assertThat(Times.instant(s.getClearedAt())).isEqualTo(NOW.plus(Duration.ofHours(1))));

            List<Prediction> history = c.activity().listPredictions(ListPredictionsRequest.newBuilder()
                    .setIncludeHistory(true).setLimitId(chatDaily.toString()).build()).getPredictionsList();
            assertThat(history).extracting(p -> Times.instant(p.getMadeAt()))
                    .containsExactly(NOW.plus(Duration.ofHours(1)), NOW);
            assertThat(c.activity().listPredictions(ListPredictionsRequest.getDefaultInstance()).getPredictionsList())
                    .hasSize(3);
            assertThat(c.activity().listAnomalies(ListAnomaliesRequest.getDefaultInstance()).getAnomaliesList())
                    .hasSize(8);
        }
        try (GovconClient c = server.grpc(flat.ownerKey())) {
            assertThat(c.activity().listSignals(ListSignalsRequest.getDefaultInstance()).getSignalsList()).isEmpty();
        }
    }

    @Test
    @Order(3)
    void afterTheWindowEndsPredictionsCarryTheirActual() {
        server.clock.set(Instant.parse("2031-05-21T00:10:00Z"));
        assertThat(server.server.jobs().runNow(SignalsDetectJob.NAME).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        try (GovconClient c = server.grpc(spiky.ownerKey())) {
            List<Prediction> history = c.activity().listPredictions(ListPredictionsRequest.newBuilder()
                    .setIncludeHistory(true).setLimitId(chatDaily.toString())
                    .setStartTime(Times.ts(NOW.minus(Duration.ofHours(1)))).setEndTime(Times.ts(NOW.plus(Duration.ofHours(2))))
                    .build()).getPredictionsList();
            // the chat feature's spend on 05-20 as seeded: 11 × 0.3 $ + 3 $ + 2 × 0.3 $
            assertThat(history).hasSize(2).allSatisfy(p -> assertThat(p.getActualMicros()).isEqualTo(6_900_000));
        }
    }

    private static List<Signal> all(GovconClient c, ListSignalsRequest.Builder request) {
        List<Signal> out = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListSignalsResponse page = c.activity().listSignals(request.setPageToken(token).build());
            out.addAll(page.getSignalsList());
            token = page.getNextPageToken();
            assertThat(++pages).isLessThan(20);
        } while (!token.isEmpty());
        return out;
    }

    private static Signal find(List<Signal> signals, SignalType type, String key) {
        return signals.stream().filter(s -> s.getType() == type && s.getDimensionKey().equals(key)).findFirst()
                .orElseThrow();
    }

    private static Prediction byLimit(List<Prediction> predictions, UUID limitId) {
        return predictions.stream().filter(p -> p.getLimitId().equals(limitId.toString())).findFirst().orElseThrow();
    }
}
