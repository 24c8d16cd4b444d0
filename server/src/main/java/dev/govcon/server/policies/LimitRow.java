package dev.govcon.server.policies;

import java.time.Instant;
import java.util.UUID;

/** The columns of a {@code policy_limits} row that a simulation starts from. */
record LimitRow(UUID limitId, String name, String description, String limitKind, long amount,
                double warnAtRatio, String scopeFeature, String scopeModel, String scopeEndUser,
                String scopeApiKeyId, String scopeProvider, String scopeEnvironment, String action,
                String status, String source, String sourceRefId, long version, Instant createdAt,
                Instant updatedAt) {

    ControlScope scope() {
        return new ControlScope(scopeFeature, scopeModel, scopeEndUser, scopeApiKeyId, scopeProvider,
                                scopeEnvironment);
    }
}
