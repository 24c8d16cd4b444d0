package dev.govcon.server.jobs;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A tenant as the daily fold sees it: its zone now, and the state of its daily rows (null: none)
 * and of its narrow hourly rows (null: narrow rows not built).
 */
record TenantToFold(UUID tenantId, String zone, String foldedZone, LocalDate foldedUntil,
                    Instant modelsHourlyUntil) {
}
