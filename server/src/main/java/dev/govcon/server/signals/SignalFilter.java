package dev.govcon.server.signals;

import java.time.Instant;
import java.util.UUID;

/** Filters of the signal list: last_seen_at in [start, end]; nulls match everything. */
record SignalFilter(Instant start, Instant end, String state, String type, Integer minSeverity, String dimension,
                    String key, Instant afterAt, UUID afterId, int limit) {
}
