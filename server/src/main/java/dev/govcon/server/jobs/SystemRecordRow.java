package dev.govcon.server.jobs;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code system_records}; {@code details} is its JSON text. */
public record SystemRecordRow(UUID tenantId, UUID recordId, Instant occurredAt, String level,
                              String component, String event, String message, String details,
                              String instance, String requestId) {
}
