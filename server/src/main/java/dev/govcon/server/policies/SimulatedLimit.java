package dev.govcon.server.policies;


import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.PolicyLimit;
import dev.govcon.proto.v1.Scope;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.wire.Times;

/**
 * The limit a simulation replays: what it counts ({@code kind}), how much, where, and what
 * crossing it does. Built from a proposed limit, or from an existing one with the proposed
 * changes applied.
 */
record SimulatedLimit(LimitKind kind, long amount, ControlScope scope, ControlAction action, double warnAtRatio) {
    static final int MAX_SCOPE_VALUE = 200;

    /**
     * The proposal checked field by field. With a base limit, unset fields keep the base's
     * values (kind UNSPECIFIED, amount 0, action UNSPECIFIED, warn_at_ratio 0, no scope);
     * without one, kind and amount are required and the action defaults to BLOCK.
     */
    static SimulatedLimit of(PolicyLimit proposed, LimitRow base) {
        LimitKind kind = Validate.enumValue("limit.kind", proposed.getKind(), false);
        if (kind == LimitKind.LIMIT_KIND_UNSPECIFIED) {
            if (base == null) {
                throw Errors.invalid("limit.kind", "is required");
            }
            kind = ControlEnums.limitKind(base.limitKind());
        }
        long amount = proposed.getAmount();
        if (amount < 0 || (amount == 0 && base == null)) {
            throw Errors.invalid("limit.amount", "must be greater than 0");
        }
        if (amount == 0) {
            amount = base.amount();
        }
        ControlAction action = Validate.enumValue("limit.action", proposed.getAction(), false);
        if (action == ControlAction.CONTROL_ACTION_UNSPECIFIED) {
            action = base == null ? ControlAction.BLOCK : ControlEnums.action(base.action());
        }
        double ratio = proposed.getWarnAtRatio();
        if (Double.isNaN(ratio) || ratio < 0 || ratio >= 1) {
            throw Errors.invalid("limit.warn_at_ratio", "must be 0 (no early warning) or more than 0 and less than 1");
        }
        if (ratio == 0 && base != null) {
            ratio = base.warnAtRatio();
        }
        ControlScope scope = proposed.hasScope() ? scope(proposed.getScope())
                : base == null ? ControlScope.TENANT : base.scope();
        return new SimulatedLimit(kind, amount, scope, action, ratio);
    }

    /** An existing limit as it is. */
    static SimulatedLimit of(LimitRow row) {
        return new SimulatedLimit(ControlEnums.limitKind(row.limitKind()), row.amount(), row.scope(),
                                  ControlEnums.action(row.action()), row.warnAtRatio());
    }

    /** The usage mark above which a run is warned early; null when there is no early warning. */
    Double warnAt() {
        return warnAtRatio > 0 ? warnAtRatio * amount : null;
    }

    /** This limit as the API shows it: the base limit's identity with the simulated values. */
    PolicyLimit toProto(PolicyLimit proposed, LimitRow base) {
        PolicyLimit.Builder b = PolicyLimit.newBuilder()
                .setName(proposed.getName()).setDescription(proposed.getDescription());
        if (base != null) {
            b.setId(base.limitId().toString())
                    .setName(proposed.getName().isEmpty() ? base.name() : proposed.getName())
                    .setDescription(proposed.getDescription().isEmpty() ? base.description() : proposed.getDescription())
                    .setStatus(ControlEnums.status(base.status()))
                    .setSourceRefId(base.sourceRefId())
                    .setVersion(base.version());
            Times.setIfPresent(base.createdAt(), b::setCreateTime);
            Times.setIfPresent(base.updatedAt(), b::setUpdateTime);
        }
        return b.setKind(kind).setAmount(amount).setScope(scope.toProto()).setAction(action)
                .setWarnAtRatio(warnAtRatio).build();
    }

    private static ControlScope scope(Scope s) {
        String apiKeyId = Validate.optional("limit.scope.api_key_id", s.getApiKeyId(), MAX_SCOPE_VALUE);
        if (!apiKeyId.isEmpty()) {
            // Run records keep the key id as a UUID; compare its canonical text.
            apiKeyId = Validate.id("limit.scope.api_key_id", apiKeyId).toString();
        }
        return new ControlScope(Validate.optional("limit.scope.feature", s.getFeature(), MAX_SCOPE_VALUE),
                                Validate.optional("limit.scope.model", s.getModel(), MAX_SCOPE_VALUE),
                                Validate.optional("limit.scope.end_user", s.getEndUser(), MAX_SCOPE_VALUE),
                                apiKeyId,
                                Validate.optional("limit.scope.provider", s.getProvider(), MAX_SCOPE_VALUE),
                                Validate.optional("limit.scope.environment", s.getEnvironment(), MAX_SCOPE_VALUE));
    }
}
