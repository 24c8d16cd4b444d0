package dev.govcon.server.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.govcon.proto.v1.BudgetUnit;
import dev.govcon.proto.v1.GetRunRequest;
import dev.govcon.proto.v1.GuardControlKind;
import dev.govcon.proto.v1.GuardOutcome;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.sdk.GovconClient;
import dev.govcon.sdk.GuardCheck;
import dev.govcon.sdk.GuardDecision;
import dev.govcon.sdk.GuardDecision.Verdict;
import dev.govcon.sdk.GuardDeniedException;
import dev.govcon.sdk.GuardedResult;
import dev.govcon.sdk.LlmOutcome;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Tenant;

/** The SDK's guard ({@code GovconClient.guard()}): check, and call (check, run, complete, record) against a real server. */
class SdkGuardTest {
    static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static GuardCheck.Builder chat(String model) {
        return GuardCheck.builder().model(model).provider("openai").feature("support-chat").endUser("u-42")
                .environment("production");
    }

    private static long remaining(GovconClient client, UUID limit) {
        GuardDecision peek = client.guard().check(chat("gpt-4o").estimatedCostMicros(0).dryRun(true).build());
        return peek.budget(limit.toString()).orElseThrow().remaining();
    }

    @Test
    void checkAnswersTheVerdictTheControlsAndTheBudgetsWithTheReservation() {
        Tenant t = server.newTenant("sdk-guard-check");
        UUID limit = TestControls.limit(server.database, t.id(), "SPEND_PER_DAY", 10_000).insert();
        UUID rule = TestControls.rule(server.database, t.id(), "MODEL_ALLOW_LIST").texts("models", "gpt-4o").insert();
        try (GovconClient client = server.grpc(t.ownerKey())) {
            GuardDecision d = client.guard().check(chat("gpt-4o").estimatedCostMicros(3_000).runId("check-1").build());

            assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
            assertThat(d.allowed()).isTrue();
            assertThat(d.runId()).isEqualTo("check-1");
            assertThat(d.reservationId()).hasValueSatisfying(id -> assertThat(id).startsWith("res_"));
            assertThat(d.reservedCostMicros()).isEqualTo(3_000);
            assertThat(d.reservationExpiresAt()).isPresent();
            assertThat(d.matchedControls()).extracting(GuardDecision.MatchedControl::controlId)
                    .containsExactlyInAnyOrder(limit.toString(), rule.toString());
            assertThat(d.matchedControls()).extracting(GuardDecision.MatchedControl::outcome)
                    .containsOnly(GuardOutcome.GUARD_OUTCOME_PASSED);
            assertThat(d.matchedControls()).filteredOn(m -> m.kind() == GuardControlKind.GUARD_CONTROL_KIND_RULE)
                    .extracting(GuardDecision.MatchedControl::type).containsExactly("MODEL_ALLOW_LIST");
            GuardDecision.Budget budget = d.budget(limit.toString()).orElseThrow();
            assertThat(budget.unit()).isEqualTo(BudgetUnit.BUDGET_UNIT_MICROS);
            assertThat(budget.type()).isEqualTo("SPEND_PER_DAY");
            assertThat(budget.limit()).isEqualTo(10_000);
            assertThat(budget.reserved()).isEqualTo(3_000);
            assertThat(budget.remaining()).isEqualTo(7_000);
            assertThat(budget.windowEnd()).isAfter(server.clock.instant());
            assertThat(d.warnings()).isEmpty();
            assertThat(d.denials()).isEmpty();
        }
    }

