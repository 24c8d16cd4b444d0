package dev.govcon.server.policies;

import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.PolicyLimit;
import dev.govcon.proto.v1.PolicyStatus;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;

/**
 * What a limit must be before it is stored, whichever door it comes through. The result holds
 * only writable fields, normalised (names stripped, unset status given its default).
 */
final class LimitChecks {
    /** A trillion dollars in micro-dollars: room for any budget, far from overflowing sums. */
    static final long MAX_AMOUNT = 1_000_000_000_000_000_000L;

    private LimitChecks() {
    }

    /**
     * @param prefix        the request field holding the limit ("limit")
     * @param defaultStatus what an unset status becomes
     */
    static PolicyLimit check(String prefix, PolicyLimit in, PolicyStatus defaultStatus) {
        String p = prefix + ".";
        PolicyLimit.Builder out = PolicyLimit.newBuilder()
                .setName(ControlChecks.name(prefix, in.getName()))
                .setDescription(ControlChecks.description(prefix, in.getDescription()));
        LimitKind kind = Validate.enumValue(p + "kind", in.getKind(), true);
        if (in.getAmount() <= 0 || in.getAmount() > MAX_AMOUNT) {
            throw Errors.invalid(p + "amount", "must be between 1 and " + MAX_AMOUNT + " (" + unit(kind) + ")");
        }
        double warnAt = in.getWarnAtRatio();
        if (!(warnAt >= 0 && warnAt < 1)) {
            throw Errors.invalid(p + "warn_at_ratio", "must be 0 (no early warning) or a share of amount below 1");
        }
        return out.setKind(kind)
                .setAmount(in.getAmount())
                .setWarnAtRatio(warnAt)
                .setAction(ControlChecks.action(prefix, in.getAction()))
                .setStatus(ControlChecks.status(prefix, in.getStatus(), defaultStatus))
                .setScope(ControlChecks.scope(prefix, in.getScope()))
                .build();
    }

    static String unit(LimitKind kind) {
        return switch (kind) {
            case LIMIT_KIND_SPEND_PER_DAY, LIMIT_KIND_SPEND_PER_MONTH -> "micro-dollars";
            case LIMIT_KIND_TOKENS_PER_DAY -> "tokens";
            case LIMIT_KIND_REQUESTS_PER_MINUTE -> "requests";
            case LIMIT_KIND_CONCURRENT_RUNS -> "runs in flight";
            default -> "";
        };
    }
}
