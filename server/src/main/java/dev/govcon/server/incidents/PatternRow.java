package dev.govcon.server.incidents;

import java.time.Instant;
import java.util.UUID;

/** A fingerprint's occurrences in a window, with its latest incident's description. */
record PatternRow(String fingerprint, long occurrenceCount, long incidentCount, Instant firstSeen,
                  Instant lastSeen, int maxSeverityRank, UUID latestIncidentId, String title, String cause,
                  String source, String scopeFeature, String scopeModel, String scopeEndUser,
                  String scopeApiKeyId, String scopeProvider, String scopeEnvironment, String latestState) {
}
