package dev.govcon.server.jobs;

import java.time.Duration;
import java.time.Instant;

/** A row of {@code jobs}. {@code lastOutcome} is null when the job never started. */
public record JobRow(String jobName, String description, long intervalMillis, boolean enabled,
                     Instant registeredAt, Instant firstStartedAt, Instant lastStartedAt,
                     Instant lastFinishedAt, String lastOutcome, String lastError,
                     Instant lastSuccessAt, long lastItems, String lastInstance,
                     int consecutiveFailures, Instant unhealthySince) {

    public Duration interval() {
        return Duration.ofMillis(intervalMillis);
    }
}
