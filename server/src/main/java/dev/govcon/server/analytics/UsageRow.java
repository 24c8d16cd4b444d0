package dev.govcon.server.analytics;

import java.time.Instant;
import java.util.UUID;

/** One control's violations in one bucket: guard WARNs, guard DENYs, and the rest (logged). */
record UsageRow(UUID controlId, String controlKind, String controlName, Instant bucket, long warnings,
                long denials, long logged) {
}
