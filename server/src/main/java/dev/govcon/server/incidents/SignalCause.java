package dev.govcon.server.incidents;

import java.time.Instant;
import java.util.UUID;

record SignalCause(UUID signalId, String signalType, String dimension, String dimensionKey, UUID limitId,
                   String severity, Instant lastSeenAt, String message) {
}
