package dev.govcon.server.activity.ingest;

import java.util.UUID;

/** What the group write reports for each run it wrote, or finds already written. */
record RecordedRow(UUID tenantId, String runId, UUID recordId, byte[] contentHash) {
}
