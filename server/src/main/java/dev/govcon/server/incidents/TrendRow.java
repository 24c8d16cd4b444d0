package dev.govcon.server.incidents;

import java.time.Instant;

record TrendRow(Instant bucket, String severity, long opened, long resolved, long occurrences) {
}
