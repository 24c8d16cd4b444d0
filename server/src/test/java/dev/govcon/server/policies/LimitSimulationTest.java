package dev.govcon.server.policies;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.DimensionBucket;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.LimitSimulation;
import dev.govcon.proto.v1.PolicyLimit;
import dev.govcon.proto.v1.PolicyStatus;
import dev.govcon.proto.v1.RecordRunsRequest;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.proto.v1.Scope;
import dev.govcon.proto.v1.SimulateLimitRequest;
import dev.govcon.proto.v1.SimulationDay;
import dev.govcon.proto.v1.SimulationTotals;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import dev.govcon.server.wire.Times;

/**
 * Limit simulation against a hand computation. The tenant is in Europe/Paris and the window is
 * three Paris days, 28-30 March 2026, the middle one 23 hours long (summer time starts). Runs
 * go through the real ingestion API, so the rollups are the real ones.
 *
 * <pre>
 * run  feature  ends (Paris)        cost    in+out tokens   started
 * z1   search   27 Mar 12:00        500000  15              11:59:59   (before the window)
 * a1   search   28 Mar 09:10         30000  150             09:00:00
 * a2   chat     28 Mar 10:20         40000  200             09:05:00   (a1 still running)
 * d1   chat     28 Mar 09:30:01          0  0               09:30:00   status BLOCKED: never replayed
 * a3   search   28 Mar 11:30         50000  200             11:29:59
 * a4   chat     28 Mar 13:00         20000  100             12:59:59
 * b1   search   29 Mar 08:00:01      10000  20              08:00:00
 * b2   search   29 Mar 08:00:30      10000  20              08:00:29
 * b3   search   29 Mar 08:00:45       5000  10              08:00:44
 * c1   chat     30 Mar 23:30        100000  1000            23:29:59
 * </pre>
 * Daily spend marks: 28th 30k, 70k, 120k, 140k; 29th 10k, 20k, 25k; 30th 100k.
 */
class LimitSimulationTest {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final Instant START = paris(2026, 3, 28, 0, 0, 0);
    static final Instant END = paris(2026, 3, 31, 0, 0, 0);

    static RunningServer server;
    static RunningServer.Tenant acme;
    static GovconClient client;
    static UUID dailySpend;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        acme = server.newTenant("Simulation Acme");
        Reply zone = server.put("/api/v1/accounts/profile", "{\"time_zone\":\"Europe/Paris\"}", acme.ownerKey());
        assertThat(zone.status()).as(zone.toString()).isEqualTo(200);
        client = server.grpc(acme.ownerKey());
        client.runtime().recordRuns(RecordRunsRequest.newBuilder().addAllRuns(List.of(
                run("z1", "search", paris(2026, 3, 27, 11, 59, 59), paris(2026, 3, 27, 12, 0, 0), 500_000, 10, 5),
                run("a1", "search", paris(2026, 3, 28, 9, 0, 0), paris(2026, 3, 28, 9, 10, 0), 30_000, 100, 50),
                run("a2", "chat", paris(2026, 3, 28, 9, 5, 0), paris(2026, 3, 28, 10, 20, 0), 40_000, 200, 0),
                run("d1", "chat", paris(2026, 3, 28, 9, 30, 0), paris(2026, 3, 28, 9, 30, 1), 0, 0, 0).toBuilder()
                        .setStatus(RunStatus.BLOCKED).build(),
                run("a3", "search", paris(2026, 3, 28, 11, 29, 59), paris(2026, 3, 28, 11, 30, 0), 50_000, 100, 100),
                run("a4", "chat", paris(2026, 3, 28, 12, 59, 59), paris(2026, 3, 28, 13, 0, 0), 20_000, 50, 50),
                run("b1", "search", paris(2026, 3, 29, 8, 0, 0), paris(2026, 3, 29, 8, 0, 1), 10_000, 10, 10),
                run("b2", "search", paris(2026, 3, 29, 8, 0, 29), paris(2026, 3, 29, 8, 0, 30), 10_000, 10, 10),
                run("b3", "search", paris(2026, 3, 29, 8, 0, 44), paris(2026, 3, 29, 8, 0, 45), 5_000, 5, 5),
                run("c1", "chat", paris(2026, 3, 30, 23, 29, 59), paris(2026, 3, 30, 23, 30, 0), 100_000, 1000, 0)))
                .build());
        dailySpend = new ControlFixtures(new RunFixtures(server.database.dataSource())).limit(
                UUID.fromString(acme.id()), "Daily spend", "SPEND_PER_DAY", 100_000, 0, "BLOCK", "ACTIVE");
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    static Instant paris(int y, int mo, int d, int h, int mi, int s) {
        return LocalDateTime.of(y, mo, d, h, mi, s).atZone(PARIS).toInstant();
    }

