package dev.govcon.server.analytics;

import java.time.Instant;

/** Since when guard checks are counted (V13 installed), and when the tenant came to be. */
record CheckCounting(Instant since, Instant tenantCreatedAt) {

    /**
     * True when no check of a window starting at {@code windowStart} escaped counting: the
     * window, or the tenant's life when that began later, starts after counting began.
     */
    boolean covers(Instant windowStart) {
        Instant first = windowStart.isAfter(tenantCreatedAt) ? windowStart : tenantCreatedAt;
        return !first.isBefore(since);
    }
}
