package dev.govcon.server.jobs;

import java.time.LocalDate;

/** A row of rollup_dirty_days: a UTC day that received a run after it may have been folded. */
public record DirtyMark(long markId, LocalDate utcDay) {
}
