package dev.govcon.server.policies;

import java.time.Instant;

/** One hour of {@code run_rollups_hourly}, summed over the limit's scope: usage in the limit's unit. */
record HourRow(Instant hour, long usage) {
}
