package dev.govcon.server.incidents;

import java.time.Instant;
import java.util.UUID;

/** One row of {@code incident_events}. */
public record IncidentEventRow(UUID tenantId, UUID eventId, UUID incidentId, String fingerprint, String kind,
                               Instant occurredAt, String actorType, String actorId, String actorLabel,
                               String severity, String previousSeverity, String note, String sourceRefId,
                               String runId, long seq) {
}
