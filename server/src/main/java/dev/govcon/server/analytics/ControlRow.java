package dev.govcon.server.analytics;

import java.time.Instant;
import java.util.UUID;

import dev.govcon.server.policies.ControlScope;

/** A rule or limit as effectiveness and coverage read it: kind RULE or LIMIT, any status. */
record ControlRow(UUID controlId, String controlKind, String name, String status, boolean enforced,
                  Instant createdAt, String feature, String model, String endUser, String apiKeyId,
                  String provider, String environment) {

    ControlScope scope() {
        return new ControlScope(feature, model, endUser, apiKeyId, provider, environment);
    }
}
