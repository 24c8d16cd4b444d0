package dev.govcon.server.activity.ingest;

import java.time.LocalDate;
import java.util.UUID;

/** A UTC day of a tenant that received a late run (table rollup_dirty_days). */
record DirtyDay(UUID tenantId, LocalDate utcDay) {
}
