package dev.govcon.server.policies;

import java.time.Instant;
import java.util.UUID;

/**
 * A control's violations in a window. Name, type and status are the control's current ones
 * when it still exists (status is null when it does not), else the latest violation's.
 */
record ControlViolationsRow(UUID controlId, String controlKind, String controlName, String controlType,
                            String controlStatus, long violations, long blocked, long warned, long logged,
                            long preventedCostMicros, Instant firstAt, Instant lastAt) {
}
