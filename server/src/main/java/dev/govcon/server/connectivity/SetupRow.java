package dev.govcon.server.connectivity;

import java.time.Instant;

/** When the tenant first did each step of the SDK setup; null for a step not done. */
public record SetupRow(Instant keyCreatedAt, Instant registeredAt, Instant firstHeartbeatAt, Instant firstRunAt,
                       Instant firstGuardCheckAt, Instant firstControlAt) {
}
