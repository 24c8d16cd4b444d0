package dev.govcon.server.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The result of one attempt to run a job (see {@link JobScheduler#runNow}), for the caller in
 * this process: {@code error} is the failure's class and message, where what is stored for
 * tenants to read holds the class only.
 */
public record JobRunResult(String jobName, UUID runId, RunOutcome outcome, long items, String error,
                           Instant startedAt, Instant finishedAt) {

    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }
}
