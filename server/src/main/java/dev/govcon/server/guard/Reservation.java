package dev.govcon.server.guard;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An admitted check's holds on its limits, open until its run completes or it expires. */
record Reservation(String id, UUID tenantId, String runId, Instant expiresAt, List<BudgetLedger.Hold> holds) {
}
