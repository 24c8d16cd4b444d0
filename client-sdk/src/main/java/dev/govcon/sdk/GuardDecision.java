package dev.govcon.sdk;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.google.protobuf.Timestamp;

import dev.govcon.proto.v1.BudgetUnit;
import dev.govcon.proto.v1.CheckGuardResponse;
import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.GuardControlKind;
import dev.govcon.proto.v1.GuardLimitBudget;
import dev.govcon.proto.v1.GuardMatchedControl;
import dev.govcon.proto.v1.GuardOutcome;
import dev.govcon.proto.v1.Scope;

/**
 * The guard's answer to a {@link GuardCheck}: the verdict, every control whose scope matched
 * (with what it did), the remaining budget of every applicable limit after this call's
 * reservation, and the reservation to complete the run with. Immutable.
 */
public final class GuardDecision {
    /** What the application should do with the call. */
    public enum Verdict {
        /** Make the call. */
        ALLOW,
        /** Make the call, but a WARN control matched or a limit is close: surface {@link #warnings()}. */
        WARN,
        /** Do not make the call: a BLOCK control matched. Nothing was reserved. */
        DENY
    }

    /**
     * One control (rule or limit) that applied to the check.
     *
     * @param type    the rule or limit type, e.g. "MODEL_DENY_LIST", "SPEND_PER_DAY"
     * @param outcome PASSED (within it), LOGGED, WARNED or DENIED
     * @param reason  why, for a person
     */
    public record MatchedControl(String controlId, GuardControlKind kind, String name, String type,
                                 ControlAction action, GuardOutcome outcome, Scope scope, String reason) {
        static MatchedControl of(GuardMatchedControl m) {
            return new MatchedControl(m.getControlId(), m.getKind(), m.getName(), m.getType(), m.getAction(),
                                      m.getOutcome(), m.getScope(), m.getReason());
        }
    }

    /**
     * A limit's state after this check: {@code remaining = limit - committed - reserved}, never
     * negative, in {@code unit} (micro-dollars, tokens, requests or runs in flight), for the
     * window ending at {@code windowEnd}.
     */
    public record Budget(String limitId, String name, String type, BudgetUnit unit, long limit, long committed,
                         long reserved, long remaining, Instant windowEnd) {
        static Budget of(GuardLimitBudget b) {
            return new Budget(b.getLimitId(), b.getName(), b.getType(), b.getUnit(), b.getLimit(), b.getCommitted(),
                              b.getReserved(), b.getRemaining(), b.hasWindowEnd() ? instant(b.getWindowEnd()) : null);
        }
    }

    private final CheckGuardResponse response;
    private final String runId;
    private final Verdict verdict;
    private final List<MatchedControl> matched;
    private final List<Budget> budgets;

    /**
     * @param runId the run id the check carried ("" if none)
     * @throws IllegalStateException for a response without a decision (a server newer or broken)
     */
    GuardDecision(CheckGuardResponse response, String runId) {
        this.response = Objects.requireNonNull(response, "response");
        this.runId = runId;
        this.verdict = switch (response.getDecision()) {
            case GUARD_DECISION_ALLOW -> Verdict.ALLOW;
            case GUARD_DECISION_WARN -> Verdict.WARN;
            case GUARD_DECISION_DENY -> Verdict.DENY;
            default -> throw new IllegalStateException("the guard answered no decision: " + response.getDecision());
        };
        this.matched = response.getMatchedControlsList().stream().map(MatchedControl::of).toList();
        this.budgets = response.getBudgetsList().stream().map(Budget::of).toList();
    }

    public Verdict verdict() {
        return verdict;
    }

    /** ALLOW or WARN: the call may be made. */
    public boolean allowed() {
        return verdict != Verdict.DENY;
    }

    /** Every control whose scope matched, passed ones included. */
    public List<MatchedControl> matchedControls() {
        return matched;
    }

    /** The controls that warned (outcome WARNED). */
    public List<MatchedControl> warnings() {
        return withOutcome(GuardOutcome.GUARD_OUTCOME_WARNED);
    }

    /** The controls that denied the call (outcome DENIED); empty unless the verdict is DENY. */
    public List<MatchedControl> denials() {
        return withOutcome(GuardOutcome.GUARD_OUTCOME_DENIED);
    }

    private List<MatchedControl> withOutcome(GuardOutcome outcome) {
        return matched.stream().filter(m -> m.outcome() == outcome).toList();
    }

    /** Remaining budget per applicable limit, after this call's reservation. */
    public List<Budget> budgets() {
        return budgets;
    }

    /** The budget of one limit, if it applied. */
    public Optional<Budget> budget(String limitId) {
        return budgets.stream().filter(b -> b.limitId().equals(limitId)).findFirst();
    }

    /** The reservation to complete the run with; empty when nothing was reserved (DENY, dry run, no limit). */
    public Optional<String> reservationId() {
        return response.getReservationId().isEmpty() ? Optional.empty() : Optional.of(response.getReservationId());
    }

    /** The cost reserved for this call, in micro-dollars (0 when nothing was reserved). */
    public long reservedCostMicros() {
        return response.getReservedCostMicros();
    }

    /** When an uncompleted reservation is released. */
    public Optional<Instant> reservationExpiresAt() {
        return response.hasReservationExpiresAt() ? Optional.of(instant(response.getReservationExpiresAt()))
                                                  : Optional.empty();
    }

    /** The run id the check carried; empty when it carried none. */
    public String runId() {
        return runId;
    }

    /** A one-line summary of the decision, for a log line or a user message. */
    public String reason() {
        return response.getReason();
    }

    /** For a DENY by a rate or concurrency limit: when a retry could succeed. */
    public Optional<Duration> retryAfter() {
        return response.hasRetryAfter() ? Optional.of(duration(response.getRetryAfter())) : Optional.empty();
    }

    /** How long the server took to decide. */
    public Duration evaluationTime() {
        return duration(response.getEvaluationTime());
    }

    /** The response as received. */
    public CheckGuardResponse response() {
        return response;
    }

    @Override
    public String toString() {
        return "GuardDecision{" + verdict + ": " + response.getReason() + "}";
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    private static Duration duration(com.google.protobuf.Duration d) {
        return Duration.ofSeconds(d.getSeconds(), d.getNanos());
    }
}