    static Run run(String id, String feature, Instant start, Instant end, long cost, long in, long out) {
        boolean search = feature.equals("search");
        return Run.newBuilder().setRunId(id).setFeature(feature).setModel(search ? "gpt-4o" : "claude-sonnet")
                .setProvider(search ? "openai" : "anthropic").setEndUser("u-1").setEnvironment("production")
                .setStatus(RunStatus.SUCCEEDED).setStartTime(Times.ts(start)).setEndTime(Times.ts(end))
                .setInputTokens(in).setOutputTokens(out).setCostMicros(cost)
                .setLatencyMs(end.toEpochMilli() - start.toEpochMilli()).build();
    }

    static PolicyLimit.Builder limit(LimitKind kind, long amount, ControlAction action) {
        return PolicyLimit.newBuilder().setKind(kind).setAmount(amount).setAction(action);
    }

    static LimitSimulation simulate(PolicyLimit.Builder limit) {
        return simulate(limit, START);
    }

    static LimitSimulation simulate(PolicyLimit.Builder limit, Instant start) {
        return client.policies().simulateLimit(SimulateLimitRequest.newBuilder().setLimit(limit)
                .setStartTime(Times.ts(start)).setEndTime(Times.ts(END)).build()).getSimulation();
    }

    static void assertTotals(SimulationTotals t, long blocked, long warned, long preventedCost, long preventedTokens,
                             long days, long features) {
        assertThat(List.of(t.getBlockedRuns(), t.getWarnedRuns(), t.getPreventedCostMicros(), t.getPreventedTokens(),
                           t.getDaysAffected(), t.getFeaturesAffected()))
                .as(t.toString()).containsExactly(blocked, warned, preventedCost, preventedTokens, days, features);
    }

    static void assertFeatures(LimitSimulation s, String... valueRunsCost) {
        List<DimensionBucket> got = s.getAffectedFeaturesList();
        assertThat(got).hasSize(valueRunsCost.length);
        for (int i = 0; i < got.size(); i++) {
            DimensionBucket b = got.get(i);
            assertThat(b.getValue() + " " + b.getRuns() + " " + b.getCostMicros()).isEqualTo(valueRunsCost[i]);
        }
    }

