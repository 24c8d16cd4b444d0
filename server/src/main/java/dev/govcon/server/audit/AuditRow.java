package dev.govcon.server.audit;

import java.time.Instant;
import java.util.UUID;

public record AuditRow(UUID tenantId, long seq, UUID auditId, Instant occurredAt, String actorType,
                       String actorId, String actorLabel, String action, String resourceType,
                       String resourceId, String beforeState, String afterState, String requestId,
                       byte[] prevHash, byte[] hash) {
}
