package dev.govcon.server.lessons;

import java.util.UUID;

/** What the lesson queries find, before it becomes a lesson. */
final class MiningRows {
    private MiningRows() {
    }

    /** A limit crossed on {@code days} distinct days of the window. */
    record Breach(UUID limitId, String name, String limitKind, long amount, String scopeFeature, String scopeModel,
                  String scopeEndUser, String scopeApiKeyId, String scopeProvider, String scopeEnvironment,
                  long days, long violations, long costMicros, String[] violationIds) {
    }

    /** Runs and failed runs (FAILED, TIMED_OUT) of one model for one feature. */
    record Failures(String feature, String model, long runs, long failed) {
    }

    /** A feature's spend that no active control governs. */
    record Ungoverned(String feature, long spendMicros, long maxDailyMicros, long runs) {
    }

    /** A control whose WARN violations came back on {@code days} distinct days. */
    record Warned(String controlKind, java.util.UUID controlId, String name, String scopeFeature, String scopeModel,
                  long days, long violations, String[] violationIds) {
    }

    /** A fingerprint opened as several incidents. */
    record Recurring(String fingerprint, long incidents, long occurrences, String[] incidentIds, String title,
                     String scopeFeature, String scopeModel, String scopeEndUser, String scopeApiKeyId,
                     String scopeProvider, String scopeEnvironment, int maxSeverityRank) {
    }
}
