package dev.govcon.server.incidents;

import java.time.Instant;

record SeverityCountRow(String severity, long openCount, long unacknowledgedCount, Instant oldestOpenedAt) {
}
