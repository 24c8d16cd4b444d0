package dev.govcon.server.guard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.govcon.proto.v1.GuardControlKind;
import dev.govcon.proto.v1.GuardDecision;
import dev.govcon.proto.v1.GuardLimitBudget;
import dev.govcon.proto.v1.GuardMatchedControl;
import dev.govcon.proto.v1.GuardOutcome;
import dev.govcon.server.policies.ViolationRow;

/** What one check found, control by control, in the order evaluated (rules, then limits). */
final class Evaluation {
    private record Found(GuardRule rule, GuardLimit limit, GuardOutcome outcome, String reason, long observed) {
    }

    private final List<Found> found = new ArrayList<>();
    private final List<GuardLimitBudget> budgets = new ArrayList<>();
    private Duration retryAfter;
    private boolean denied;

    void rule(GuardRule rule, GuardOutcome outcome, String reason) {
        found.add(new Found(rule, null, outcome, reason, 0));
        denied |= outcome == GuardOutcome.GUARD_OUTCOME_DENIED;
    }

    void limit(GuardLimit limit, GuardOutcome outcome, String reason, long observed, Duration retry,
               GuardLimitBudget budget) {
        found.add(new Found(null, limit, outcome, reason, observed));
        budgets.add(budget);
        if (outcome == GuardOutcome.GUARD_OUTCOME_DENIED) {
            denied = true;
            if (retry != null && (retryAfter == null || retry.compareTo(retryAfter) > 0)) {
                retryAfter = retry;
            }
        }
    }

    /** Once a control denied, later limits are only looked at, never reserved. */
    boolean denied() {
        return denied;
    }

    List<GuardOutcome> outcomes() {
        return found.stream().map(Found::outcome).toList();
    }

    /** Every control the check applied to (whose scope matched), whatever its outcome. */
    List<UUID> controlIds() {
        List<UUID> out = new ArrayList<>(found.size());
        for (Found f : found) {
            out.add(f.rule() != null ? f.rule().id() : f.limit().id());
        }
        return out;
    }

    List<GuardLimitBudget> budgets() {
        return budgets;
    }

    Duration retryAfter() {
        return retryAfter;
    }

    List<GuardMatchedControl> matched() {
        return found.stream().map(f -> {
            GuardMatchedControl.Builder b = GuardMatchedControl.newBuilder().setOutcome(f.outcome()).setReason(f.reason());
            if (f.rule() != null) {
                b.setControlId(f.rule().id().toString()).setKind(GuardControlKind.GUARD_CONTROL_KIND_RULE)
                        .setName(f.rule().name()).setType(f.rule().type().name().substring("RULE_TYPE_".length()))
                        .setAction(f.rule().action()).setScope(f.rule().scope().toProto());
            } else {
                b.setControlId(f.limit().id().toString()).setKind(GuardControlKind.GUARD_CONTROL_KIND_LIMIT)
                        .setName(f.limit().name()).setType(f.limit().type()).setAction(f.limit().action())
                        .setScope(f.limit().scope().toProto());
            }
            return b.build();
        }).toList();
    }

    String reason(GuardDecision decision) {
        GuardOutcome wanted = switch (decision) {
            case GUARD_DECISION_DENY -> GuardOutcome.GUARD_OUTCOME_DENIED;
            case GUARD_DECISION_WARN -> GuardOutcome.GUARD_OUTCOME_WARNED;
            default -> null;
        };
        if (wanted == null) {
            return found.isEmpty() ? "allowed: no control applies" : "allowed by " + found.size() + " control(s)";
        }
        for (Found f : found) {
            if (f.outcome() == wanted) {
                String name = f.rule() != null ? f.rule().name() : f.limit().name();
                return (decision == GuardDecision.GUARD_DECISION_DENY ? "denied by " : "warned by ") + name + ": "
                       + f.reason();
            }
        }
        return decision.name();
    }

    List<ViolationRow> violations(GuardCall call, String reservationId, long costMicros, Instant at) {
        List<ViolationRow> out = new ArrayList<>();
        for (Found f : found) {
            if (!Outcomes.isViolation(f.outcome())) {
                continue;
            }
            out.add(f.rule() != null
                    ? GuardViolations.ofRule(f.rule(), f.outcome(), f.reason(), call, reservationId, costMicros, at)
                    : GuardViolations.ofLimit(f.limit(), f.outcome(), f.reason(), call, reservationId, f.observed(),
                                              costMicros, at));
        }
        return out;
    }
}
