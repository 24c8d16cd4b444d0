package dev.govcon.server.incidents;

import java.time.Instant;
import java.util.UUID;

/**
 * What a list of incidents asks for; null fields do not filter. {@code open} selects ACTIVE and
 * ACKNOWLEDGED, {@code resolvedOnly} RESOLVED; the window applies to {@code windowColumn}
 * (opened_at or resolved_at). The cursor (afterRank, afterAt, afterId) follows the list's order.
 */
record IncidentFilter(boolean open, boolean resolvedOnly, String windowColumn, Instant start, Instant end,
                      String state, String severity, String source, String feature, String model,
                      String fingerprint, Boolean autoResolved, Integer afterRank, Instant afterAt, UUID afterId,
                      int limit) {
}
