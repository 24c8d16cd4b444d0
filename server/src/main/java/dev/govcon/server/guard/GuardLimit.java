package dev.govcon.server.guard;

import java.util.UUID;

import dev.govcon.proto.v1.BudgetUnit;
import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.server.policies.ControlScope;

/** An ACTIVE limit as the guard evaluates it. */
record GuardLimit(UUID id, String name, LimitKind kind, long amount, double warnAtRatio, ControlScope scope,
                  ControlAction action) {

    String type() {
        return kind.name().substring("LIMIT_KIND_".length());
    }

    BudgetUnit unit() {
        return switch (kind) {
            case LIMIT_KIND_SPEND_PER_DAY, LIMIT_KIND_SPEND_PER_MONTH -> BudgetUnit.BUDGET_UNIT_MICROS;
            case LIMIT_KIND_TOKENS_PER_DAY -> BudgetUnit.BUDGET_UNIT_TOKENS;
            case LIMIT_KIND_REQUESTS_PER_MINUTE -> BudgetUnit.BUDGET_UNIT_REQUESTS;
            default -> BudgetUnit.BUDGET_UNIT_CONCURRENT_RUNS;
        };
    }

    /** Spend and token limits count completed usage; rate and concurrency limits count checks. */
    boolean countsUsage() {
        return kind == LimitKind.LIMIT_KIND_SPEND_PER_DAY || kind == LimitKind.LIMIT_KIND_SPEND_PER_MONTH
                || kind == LimitKind.LIMIT_KIND_TOKENS_PER_DAY;
    }

    /** A request slot is spent when admitted; a concurrency slot comes back when the run ends. */
    boolean releasedOnSettle() {
        return kind != LimitKind.LIMIT_KIND_REQUESTS_PER_MINUTE;
    }

    long usageOf(long costMicros, long tokens) {
        return switch (kind) {
            case LIMIT_KIND_SPEND_PER_DAY, LIMIT_KIND_SPEND_PER_MONTH -> costMicros;
            case LIMIT_KIND_TOKENS_PER_DAY -> tokens;
            default -> 1;
        };
    }
}
