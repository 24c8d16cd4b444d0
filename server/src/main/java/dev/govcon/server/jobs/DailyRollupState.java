package dev.govcon.server.jobs;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A tenant's row of rollup_daily_state: daily rows exist for days before foldedUntil, in timeZone;
 * narrow rows (V18) for the same days and for the UTC hours before modelsHourlyUntil (null: no
 * narrow row is built yet).
 */
public record DailyRollupState(String timeZone, LocalDate foldedUntil, Instant modelsHourlyUntil) {
}
