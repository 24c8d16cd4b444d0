package dev.govcon.server.policies;

import java.time.Instant;
import java.util.UUID;

/**
 * The filters of a violation list: [start, end) on occurred_at and exact matches; nulls and
 * empty strings match everything. {@code afterAt} / {@code afterId} is the keyset cursor
 * (occurred_at, violation_id) of the last row served.
 */
record ViolationFilter(Instant start, Instant end, UUID controlId, String controlKind, String action,
                       String origin, String feature, String model, String endUser, String apiKeyId,
                       String provider, String environment, Instant afterAt, UUID afterId, int limit) {
}
