package dev.govcon.server.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.CheckGuardRequest;
import dev.govcon.proto.v1.CheckGuardResponse;
import dev.govcon.proto.v1.CompleteRunRequest;
import dev.govcon.proto.v1.GuardDecision;
import dev.govcon.proto.v1.GuardMatchedControl;
import dev.govcon.proto.v1.GuardOutcome;
import dev.govcon.proto.v1.RecordRunsRequest;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import dev.govcon.server.testing.RunningServer.Tenant;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Each rule type and limit kind at its boundary, scopes, statuses, reservations and violations. */
class GuardTest {
    static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static CheckGuardRequest.Builder call(String model) {
        return CheckGuardRequest.newBuilder().setModel(model).setProvider("openai").setFeature("chat");
    }

    private static CheckGuardResponse check(Tenant t, CheckGuardRequest.Builder request) {
        try (GovconClient client = server.grpc(t.ownerKey())) {
            return client.runtime().checkGuard(request.build());
        }
    }

    private static GuardOutcome outcomeOf(CheckGuardResponse r, UUID control) {
        return r.getMatchedControlsList().stream().filter(m -> m.getControlId().equals(control.toString()))
                .map(GuardMatchedControl::getOutcome).findFirst().orElse(GuardOutcome.GUARD_OUTCOME_UNSPECIFIED);
    }

    private static void complete(Tenant t, String runId, String reservationId, long costMicros) {
        try (GovconClient client = server.grpc(t.ownerKey())) {
            client.runtime().completeRun(CompleteRunRequest.newBuilder().setRunId(runId).setRun(
                    Run.newBuilder().setModel("gpt-4o").setProvider("openai").setFeature("chat")
                            .setStatus(RunStatus.SUCCEEDED).setCostMicros(costMicros).setReservationId(reservationId)
                            .setInputTokens(10).setOutputTokens(10)).build());
        }
    }

    private static final String LEASED =
            "SELECT coalesce(sum(leased), 0) FROM guard_windows WHERE tenant_id = ?::uuid AND limit_id = ?";

