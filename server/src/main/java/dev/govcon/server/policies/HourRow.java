package dev.govcon.server.policies;

import java.time.Instant;

/**
 * One hour and feature of {@code run_rollups_hourly}, summed over the limit's scope: its runs,
 * their spend and their input + output tokens.
 */
record HourRow(Instant hour, String feature, long runs, long costMicros, long tokens) {
    /** Usage in the limit's unit. */
    long usage(boolean inTokens) {
        return inTokens ? tokens : costMicros;
    }
}
