package dev.govcon.server.accounts;

import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

/**
 * A tenant as billing sees it: its plan, a plan change waiting for the next period, and (for
 * the invoice job) the end of its newest invoiced period.
 */
public record TenantBillingRow(UUID tenantId, String timeZone, String planId, String scheduledPlanId,
                               Instant scheduledPlanFrom, Instant createdAt, Instant lastPeriodEnd) {

    /** The plan in effect at {@code at}: the scheduled one once its period has begun. */
    String planAt(Instant at) {
        return scheduledPlanId != null && !at.isBefore(scheduledPlanFrom) ? scheduledPlanId : planId;
    }

    ZoneId zone() {
        return ZoneId.of(timeZone);
    }
}
