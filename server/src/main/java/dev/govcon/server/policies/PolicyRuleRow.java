package dev.govcon.server.policies;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code policy_rules}. Enum columns hold the proto names without their prefix
 * ("MODEL_DENY_LIST", "ACTIVE"); {@code requiredMetadata}, {@code createdBy} and
 * {@code updatedBy} are the jsonb columns as JSON text.
 */
public record PolicyRuleRow(UUID tenantId, UUID ruleId, String name, String description,
                            String ruleType, String enforcement, String scopeFeature,
                            String scopeModel, String scopeEndUser, String scopeApiKeyId,
                            String scopeProvider, String scopeEnvironment, String action,
                            String status, String source, String sourceRefId, long version,
                            String[] models, String[] providers, long maxTokens,
                            String[] requiredKeys, String ethicalConstraintId,
                            String requiredMetadata, Instant createdAt, Instant updatedAt,
                            String createdBy, String updatedBy) {
}
