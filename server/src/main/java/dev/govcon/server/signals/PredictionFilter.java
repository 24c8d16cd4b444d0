package dev.govcon.server.signals;

import java.time.Instant;
import java.util.UUID;

/**
 * Filters of the prediction list. Without history: the latest prediction per subject whose
 * target is after {@code now}; with it: every prediction made in [start, end].
 */
record PredictionFilter(boolean history, Instant now, Instant start, Instant end, String kind, UUID limitId,
                        Instant afterAt, UUID afterId, int limit) {
}
