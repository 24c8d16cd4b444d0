package dev.govcon.server.signals;

import dev.govcon.server.policies.LimitWindow;

/**
 * A BUDGET_BURN signal: an ACTIVE spend limit whose projected spend reaches its amount before
 * its window ends. Severity CRITICAL when the limit is already exhausted, HIGH otherwise. The
 * value is the projected spend at the window's end, the baseline the limit's amount (micros).
 */
final class BudgetBurn {
    private BudgetBurn() {
    }

    static Detected signal(SpendLimitRow limit, Projection p, LimitWindow window) {
        boolean exhausted = p.currentMicros() >= limit.amount();
        String message = exhausted
                ? String.format("Limit \"%s\" is exhausted: $%.2f spent of $%.2f.", limit.name(),
                                p.currentMicros() / 1e6, limit.amount() / 1e6)
                : String.format("Limit \"%s\" is on track to run out at %s, before its window ends at %s"
                                + " ($%.2f projected of $%.2f).", limit.name(), p.exhaustion(), window.end(),
                                p.predictedMicros() / 1e6, limit.amount() / 1e6);
        return new Detected("BUDGET_BURN", Watched.TENANT, limit.limitId(), p.predictedMicros(), limit.amount(),
                            "micros", exhausted ? "CRITICAL" : "HIGH", message);
    }
}
