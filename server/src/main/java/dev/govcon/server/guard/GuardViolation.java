package dev.govcon.server.guard;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code limit_violations} as the guard produces it. */
record GuardViolation(UUID tenantId, UUID violationId, String controlKind, UUID controlId, String controlName,
                      String controlType, String action, String origin, String feature, String model,
                      String endUser, String apiKeyId, String provider, String environment, Instant occurredAt,
                      String runId, String reservationId, String message, long observedValue, long limitAmount,
                      long costMicros, String metadataJson) {
}
