package dev.govcon.server.activity.ingest;

import java.time.Instant;
import java.util.UUID;

import dev.govcon.proto.v1.CostSource;

/**
 * A validated, priced completion ready to be written. Fields left empty ({@code ""}, null
 * start time or latency) are filled from the run's start, if it was started.
 */
record CompletedRun(UUID tenantId, String runId, String model, String provider,
                    String feature, String endUser, String integrationId, String environment,
                    String status, Instant startTime, Instant endTime, long inputTokens,
                    long outputTokens, long cachedInputTokens, long cacheWriteTokens,
                    long reasoningTokens, long costMicros, CostSource costSource, boolean costUnknown,
                    Long latencyMs, String error, String metadataJson, String reservationId,
                    UUID apiKeyId, Instant receivedAt, byte[] contentHash,
                    String retryOfRunId) {
}
