package dev.govcon.server.logs;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code system_records}; tenantId is the nil UUID for events about no tenant. */
public record SystemRecordRow(UUID tenantId, UUID recordId, Instant occurredAt, String level, String component,
                              String event, String message, String details, String instance,
                              String requestId) {
}