    @Test
    void dailySpendBlockStopsTheRunThatCrossesAndEveryLaterRunOfThatDay() {
        LimitSimulation s = simulate(limit(LimitKind.LIMIT_KIND_SPEND_PER_DAY, 100_000, ControlAction.BLOCK));
        assertThat(s.getRunsEvaluated()).isEqualTo(8);
        assertThat(s.getCostEvaluatedMicros()).isEqualTo(265_000);
        // a3 (mark 120k) and a4 (140k); c1 reaches exactly 100k on the 30th and is admitted.
        assertTotals(s.getProposed(), 2, 0, 70_000, 300, 1, 2);
        assertFeatures(s, "search 1 50000", "chat 1 20000");
        assertThat(s.getDaysList()).extracting(d -> Times.instant(d.getDayStartTime()))
                .containsExactly(Instant.parse("2026-03-27T23:00:00Z"), Instant.parse("2026-03-28T23:00:00Z"),
                                 Instant.parse("2026-03-29T22:00:00Z"));
        SimulationDay first = s.getDays(0);
        assertThat(List.of(first.getRuns(), first.getCostMicros(), first.getBlockedRuns(), first.getWarnedRuns(),
                           first.getPreventedCostMicros())).containsExactly(4L, 140_000L, 2L, 0L, 70_000L);
        assertThat(Times.instant(first.getLimitReachedTime())).isEqualTo(paris(2026, 3, 28, 11, 30, 0));
        assertThat(List.of(s.getDays(1).getRuns(), s.getDays(1).getCostMicros(), s.getDays(1).getBlockedRuns()))
                .containsExactly(3L, 25_000L, 0L);
        assertThat(s.getDays(1).hasLimitReachedTime()).isFalse();
        assertThat(List.of(s.getDays(2).getRuns(), s.getDays(2).getCostMicros(), s.getDays(2).getBlockedRuns()))
                .containsExactly(1L, 100_000L, 0L);
        assertThat(s.getLimit().getKind()).isEqualTo(LimitKind.LIMIT_KIND_SPEND_PER_DAY);
        assertThat(s.getLimit().getAction()).isEqualTo(ControlAction.BLOCK);
    }

    @Test
    void warnCountsTheSameRunsButPreventsNothing() {
        LimitSimulation s = simulate(limit(LimitKind.LIMIT_KIND_SPEND_PER_DAY, 100_000, ControlAction.WARN));
        assertTotals(s.getProposed(), 0, 2, 0, 0, 1, 2);
        assertThat(s.getDays(0).getWarnedRuns()).isEqualTo(2);
        assertThat(Times.instant(s.getDays(0).getLimitReachedTime())).isEqualTo(paris(2026, 3, 28, 11, 30, 0));
        LimitSimulation logged = simulate(limit(LimitKind.LIMIT_KIND_SPEND_PER_DAY, 100_000, ControlAction.LOG));
        assertTotals(logged.getProposed(), 0, 0, 0, 0, 0, 0);
        assertThat(logged.getDays(0).hasLimitReachedTime()).isTrue();
    }

    @Test
    void anEarlyWarningWarnsRunsPastItsShareThatAreNotBlocked() {
        // Past 50k: a2 (70k) and c1 (100k) are warned; a3 and a4 are over and blocked.
        LimitSimulation s = simulate(limit(LimitKind.LIMIT_KIND_SPEND_PER_DAY, 100_000, ControlAction.BLOCK)
                                             .setWarnAtRatio(0.5));
        assertTotals(s.getProposed(), 2, 2, 70_000, 300, 2, 2);
        assertFeatures(s, "search 1 50000", "chat 3 20000");
        assertThat(s.getDays(2).getWarnedRuns()).isEqualTo(1);
        assertThat(s.getDays(2).hasLimitReachedTime()).isFalse();
    }

    @Test
    void dailyTokensCountInputAndOutput() {
        // 28th: 150, 350, 550 (a3 over), 650 (a4); 30th: c1 alone is 1000.
        LimitSimulation s = simulate(limit(LimitKind.LIMIT_KIND_TOKENS_PER_DAY, 400, ControlAction.BLOCK));
        assertTotals(s.getProposed(), 3, 0, 170_000, 1300, 2, 2);
        assertThat(Times.instant(s.getDays(2).getLimitReachedTime())).isEqualTo(paris(2026, 3, 30, 23, 30, 0));
    }

    @Test
    void aMonthlyLimitCountsTheMonthBeforeTheWindowAndStaysExhausted() {
        // z1 (500k, the 27th) starts March; a3 takes it to 620k, and every later run is over.
        LimitSimulation s = simulate(limit(LimitKind.LIMIT_KIND_SPEND_PER_MONTH, 600_000, ControlAction.BLOCK));
        assertThat(s.getRunsEvaluated()).isEqualTo(8);
        assertTotals(s.getProposed(), 6, 0, 195_000, 1350, 3, 2);
        assertThat(s.getDaysList()).extracting(d -> Times.instant(d.getLimitReachedTime()))
                .containsExactly(paris(2026, 3, 28, 11, 30, 0), paris(2026, 3, 29, 8, 0, 1),
                                 paris(2026, 3, 30, 23, 30, 0));
    }

