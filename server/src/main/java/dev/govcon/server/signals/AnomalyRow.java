package dev.govcon.server.signals;

import java.time.Instant;
import java.util.UUID;

/** One row of {@code anomalies} (V8). */
public record AnomalyRow(UUID tenantId, UUID anomalyId, String metric, String dimension, String dimensionKey,
                         Instant hourStart, double observed, double expected, double mad, double score,
                         String severity, int baselineDays, Instant detectedAt) {
}
