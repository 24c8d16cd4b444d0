package dev.govcon.server.analytics;

import java.util.UUID;

/** A control's guard denials in a window, the spend they kept out, and how many were overridden. */
record DenialRow(UUID controlId, long denials, long preventedCostMicros, long overriddenDenials) {
}
