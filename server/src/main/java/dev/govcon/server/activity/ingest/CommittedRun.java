package dev.govcon.server.activity.ingest;

import java.time.Instant;
import java.util.UUID;

/**
 * A completion that was just recorded (not a duplicate), as handed to
 * {@link RunIngestor#addCommitListener}. Identity fields are what the completion carried; they
 * may be empty when the run was started earlier with them.
 */
public record CommittedRun(UUID tenantId, String runId, String reservationId, String model, String provider,
                           String feature, String endUser, String environment, UUID apiKeyId, String status,
                           Instant endTime, long totalTokens, long costMicros) {
    static CommittedRun of(CompletedRun r) {
        return new CommittedRun(r.tenantId(), r.runId(), r.reservationId(), r.model(), r.provider(), r.feature(),
                                r.endUser(), r.environment(), r.apiKeyId(), r.status(), r.endTime(),
                                r.inputTokens() + r.outputTokens(), r.costMicros());
    }
}
