package dev.govcon.server.lessons;

import java.time.Instant;
import java.util.UUID;

/** A list of lessons: window on last_detected_at, optional kind and scope, keyset cursor. */
record LessonFilter(Instant start, Instant end, String kind, String feature, String model, Instant afterAt,
                    UUID afterId, int limit) {
}