    @Test
    void aScopedLimitReplaysOnlyTheRunsItsScopeMatches() {
        // search on the 28th: a1 30k, a3 80k (over 60k).
        LimitSimulation s = simulate(limit(LimitKind.LIMIT_KIND_SPEND_PER_DAY, 60_000, ControlAction.BLOCK)
                                             .setScope(Scope.newBuilder().setFeature("search")));
        assertThat(s.getRunsEvaluated()).isEqualTo(5);
        assertThat(s.getCostEvaluatedMicros()).isEqualTo(105_000);
        assertTotals(s.getProposed(), 1, 0, 50_000, 200, 1, 1);
        assertThat(s.getLimit().getScope().getFeature()).isEqualTo("search");
    }

    @Test
    void runRecordsAndRollupsGiveTheSameAnswer() {
        // A scope on the end user cannot be read from the rollups: every run is replayed.
        for (ControlAction action : new ControlAction[] {ControlAction.BLOCK, ControlAction.WARN}) {
            for (LimitKind kind : new LimitKind[] {LimitKind.LIMIT_KIND_SPEND_PER_DAY, LimitKind.LIMIT_KIND_SPEND_PER_MONTH}) {
                long amount = kind == LimitKind.LIMIT_KIND_SPEND_PER_DAY ? 100_000 : 600_000;
                LimitSimulation rollups = simulate(limit(kind, amount, action).setWarnAtRatio(0.5));
                LimitSimulation records = simulate(limit(kind, amount, action).setWarnAtRatio(0.5)
                                                           .setScope(Scope.newBuilder().setEndUser("u-1")));
                assertThat(records.getProposed()).isEqualTo(rollups.getProposed());
                assertThat(records.getDaysList()).isEqualTo(rollups.getDaysList());
                assertThat(records.getAffectedFeaturesList()).isEqualTo(rollups.getAffectedFeaturesList());
            }
        }
    }

    @Test
    void requestsPerMinuteStopTheRunsAfterTheFirstN() {
        // b1, b2 and b3 start in the same minute: b3 is the third.
        LimitSimulation s = simulate(limit(LimitKind.LIMIT_KIND_REQUESTS_PER_MINUTE, 2, ControlAction.BLOCK));
        assertTotals(s.getProposed(), 1, 0, 5_000, 10, 1, 1);
        assertThat(Times.instant(s.getDays(1).getLimitReachedTime())).isEqualTo(paris(2026, 3, 29, 8, 0, 44));
        LimitSimulation one = simulate(limit(LimitKind.LIMIT_KIND_REQUESTS_PER_MINUTE, 1, ControlAction.WARN));
        assertTotals(one.getProposed(), 0, 2, 0, 0, 1, 1);
        // Three a minute, warned past half (a mark above 1.5): b2 and b3, neither over.
        LimitSimulation early = simulate(limit(LimitKind.LIMIT_KIND_REQUESTS_PER_MINUTE, 3, ControlAction.BLOCK)
                                                 .setWarnAtRatio(0.5));
        assertTotals(early.getProposed(), 0, 2, 0, 0, 1, 1);
        assertThat(early.getRunsEvaluated()).isEqualTo(8);
        assertThat(early.getCostEvaluatedMicros()).isEqualTo(265_000);
    }

