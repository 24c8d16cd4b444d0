package dev.govcon.server.signals;

import java.time.Instant;
import java.util.UUID;

/** One row of {@code predictions} (V8). */
public record PredictionRow(UUID tenantId, UUID predictionId, String kind, UUID limitId, String limitName,
                            Instant madeAt, Instant windowStart, Instant targetTime, Instant exhaustionTime,
                            long predictedMicros, long lowerMicros, long upperMicros, double confidence,
                            long currentMicros, long limitMicros, String method, String scopeFeature,
                            String scopeModel, String scopeProvider, String scopeEnvironment, Long actualMicros) {
}
