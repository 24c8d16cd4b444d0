package dev.govcon.server.accounts;

import java.time.Instant;
import java.util.UUID;

public record TicketRow(UUID tenantId, UUID ticketId, String subject, String body, String severity, String status,
                        String runId, String incidentId, String openedByType, String openedById,
                        String openedByLabel, String planId, Instant createdAt, Instant updatedAt) {
}
