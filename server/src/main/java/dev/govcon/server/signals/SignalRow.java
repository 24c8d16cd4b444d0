package dev.govcon.server.signals;

import java.time.Instant;
import java.util.UUID;

/** One row of {@code risk_signals} (V7); texts are enum names without their proto prefix. */
public record SignalRow(UUID tenantId, UUID signalId, String signalType, String dimension, String dimensionKey,
                        UUID limitId, double value, double baseline, String unit, String severity,
                        String state, Instant firstSeenAt, Instant lastSeenAt, Instant clearedAt,
                        String message, UUID incidentId) {
}
