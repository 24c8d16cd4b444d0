package dev.govcon.server.incidents;

import java.time.Instant;
import java.util.UUID;

/** One row of {@code incidents}, column for column; enum texts without their proto prefix. */
public record IncidentRow(UUID tenantId, UUID incidentId, String fingerprint, String cause, String title,
                          String description, String source, String sourceRefId, String scopeFeature,
                          String scopeModel, String scopeEndUser, String scopeApiKeyId, String scopeProvider,
                          String scopeEnvironment, String severity, String initialSeverity, String state,
                          long occurrenceCount, Instant openedAt, Instant lastOccurrenceAt,
                          Instant acknowledgedAt, String acknowledgedByType, String acknowledgedById,
                          String acknowledgedByLabel, Instant resolvedAt, String resolvedByType,
                          String resolvedById, String resolvedByLabel, String resolutionNote,
                          boolean autoResolved, Instant updatedAt) {
}
