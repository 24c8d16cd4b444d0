package dev.govcon.server.jobs;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code job_runs}; {@code finishedAt} is null while RUNNING. */
public record JobRunRow(String jobName, UUID runId, Instant startedAt, Instant finishedAt,
                        String outcome, String error, long items, String instance) {
}
