package dev.govcon.server.policies;

import java.time.Instant;
import java.util.UUID;

/**
 * The runs of one tenant whose marks a round of {@link RunMarksJob} may have changed: those
 * that started in [from, to], {@code from} the earliest start of the runs copied. {@code runs} were copied.
 */
record MarkRegion(UUID tenantId, Instant from, Instant to, long runs) {
}
