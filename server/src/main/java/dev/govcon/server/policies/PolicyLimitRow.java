package dev.govcon.server.policies;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code policy_limits}. Enum columns hold the proto names without their prefix
 * ("SPEND_PER_DAY", "ACTIVE"); {@code createdBy} and {@code updatedBy} are JSON text.
 */
public record PolicyLimitRow(UUID tenantId, UUID limitId, String name, String description,
                             String limitKind, long amount, double warnAtRatio,
                             String scopeFeature, String scopeModel, String scopeEndUser,
                             String scopeApiKeyId, String scopeProvider, String scopeEnvironment,
                             String action, String status, String source, String sourceRefId,
                             long version, Instant createdAt, Instant updatedAt, String createdBy,
                             String updatedBy) {
}
