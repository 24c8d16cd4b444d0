package dev.govcon.server.lessons;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code policy_proposals}. {@code state} is as read now (a DEFERRED proposal whose
 * date has passed reads PENDING); the JSON columns hold proto JSON.
 */
public record ProposalRow(UUID tenantId, UUID proposalId, UUID lessonId, String title, String rationale,
                          String state, String kind, String proposedJson, String simulatedEffectJson,
                          Instant createdAt, Instant deferredUntil, String decidedByType, String decidedById,
                          String decidedByLabel, Instant decidedAt, String decisionNote, String createdControlId) {
}
