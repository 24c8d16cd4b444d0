package dev.govcon.server.jobs;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import dev.govcon.server.db.Database;

/**
 * What a running job may use.
 *
 * @param startedAt         when this run started, by the scheduler's clock
 * @param lastSuccessAt     when the job last succeeded on any replica (null: never)
 * @param instance          the replica running it
 */
public record JobContext(String jobName, UUID runId, Instant startedAt, Instant lastSuccessAt,
                         String instance, Database database, Clock clock, SystemRecords systemRecords) {
}
