package dev.govcon.server.policies;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code limit_violations}, column for column. Texts hold the enum names without
 * their proto prefix ({@code LIMIT}, {@code SPEND_PER_DAY}, {@code BLOCK}, {@code GUARD_CHECK});
 * empty strings stand for "not set", as in the table; {@code metadataJson} is a JSON object of
 * strings ({@code "{}"} when empty).
 */
public record ViolationRow(UUID tenantId, UUID violationId, String controlKind, UUID controlId,
                           String controlName, String controlType, String action, String origin,
                           String feature, String model, String endUser, String apiKeyId, String provider,
                           String environment, Instant occurredAt, String runId, String reservationId,
                           String message, long observedValue, long limitAmount, long costMicros,
                           String incidentId, String metadataJson) {
}
