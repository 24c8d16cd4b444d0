package dev.govcon.server.lessons;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code lessons}, with its proposal's id and status when it has one (status as read
 * now: a DEFERRED proposal whose date has passed is PENDING). {@code factsJson} is a JSON
 * array of {@code govcon.v1.LessonFact}.
 */
public record LessonRow(UUID tenantId, UUID lessonId, String lessonKey, String kind, String title, String summary,
                        String scopeFeature, String scopeModel, String scopeEndUser, String scopeApiKeyId,
                        String scopeProvider, String scopeEnvironment, String severity, String controlId,
                        Instant firstDetectedAt, Instant lastDetectedAt, Instant evidenceStart, Instant evidenceEnd,
                        String[] incidentIds, String[] violationIds, String factsJson, UUID proposalId,
                        String proposalState) {
}
