package dev.govcon.server.analytics;

import java.time.Instant;

record ProductivitySettingRow(String feature, long timeSavedSeconds, String rationale, Instant updatedAt,
                              String updatedBy) {
}
