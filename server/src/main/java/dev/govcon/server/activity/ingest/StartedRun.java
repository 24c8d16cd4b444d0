package dev.govcon.server.activity.ingest;

import java.time.Instant;
import java.util.UUID;

record StartedRun(UUID tenantId, String runId, String model, String provider, String feature,
                  String endUser, String integrationId, String environment, Instant startTime,
                  String metadataJson, String reservationId, UUID apiKeyId,
                  String retryOfRunId) {
}
