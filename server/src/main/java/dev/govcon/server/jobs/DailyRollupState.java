package dev.govcon.server.jobs;

import java.time.LocalDate;

/** A tenant's row of rollup_daily_state: daily rows exist for days before foldedUntil, in timeZone. */
public record DailyRollupState(String timeZone, LocalDate foldedUntil) {
}