    /** Background leases land after the check answers: waits (up to 10 s) for the window's lease total. */
    private static void awaitLeased(Tenant t, UUID limit, long expected) throws InterruptedException {
        RunFixtures sql = new RunFixtures(server.database.dataSource());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sql.queryLong(LEASED, t.id(), limit) < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sql.queryLong(LEASED, t.id(), limit)).isEqualTo(expected);
    }

    @Test
    void withoutControlsEverythingIsAllowedAndNothingReserved() {
        Tenant t = server.newTenant("guard-empty");
        CheckGuardResponse r = check(t, call("gpt-4o"));
        assertThat(r.getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        assertThat(r.getMatchedControlsList()).isEmpty();
        assertThat(r.getReservationId()).isEmpty();
        assertThat(r.getReason()).contains("no control applies");
    }

    @Test
    void modelListsAndProviderListActByTheirAction() {
        Tenant t = server.newTenant("guard-lists");
        UUID deny = TestControls.rule(server.database, t.id(), "MODEL_DENY_LIST").texts("models", "gpt-3.5").insert();
        UUID allow = TestControls.rule(server.database, t.id(), "MODEL_ALLOW_LIST").action("WARN")
                .texts("models", "gpt-4o", "gpt-3.5").insert();
        UUID providers = TestControls.rule(server.database, t.id(), "PROVIDER_ALLOW_LIST").action("LOG")
                .texts("providers", "openai").insert();

        CheckGuardResponse denied = check(t, call("gpt-3.5"));
        assertThat(denied.getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_DENY);
        assertThat(outcomeOf(denied, deny)).isEqualTo(GuardOutcome.GUARD_OUTCOME_DENIED);
        assertThat(denied.getReason()).contains("deny list");

        CheckGuardResponse ok = check(t, call("gpt-4o"));
        assertThat(ok.getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        assertThat(ok.getMatchedControlsList()).extracting(GuardMatchedControl::getOutcome)
                .containsOnly(GuardOutcome.GUARD_OUTCOME_PASSED).hasSize(3);

        CheckGuardResponse warned = check(t, call("claude-3").setProvider("anthropic"));
        assertThat(warned.getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_WARN);
        assertThat(outcomeOf(warned, allow)).isEqualTo(GuardOutcome.GUARD_OUTCOME_WARNED);
        assertThat(outcomeOf(warned, providers)).isEqualTo(GuardOutcome.GUARD_OUTCOME_LOGGED);
    }

    @Test
    void maxTokensIsAllowedExactlyAtTheLimitAndDeniedOneOver() {
        Tenant t = server.newTenant("guard-tokens-rule");
        UUID rule = TestControls.rule(server.database, t.id(), "MAX_TOKENS_PER_RUN").set("max_tokens", 1000L).insert();
        assertThat(check(t, call("gpt-4o").setEstimatedInputTokens(400).setMaxOutputTokens(600)).getDecision())
                .isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        CheckGuardResponse over = check(t, call("gpt-4o").setEstimatedInputTokens(401).setMaxOutputTokens(600));
        assertThat(over.getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_DENY);
        assertThat(outcomeOf(over, rule)).isEqualTo(GuardOutcome.GUARD_OUTCOME_DENIED);
    }

    @Test
    void requiredMetadataAndEthicalConstraintsAreChecked() {
        Tenant t = server.newTenant("guard-metadata");
        TestControls.rule(server.database, t.id(), "REQUIRED_METADATA").texts("required_keys", "ticket").insert();
        UUID ethical = TestControls.rule(server.database, t.id(), "ETHICAL_CONSTRAINT")
                .set("ethical_constraint_id", "pii-redaction").set("required_metadata", "{\"pii_redacted\":\"true\"}")
                .insert();
        UUID advisory = TestControls.rule(server.database, t.id(), "ETHICAL_CONSTRAINT").set("enforcement", "ADVISORY")
                .set("ethical_constraint_id", "human-oversight").set("required_metadata", "{\"reviewed\":\"yes\"}")
                .insert();

        CheckGuardResponse missing = check(t, call("gpt-4o").putMetadata("pii_redacted", "true"));
        assertThat(missing.getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_DENY);
        assertThat(missing.getReason()).contains("ticket");

        CheckGuardResponse unredacted = check(t, call("gpt-4o").putMetadata("ticket", "T-1"));
        assertThat(outcomeOf(unredacted, ethical)).isEqualTo(GuardOutcome.GUARD_OUTCOME_DENIED);

        CheckGuardResponse ok = check(t, call("gpt-4o").putMetadata("ticket", "T-1").putMetadata("pii_redacted", "true"));
        assertThat(ok.getDecision()).as("an advisory rule never blocks or warns").isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        assertThat(outcomeOf(ok, advisory)).isEqualTo(GuardOutcome.GUARD_OUTCOME_LOGGED);
    }

    @Test
    void scopesMatchFeatureModelOrTenantAndDraftOrDisabledControlsAreIgnored() {
        Tenant t = server.newTenant("guard-scopes");
        UUID chatOnly = TestControls.rule(server.database, t.id(), "MODEL_DENY_LIST").texts("models", "gpt-4o")
                .scope("feature", "chat").insert();
        UUID tenantWide = TestControls.rule(server.database, t.id(), "MODEL_DENY_LIST").action("WARN")
                .texts("models", "o1").insert();
        UUID modelScoped = TestControls.rule(server.database, t.id(), "MAX_TOKENS_PER_RUN").set("max_tokens", 100L)
                .scope("model", "o1").scope("feature", "search").insert();
        TestControls.rule(server.database, t.id(), "MODEL_DENY_LIST").texts("models", "gpt-4o-mini").status("DRAFT").insert();
        TestControls.rule(server.database, t.id(), "MODEL_DENY_LIST").texts("models", "gpt-4o-mini").status("DISABLED")
                .insert();

        assertThat(check(t, call("gpt-4o").setFeature("chat")).getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_DENY);
        CheckGuardResponse search = check(t, call("gpt-4o").setFeature("search"));
        assertThat(search.getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        assertThat(outcomeOf(search, chatOnly)).as("scoped to another feature").isEqualTo(GuardOutcome.GUARD_OUTCOME_UNSPECIFIED);
        assertThat(outcomeOf(search, tenantWide)).isEqualTo(GuardOutcome.GUARD_OUTCOME_PASSED);

        CheckGuardResponse o1 = check(t, call("o1").setFeature("search").setMaxOutputTokens(500));
        assertThat(outcomeOf(o1, modelScoped)).isEqualTo(GuardOutcome.GUARD_OUTCOME_DENIED);
        assertThat(outcomeOf(check(t, call("o1").setFeature("chat").setMaxOutputTokens(500)), modelScoped))
                .as("model matches, feature does not").isEqualTo(GuardOutcome.GUARD_OUTCOME_UNSPECIFIED);

        CheckGuardResponse mini = check(t, call("gpt-4o-mini").setFeature("search"));
        assertThat(mini.getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        assertThat(mini.getMatchedControlsList()).hasSize(1);
    }

    @Test
    void dailySpendAdmitsExactlyTheLimitAndNotOneMicroDollarMore() {
        Tenant t = server.newTenant("guard-spend-boundary");
        UUID limit = TestControls.limit(server.database, t.id(), "SPEND_PER_DAY", 1000).insert();

        CheckGuardResponse over = check(t, call("gpt-4o").setEstimatedCostMicros(1001));
        assertThat(over.getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_DENY);
        assertThat(outcomeOf(over, limit)).isEqualTo(GuardOutcome.GUARD_OUTCOME_DENIED);
        assertThat(over.getReservationId()).isEmpty();

        CheckGuardResponse exact = check(t, call("gpt-4o").setEstimatedCostMicros(1000));
        assertThat(exact.getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        assertThat(exact.getReservationId()).startsWith("res_");
        assertThat(exact.getReservedCostMicros()).isEqualTo(1000);
        assertThat(exact.getBudgets(0).getRemaining()).isZero();
        assertThat(exact.getBudgets(0).getReserved()).isEqualTo(1000);

        complete(t, "spend-exact", exact.getReservationId(), 1000);
        CheckGuardResponse after = check(t, call("gpt-4o").setEstimatedCostMicros(0));
        assertThat(after.getDecision()).as("an exhausted limit denies even a free call").isEqualTo(GuardDecision.GUARD_DECISION_DENY);
        assertThat(after.getBudgets(0).getCommitted()).isEqualTo(1000);
        assertThat(after.getBudgets(0).getReserved()).isZero();
    }

    @Test
    void aCheckThatLeavesLessThanHalfASliceLeasesTheNextSliceInTheBackground() throws InterruptedException {
        Tenant t = server.newTenant("guard-lease-ahead");
        // A slice is a twentieth of the limit: 500 here.
        UUID limit = TestControls.limit(server.database, t.id(), "SPEND_PER_DAY", 10_000).insert();

        assertThat(check(t, call("gpt-4o").setEstimatedCostMicros(400)).getDecision())
                .isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        // The check leased 500 and kept 100 free, less than half a slice: one more slice follows.
        awaitLeased(t, limit, 1000);

        CheckGuardResponse next = check(t, call("gpt-4o").setEstimatedCostMicros(550));
        assertThat(next.getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        assertThat(next.getBudgets(0).getReserved()).isEqualTo(950);
        assertThat(next.getBudgets(0).getRemaining()).isEqualTo(9050);
    }

    @Test
    void reconcilingToALowerActualCostFreesTheDifference() {
        Tenant t = server.newTenant("guard-reconcile");
        TestControls.limit(server.database, t.id(), "SPEND_PER_DAY", 1000).insert();
        CheckGuardResponse first = check(t, call("gpt-4o").setEstimatedCostMicros(800));
        assertThat(first.getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        assertThat(check(t, call("gpt-4o").setEstimatedCostMicros(300)).getDecision())
                .isEqualTo(GuardDecision.GUARD_DECISION_DENY);

        complete(t, "reconcile-1", first.getReservationId(), 100);
        CheckGuardResponse second = check(t, call("gpt-4o").setEstimatedCostMicros(900));
        assertThat(second.getDecision()).as("100 used + 900 reserved fits 1000").isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        assertThat(second.getBudgets(0).getCommitted()).isEqualTo(100);
        assertThat(check(t, call("gpt-4o").setEstimatedCostMicros(1)).getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_DENY);
    }

    @Test
    void aRunIdOnTheCheckLetsTheCompletionReconcileWithoutTheReservationId() {
        Tenant t = server.newTenant("guard-run-id");
        TestControls.limit(server.database, t.id(), "SPEND_PER_DAY", 1000).insert();
        assertThat(check(t, call("gpt-4o").setEstimatedCostMicros(900).setRunId("by-run-1")).getDecision())
                .isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        complete(t, "by-run-1", "", 50);
        assertThat(check(t, call("gpt-4o").setEstimatedCostMicros(950)).getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
    }

    @Test
    void reservationsExpireAndReleaseTheirBudget() {
        Tenant t = server.newTenant("guard-expiry");
        TestControls.limit(server.database, t.id(), "SPEND_PER_DAY", 1000).insert();
        assertThat(check(t, call("gpt-4o").setEstimatedCostMicros(800)).getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        assertThat(check(t, call("gpt-4o").setEstimatedCostMicros(800)).getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_DENY);

        server.clock.advance(server.server.guard() == null ? Duration.ZERO : Duration.ofMinutes(16));
        assertThat(server.server.guard().expireReservations()).isGreaterThanOrEqualTo(1);
        CheckGuardResponse again = check(t, call("gpt-4o").setEstimatedCostMicros(800));
        assertThat(again.getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        assertThat(again.getBudgets(0).getCommitted()).as("an expired reservation spends nothing").isZero();
    }

    @Test
    void oneExpirySweepGivesEveryExpiredHoldBackToTheWindow() throws InterruptedException {
        Tenant t = server.newTenant("guard-expiry-sweep");
        // A slice is a twentieth of the limit: 500 here.
        UUID limit = TestControls.limit(server.database, t.id(), "SPEND_PER_DAY", 10_000).insert();
        RunFixtures sql = new RunFixtures(server.database.dataSource());
        for (int i = 0; i < 5; i++) {
            assertThat(check(t, call("gpt-4o").setEstimatedCostMicros(300)).getDecision())
                    .isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        }
        // 1,500 held; the last check left no room free, so a fourth slice is leased ahead.
        awaitLeased(t, limit, 2000);

        server.clock.advance(Duration.ofMinutes(16));
        assertThat(server.server.guard().expireReservations()).isGreaterThanOrEqualTo(5);
        assertThat(sql.queryLong(LEASED, t.id(), limit)).as("the five holds are given back; the free slice stays")
                .isEqualTo(500);
        CheckGuardResponse whole = check(t, call("gpt-4o").setEstimatedCostMicros(10_000));
        assertThat(whole.getDecision()).as("the whole budget can be leased again").isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        assertThat(sql.queryLong(LEASED, t.id(), limit)).isEqualTo(10_000);
    }

    @Test
    void tokensPerDayCountsInputAndMaxOutput() {
        Tenant t = server.newTenant("guard-tokens-limit");
        TestControls.limit(server.database, t.id(), "TOKENS_PER_DAY", 5000).insert();
        assertThat(check(t, call("gpt-4o").setEstimatedInputTokens(2000).setMaxOutputTokens(3000)).getDecision())
                .isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        assertThat(check(t, call("gpt-4o").setEstimatedInputTokens(1)).getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_DENY);
    }

    @Test
    void requestsPerMinuteAdmitNThenDenyWithRetryAfterAndDryRunsTakeNoSlot() {
        Tenant t = server.newTenant("guard-rpm");
        TestControls.limit(server.database, t.id(), "REQUESTS_PER_MINUTE", 3).insert();
        assertThat(check(t, call("gpt-4o").setDryRun(true)).getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        for (int i = 0; i < 3; i++) {
            assertThat(check(t, call("gpt-4o")).getDecision()).as("request %d", i + 1).isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        }
        CheckGuardResponse fourth = check(t, call("gpt-4o"));
        assertThat(fourth.getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_DENY);
        assertThat(fourth.getRetryAfter().getSeconds()).isBetween(0L, 60L);
        assertThat(fourth.hasRetryAfter()).isTrue();

        server.clock.advance(Duration.ofMinutes(1));
        assertThat(check(t, call("gpt-4o")).getDecision()).as("a new minute").isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
    }

    @Test
    void concurrentRunsComeBackWhenARunCompletes() {
        Tenant t = server.newTenant("guard-concurrency");
        TestControls.limit(server.database, t.id(), "CONCURRENT_RUNS", 2).insert();
        CheckGuardResponse a = check(t, call("gpt-4o").setRunId("conc-a"));
        assertThat(check(t, call("gpt-4o").setRunId("conc-b")).getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        assertThat(check(t, call("gpt-4o").setRunId("conc-c")).getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_DENY);
        complete(t, "conc-a", a.getReservationId(), 10);
        assertThat(check(t, call("gpt-4o").setRunId("conc-d")).getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
    }

    @Test
    void aLimitPastItsWarningShareWarns() {
        Tenant t = server.newTenant("guard-warn-ratio");
        UUID limit = TestControls.limit(server.database, t.id(), "SPEND_PER_DAY", 1000).set("warn_at_ratio", 0.5).insert();
        assertThat(check(t, call("gpt-4o").setEstimatedCostMicros(500)).getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_ALLOW);
        CheckGuardResponse warned = check(t, call("gpt-4o").setEstimatedCostMicros(100));
        assertThat(warned.getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_WARN);
        assertThat(outcomeOf(warned, limit)).isEqualTo(GuardOutcome.GUARD_OUTCOME_WARNED);
        assertThat(warned.getReservationId()).as("a warning still reserves").isNotEmpty();
    }

    @Test
    void aWarnLimitWithoutRoomAdmitsTheCallWithoutHoldingIt() {
        Tenant t = server.newTenant("guard-warn-limit");
        TestControls.limit(server.database, t.id(), "SPEND_PER_DAY", 100).action("WARN").insert();
        CheckGuardResponse r = check(t, call("gpt-4o").setEstimatedCostMicros(500));
        assertThat(r.getDecision()).isEqualTo(GuardDecision.GUARD_DECISION_WARN);
        assertThat(r.getReservationId()).isEmpty();
    }

    @Test
    void denialsAndWarningsAreWrittenAsViolationsAndDryRunsAreNot() {
        Tenant t = server.newTenant("guard-violations");
        UUID rule = TestControls.rule(server.database, t.id(), "MODEL_DENY_LIST").texts("models", "bad-model").insert();
        UUID limit = TestControls.limit(server.database, t.id(), "SPEND_PER_DAY", 1000).action("WARN").insert();
        check(t, call("bad-model").putMetadata("team", "blue"));
        check(t, call("gpt-4o").setEstimatedCostMicros(5000).setEndUser("u-7"));
        check(t, call("bad-model").setDryRun(true));
        server.server.guard().flushViolations();

        UUID tenant = UUID.fromString(t.id());
        assertThat(TestControls.scalar(server.database,
                "SELECT count(*) FROM limit_violations WHERE tenant_id = ?", tenant)).isEqualTo(2);
        assertThat(TestControls.scalar(server.database, "SELECT count(*) FROM limit_violations WHERE tenant_id = ? "
                + "AND control_id = ? AND action = 'BLOCK' AND origin = 'GUARD_CHECK' AND model = 'bad-model' "
                + "AND control_type = 'MODEL_DENY_LIST' AND metadata->>'team' = 'blue'", tenant, rule)).isEqualTo(1);
        assertThat(TestControls.scalar(server.database, "SELECT count(*) FROM limit_violations WHERE tenant_id = ? "
                + "AND control_id = ? AND action = 'WARN' AND end_user = 'u-7' AND limit_amount = 1000 "
                + "AND cost_micros = 5000", tenant, limit)).isEqualTo(1);
    }

    @Test
    void completedRunsThatCrossALimitAfterTheFactAreWrittenOnceAsViolations() {
        Tenant t = server.newTenant("guard-after-the-fact");
        UUID limit = TestControls.limit(server.database, t.id(), "SPEND_PER_DAY", 1000).insert();
        try (GovconClient client = server.grpc(t.ownerKey())) {
            RecordRunsRequest.Builder batch = RecordRunsRequest.newBuilder();
            for (String id : new String[] {"late-1", "late-2"}) {
                batch.addRuns(Run.newBuilder().setRunId(id).setModel("gpt-4o").setProvider("openai").setFeature("chat")
                        .setStatus(RunStatus.SUCCEEDED).setCostMicros(700).setInputTokens(10).setOutputTokens(10)
                        .setStartTime(dev.govcon.server.wire.Times.ts(server.clock.instant().minusSeconds(5)))
                        .setEndTime(dev.govcon.server.wire.Times.ts(server.clock.instant())));
            }
            client.runtime().recordRuns(batch.build());
            client.runtime().recordRuns(batch.build());
        }
        server.server.guard().flushViolations();

        UUID tenant = UUID.fromString(t.id());
        assertThat(TestControls.scalar(server.database, "SELECT count(*) FROM limit_violations WHERE tenant_id = ? "
                + "AND control_id = ? AND origin = 'RUN_COMPLETION' AND run_id = 'late-2' AND limit_amount = 1000 "
                + "AND cost_micros = 700", tenant, limit))
                .as("the run that crossed 1000, once, though the batch was sent twice").isEqualTo(1);
        assertThat(TestControls.scalar(server.database, "SELECT count(*) FROM limit_violations WHERE tenant_id = ?", tenant))
                .isEqualTo(1);
        assertThat(check(t, call("gpt-4o")).getDecision()).as("1400 of 1000 spent").isEqualTo(GuardDecision.GUARD_DECISION_DENY);
    }

    @Test
    void restServesTheSameCheck() {
        Tenant t = server.newTenant("guard-rest");
        TestControls.rule(server.database, t.id(), "MODEL_DENY_LIST").texts("models", "bad-model").insert();
        Reply reply = server.post("/api/v1/guard/check", "{\"model\":\"bad-model\",\"feature\":\"chat\"}", t.ownerKey());
        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.get("decision").asText()).isEqualTo("GUARD_DECISION_DENY");
        assertThat(json.get("matched_controls").get(0).get("outcome").asText()).isEqualTo("GUARD_OUTCOME_DENIED");
    }

    @Test
    void badInputIsA400NamingTheField() {
        Tenant t = server.newTenant("guard-bad-input");
        assertThat(badRest(t, "{\"feature\":\"chat\"}")).startsWith("model");
        assertThat(badRest(t, "{\"model\":\"m\",\"estimated_input_tokens\":-1}")).startsWith("estimated_input_tokens");
        assertThat(badRest(t, "{\"model\":\"m\",\"max_output_tokens\":-5}")).startsWith("max_output_tokens");
        assertThat(badRest(t, "{\"model\":\"m\",\"estimated_cost_micros\":-1}")).startsWith("estimated_cost_micros");
        assertThat(badRest(t, "{\"model\":\"m\",\"run_id\":\"has spaces\"}")).startsWith("run_id");
        assertThat(badRest(t, "{\"model\":\"m\",\"feature\":\"" + "f".repeat(201) + "\"}")).startsWith("feature");
        assertThat(badRest(t, "{\"model\":\"m\",\"metadata\":{\"k\":\"" + "v".repeat(1025) + "\"}}")).startsWith("metadata.k");
        assertThat(badRest(t, "{\"model\":\"m\",\"dry_run\":\"maybe\"}")).startsWith("dry_run");
        try (GovconClient client = server.grpc(t.ownerKey())) {
            assertThatThrownBy(() -> client.runtime().checkGuard(CheckGuardRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).startsWith("model");
                    });
        }
    }

    private static String badRest(Tenant t, String body) {
        Reply reply = server.post("/api/v1/guard/check", body, t.ownerKey());
        assertThat(reply.status()).as(body).isEqualTo(400);
        return reply.json().get("message").asText();
    }
}