    @Test
    void concurrentRunsStopARunStartingWhileTheLimitIsInFlight() {
        // a2 starts at 09:05 while a1 runs until 09:10; d1 (BLOCKED) is not replayed.
        LimitSimulation s = simulate(limit(LimitKind.LIMIT_KIND_CONCURRENT_RUNS, 1, ControlAction.BLOCK));
        assertTotals(s.getProposed(), 1, 0, 40_000, 200, 1, 1);
        assertThat(Times.instant(s.getDays(0).getLimitReachedTime())).isEqualTo(paris(2026, 3, 28, 9, 5, 0));
        assertThat(simulate(limit(LimitKind.LIMIT_KIND_CONCURRENT_RUNS, 2, ControlAction.BLOCK)).getProposed()
                           .getBlockedRuns()).isZero();
        // Two in flight, warned past half (a mark above 1): a2, started while a1 ran.
        LimitSimulation early = simulate(limit(LimitKind.LIMIT_KIND_CONCURRENT_RUNS, 2, ControlAction.BLOCK)
                                                 .setWarnAtRatio(0.5));
        assertTotals(early.getProposed(), 0, 1, 0, 0, 1, 1);
        assertThat(early.getAffectedFeatures(0).getValue()).isEqualTo("chat");
    }

    @Test
    void aChangeToAnExistingLimitIsComparedWithTheLimitAsItIs() {
        LimitSimulation s = client.policies().simulateLimit(SimulateLimitRequest.newBuilder()
                .setBaseLimitId(dailySpend.toString()).setLimit(PolicyLimit.newBuilder().setAmount(15_000))
                .setStartTime(Times.ts(START)).setEndTime(Times.ts(END)).build()).getSimulation();
        // 15k a day: all of the 28th, b2 and b3, c1.
        assertTotals(s.getProposed(), 7, 0, 255_000, 1680, 3, 2);
        assertTotals(s.getCurrent(), 2, 0, 70_000, 300, 1, 2);
        assertThat(s.getLimit().getId()).isEqualTo(dailySpend.toString());
        assertThat(s.getLimit().getName()).isEqualTo("Daily spend");
        assertThat(s.getLimit().getStatus()).isEqualTo(PolicyStatus.POLICY_STATUS_ACTIVE);
        assertThat(s.getLimit().getKind()).isEqualTo(LimitKind.LIMIT_KIND_SPEND_PER_DAY);
        assertThat(s.getLimit().getAmount()).isEqualTo(15_000);
        assertThat(s.getLimit().getAction()).isEqualTo(ControlAction.BLOCK);
    }

    @Test
    void aWindowStartingMidDayCountsTheDaysEarlierRuns() {
        // From 10:00:30 on the 28th: a1 is not reported but its 30k still counts, so a3 is over.
        LimitSimulation s = simulate(limit(LimitKind.LIMIT_KIND_SPEND_PER_DAY, 100_000, ControlAction.BLOCK),
                                     paris(2026, 3, 28, 10, 0, 30));
        assertThat(s.getRunsEvaluated()).isEqualTo(7);
        assertThat(s.getCostEvaluatedMicros()).isEqualTo(235_000);
        assertTotals(s.getProposed(), 2, 0, 70_000, 300, 1, 2);
        assertThat(Times.instant(s.getDays(0).getDayStartTime())).isEqualTo(START);
        assertThat(s.getDays(0).getRuns()).isEqualTo(3);
    }

    @Test
    void restAnswersTheSameInJson() {
        Reply reply = server.post("/api/v1/limits/simulate",
                "{\"limit\":{\"kind\":\"LIMIT_KIND_SPEND_PER_DAY\",\"amount\":\"100000\",\"action\":\"BLOCK\"},"
                + "\"start_time\":\"" + START + "\",\"end_time\":\"" + END + "\"}", acme.ownerKey());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode sim = reply.json().get("simulation");
        assertThat(sim.get("proposed").get("blocked_runs").asLong()).isEqualTo(2);
        assertThat(sim.get("proposed").get("prevented_cost_micros").asLong()).isEqualTo(70_000);
        assertThat(sim.get("days")).hasSize(3);
        assertThat(sim.get("affected_features").get(0).get("value").asText()).isEqualTo("search");
    }
}