    @Test
    void anAllowedCallIsRecordedAndItsReservationReconciledToTheActualCost() {
        Tenant t = server.newTenant("sdk-guard-allow");
        UUID limit = TestControls.limit(server.database, t.id(), "SPEND_PER_DAY", 10_000).insert();
        try (GovconClient client = server.grpc(t.ownerKey())) {
            AtomicReference<Long> remainingDuringTheCall = new AtomicReference<>();
            GuardedResult<String> r = client.guard().call(
                    chat("gpt-4o").estimatedCostMicros(8_000).metadata("ticket", "T-9").build(),
                    decision -> {
                        remainingDuringTheCall.set(decision.budget(limit.toString()).orElseThrow().remaining());
                        assertThat(client.guard().check(chat("gpt-4o").estimatedCostMicros(3_000).build()).verdict())
                                .as("the call's 8,000 are held while it runs").isEqualTo(Verdict.DENY);
                        return LlmOutcome.of("the answer").tokens(1_200, 300).costMicros(1_500);
                    });

            assertThat(r.value()).isEqualTo("the answer");
            assertThat(r.decision().verdict()).isEqualTo(Verdict.ALLOW);
            assertThat(r.recording()).isEqualTo(GuardedResult.Recording.RECORDED);
            assertThat(r.failure()).isEmpty();
            assertThat(remainingDuringTheCall.get()).isEqualTo(2_000);
            assertThat(remaining(client, limit)).as("back up by the 6,500 reserved and not spent").isEqualTo(8_500);

            Run stored = client.activity().getRun(GetRunRequest.newBuilder().setRunId(r.runId()).build());
            assertThat(stored.getStatus()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(stored.getCostMicros()).isEqualTo(1_500);
            assertThat(stored.getInputTokens()).isEqualTo(1_200);
            assertThat(stored.getOutputTokens()).isEqualTo(300);
            assertThat(stored.getModel()).isEqualTo("gpt-4o");
            assertThat(stored.getFeature()).isEqualTo("support-chat");
            assertThat(stored.getEndUser()).isEqualTo("u-42");
            assertThat(stored.getEnvironment()).isEqualTo("production");
            assertThat(stored.getMetadataMap()).containsEntry("ticket", "T-9");
            assertThat(stored.getReservationId()).isEqualTo(r.decision().reservationId().orElseThrow());
            assertThat(r.stored()).hasValueSatisfying(s -> assertThat(s.getCostMicros()).isEqualTo(1_500));
        }
        assertThat(TestControls.scalar(server.database,
                "SELECT count(*) FROM guard_windows WHERE tenant_id = ?::uuid AND limit_id = ? AND committed = 1500",
                t.id(), limit)).as("the ledger counts the actual cost").isEqualTo(1);
    }

    @Test
    void aDeniedCallNeverRunsTheLlmAndThrowsWithTheDecision() {
        Tenant t = server.newTenant("sdk-guard-deny");
        UUID rule = TestControls.rule(server.database, t.id(), "MODEL_DENY_LIST").texts("models", "gpt-3.5").insert();
        UUID rpm = TestControls.limit(server.database, t.id(), "REQUESTS_PER_MINUTE", 1).insert();
        AtomicInteger llmCalls = new AtomicInteger();
        try (GovconClient client = server.grpc(t.ownerKey())) {
            GuardDeniedException denied = catchThrowableOfType(() -> client.guard().call(
                    chat("gpt-3.5").runId("denied-1").build(),
                    d -> LlmOutcome.of(llmCalls.incrementAndGet())), GuardDeniedException.class);
            assertThat(llmCalls).hasValue(0);
            assertThat(denied.decision().verdict()).isEqualTo(Verdict.DENY);
            assertThat(denied.decision().allowed()).isFalse();
            assertThat(denied.decision().reservationId()).isEmpty();
            assertThat(denied.decision().denials()).extracting(GuardDecision.MatchedControl::controlId)
                    .containsExactly(rule.toString());
            assertThat(denied.getMessage()).contains("deny list");
            assertThat(TestControls.scalar(server.database,
                    "SELECT count(*) FROM llm_run_records WHERE tenant_id = ?::uuid AND run_id = 'denied-1'", t.id()))
                    .as("a denied call is no run").isZero();

            // One request a minute: the first call runs, the second is denied with a retry time.
            assertThat(client.guard().call(chat("gpt-4o").build(), d -> LlmOutcome.of(llmCalls.incrementAndGet()))
                               .value()).isEqualTo(1);
            GuardDeniedException limited = catchThrowableOfType(() -> client.guard().call(chat("gpt-4o").build(),
                    d -> LlmOutcome.of(llmCalls.incrementAndGet())), GuardDeniedException.class);
            assertThat(llmCalls).hasValue(1);
            assertThat(limited.decision().denials()).extracting(GuardDecision.MatchedControl::controlId)
                    .containsExactly(rpm.toString());
            assertThat(limited.decision().retryAfter()).hasValueSatisfying(d -> assertThat(d).isPositive());
        }
    }

    @Test
    void aCallThatThrowsIsRecordedAsFailedAndTheExceptionRethrown() {
        Tenant t = server.newTenant("sdk-guard-fail");
        UUID limit = TestControls.limit(server.database, t.id(), "SPEND_PER_DAY", 10_000).insert();
        IOException boom = new IOException("provider timed out");
        try (GovconClient client = server.grpc(t.ownerKey())) {
            assertThatThrownBy(() -> client.guard().call(
                    chat("gpt-4o").estimatedCostMicros(4_000).runId("fails-1").build(),
                    d -> {
                        throw boom;
                    })).isSameAs(boom);

            Run stored = client.activity().getRun(GetRunRequest.newBuilder().setRunId("fails-1").build());
            assertThat(stored.getStatus()).isEqualTo(RunStatus.FAILED);
            assertThat(stored.getError()).isEqualTo("java.io.IOException: provider timed out");
            assertThat(stored.getCostMicros()).isZero();
            assertThat(remaining(client, limit)).as("the failed call's reservation is given back").isEqualTo(10_000);

            IllegalStateException unchecked = new IllegalStateException("bad prompt");
            assertThatThrownBy(() -> client.guard().call(chat("gpt-4o").runId("fails-2").build(), d -> {
                throw unchecked;
            })).isSameAs(unchecked);
            assertThat(client.activity().getRun(GetRunRequest.newBuilder().setRunId("fails-2").build())
                               .getError()).isEqualTo("java.lang.IllegalStateException: bad prompt");
        }
    }

    @Test
    void aWarningPassesThroughToTheCallAndTheResult() {
        Tenant t = server.newTenant("sdk-guard-warn");
        UUID rule = TestControls.rule(server.database, t.id(), "MODEL_ALLOW_LIST").action("WARN")
                .texts("models", "gpt-4o").insert();
        try (GovconClient client = server.grpc(t.ownerKey())) {
            AtomicReference<GuardDecision> seen = new AtomicReference<>();
            GuardedResult<String> r = client.guard().call(chat("claude-sonnet").provider("anthropic").build(), d -> {
                seen.set(d);
                return LlmOutcome.of("ok").tokens(10, 5).costMicros(40);
            });
            assertThat(r.decision().verdict()).isEqualTo(Verdict.WARN);
            assertThat(r.decision().allowed()).isTrue();
            assertThat(seen.get()).isSameAs(r.decision());
            assertThat(r.decision().warnings()).singleElement().satisfies(w -> {
                assertThat(w.controlId()).isEqualTo(rule.toString());
                assertThat(w.outcome()).isEqualTo(GuardOutcome.GUARD_OUTCOME_WARNED);
                assertThat(w.reason()).isNotBlank();
            });
            assertThat(r.recording()).isEqualTo(GuardedResult.Recording.RECORDED);
            assertThat(client.activity().getRun(GetRunRequest.newBuilder().setRunId(r.runId()).build())
                               .getStatus()).isEqualTo(RunStatus.SUCCEEDED);
        }
    }

    @Test
    void anOutcomeReportedAsFailedIsRecordedAsItSays() {
        Tenant t = server.newTenant("sdk-guard-outcome");
        try (GovconClient client = server.grpc(t.ownerKey())) {
            GuardedResult<String> r = client.guard().call(chat("gpt-4o").build(),
                    d -> LlmOutcome.of("filtered").status(RunStatus.FAILED).error("content_filter").tokens(50, 0));
            assertThat(r.value()).isEqualTo("filtered");
            Run stored = r.stored().orElseThrow();
            assertThat(stored.getStatus()).isEqualTo(RunStatus.FAILED);
            assertThat(stored.getError()).isEqualTo("content_filter");
            assertThat(stored.getCostMicros()).as("priced from the table: 50 input tokens of gpt-4o").isPositive();
        }
    }
}
