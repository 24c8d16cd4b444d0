package dev.govcon.server.activity;

import java.time.Instant;
import java.util.UUID;

/**
 * A run as read: a row of {@code llm_run_records} (finished; recordId set) or of {@code runs}
 * (RUNNING; recordId, status, endTime null), with its trace's step count.
 */
public record RunRow(UUID tenantId, UUID recordId, String runId, String model, String provider,
                     String feature, String endUser, String integrationId, String environment,
                     String status, Instant startTime, Instant endTime, Long inputTokens,
                     Long outputTokens, Long cachedInputTokens, Long cacheWriteTokens,
                     Long reasoningTokens, Long costMicros, String costSource, Boolean costUnknown,
                     Long latencyMs, String error, String metadata, String reservationId,
                     UUID apiKeyId, Instant receivedAt, Instant recordedAt, Integer traceStepCount,
                     String retryOfRunId) {
}
