package dev.govcon.server.signals;

import java.time.Instant;
import java.util.UUID;

/** Filters of the anomaly list: hour_start in [start, end], |score| at least minScore. */
record AnomalyFilter(Instant start, Instant end, String metric, String dimension, String key, double minScore,
                     Instant afterAt, UUID afterId, int limit) {
}
