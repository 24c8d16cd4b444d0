package dev.govcon.server.signals;

import java.util.UUID;

/** A risk signal as one detection round sees it, before it is merged into risk_signals. */
record Detected(String type, Watched watched, UUID limitId, double value, double baseline, String unit,
                String severity, String message) {
}
