package dev.govcon.server.guard;

import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.GuardDecision;
import dev.govcon.proto.v1.GuardOutcome;

/** How control actions become outcomes and outcomes a decision. */
final class Outcomes {
    private Outcomes() {
    }

    static GuardOutcome violated(ControlAction action) {
        return switch (action) {
            case BLOCK -> GuardOutcome.GUARD_OUTCOME_DENIED;
            case WARN -> GuardOutcome.GUARD_OUTCOME_WARNED;
            default -> GuardOutcome.GUARD_OUTCOME_LOGGED;
        };
    }

    /** DENY if anything denied, WARN if anything warned, else ALLOW. */
    static GuardDecision decide(Iterable<GuardOutcome> outcomes) {
        GuardDecision decision = GuardDecision.GUARD_DECISION_ALLOW;
        for (GuardOutcome o : outcomes) {
            if (o == GuardOutcome.GUARD_OUTCOME_DENIED) {
                return GuardDecision.GUARD_DECISION_DENY;
            }
            if (o == GuardOutcome.GUARD_OUTCOME_WARNED) {
                decision = GuardDecision.GUARD_DECISION_WARN;
            }
        }
        return decision;
    }

    static boolean isViolation(GuardOutcome o) {
        return o == GuardOutcome.GUARD_OUTCOME_DENIED || o == GuardOutcome.GUARD_OUTCOME_WARNED
                || o == GuardOutcome.GUARD_OUTCOME_LOGGED;
    }
}
