package dev.govcon.server.guard;

import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;

/**
 * Checks to add to one row of {@code guard_check_counts_hourly}: of one control, or of every
 * check when {@code controlId} is {@link CheckCounter#EVERY_CHECK}.
 */
record CheckCountRow(UUID tenantId, Instant hour, UUID controlId, String model, String provider, String feature,
                     String environment, long checks) {

    /** The primary key's order: every replica upserts its rows in it, so they never deadlock. */
    static final Comparator<CheckCountRow> KEY_ORDER = Comparator.comparing(CheckCountRow::tenantId)
            .thenComparing(CheckCountRow::hour).thenComparing(CheckCountRow::controlId)
            .thenComparing(CheckCountRow::model).thenComparing(CheckCountRow::provider)
            .thenComparing(CheckCountRow::feature).thenComparing(CheckCountRow::environment);
}
