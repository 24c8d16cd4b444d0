package dev.govcon.server.policies;

import java.time.Instant;

/**
 * One hour of {@code run_rollups_hourly} for one feature, summed over the limit's scope:
 * runs, usage in the limit's unit, spend, and tokens (input + output).
 */
record HourRow(Instant hour, String feature, long runs, long usage, long costMicros, long tokens) {
}
