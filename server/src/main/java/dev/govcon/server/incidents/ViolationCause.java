package dev.govcon.server.incidents;

import java.time.Instant;
import java.util.UUID;

/** A violation as the engine reads it: the violation and the scope of its control. */
record ViolationCause(UUID violationId, String controlKind, UUID controlId, String controlName, String controlType,
                      String action, Instant occurredAt, String runId, String message, String scopeFeature,
                      String scopeModel, String scopeEndUser, String scopeApiKeyId, String scopeProvider,
                      String scopeEnvironment) {
}
