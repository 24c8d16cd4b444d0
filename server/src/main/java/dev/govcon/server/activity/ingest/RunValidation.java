package dev.govcon.server.activity.ingest;

import java.time.Instant;
import java.util.Map;

import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.wire.Times;

/**
 * Checks a run as the caller sent it. {@code field} is the path of the run in the request
 * ({@code "run"}, {@code "runs[3]"}), so errors read {@code "runs[3].model: is required"}.
 */
final class RunValidation {
    private RunValidation() {
    }

    static String runId(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw Errors.invalid(field, "is required");
        }
        if (!RunLimits.validRunId(value)) {
            throw Errors.invalid(field, "must be 1-128 characters of A-Z a-z 0-9 . _ : -");
        }
        return value;
    }

    /** Fields a start and a completion share; {@code runId} is the run's own (validated) id. */
    static void common(String field, Run run, String runId, Instant now) {
        String retryOf = run.getRetryOfRunId();
        if (!retryOf.isEmpty()) {
            if (!RunLimits.validRunId(retryOf)) {
                throw Errors.invalid(field + ".retry_of_run_id", "must be 1-128 characters of A-Z a-z 0-9 . _ : -");
            }
            if (retryOf.equals(runId)) {
                throw Errors.invalid(field + ".retry_of_run_id", "names the run itself; a retry is a new run_id");
            }
        }
        label(field, ".model", run.getModel());
        label(field, ".provider", run.getProvider());
        label(field, ".feature", run.getFeature());
        label(field, ".end_user", run.getEndUser());
        label(field, ".integration_id", run.getIntegrationId());
        label(field, ".environment", run.getEnvironment());
        label(field, ".reservation_id", run.getReservationId());
        if (run.getMetadataCount() > RunLimits.MAX_METADATA_KEYS) {
            throw Errors.invalid(field + ".metadata", "has more than " + RunLimits.MAX_METADATA_KEYS + " keys");
        }
        for (Map.Entry<String, String> e : run.getMetadataMap().entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().length() > RunLimits.MAX_METADATA_KEY) {
                throw Errors.invalid(field + ".metadata", "keys must be 1-" + RunLimits.MAX_METADATA_KEY + " characters");
            }
            if (e.getValue().length() > RunLimits.MAX_METADATA_VALUE) {
                throw Errors.invalid(field + ".metadata[" + e.getKey() + "]",
                                     "is longer than " + RunLimits.MAX_METADATA_VALUE + " characters");
            }
        }
        if (run.hasStartTime()) {
            time(field, ".start_time", run.getStartTime(), now);
        }
    }

    static void start(String field, Run run, String runId, Instant now) {
        common(field, run, runId, now);
        if (run.getStatus() != RunStatus.RUN_STATUS_UNSPECIFIED && run.getStatus() != RunStatus.RUNNING) {
            throw Errors.invalid(field + ".status", "a started run is RUNNING; report the outcome with complete");
        }
        if (run.hasEndTime()) {
            throw Errors.invalid(field + ".end_time", "is set on completion, not on start");
        }
    }

    static void completion(String field, Run run, String runId, Instant now) {
        common(field, run, runId, now);
        if (run.getModel().isEmpty()) {
            throw Errors.invalid(field + ".model", "is required");
        }
        switch (run.getStatus()) {
            case SUCCEEDED, FAILED, BLOCKED, CANCELLED, TIMED_OUT -> {
            }
            case RUN_STATUS_UNSPECIFIED -> throw Errors.invalid(field + ".status", "is required");
            case RUNNING -> throw Errors.invalid(field + ".status", "must be a final status, not RUNNING");
            default -> throw Errors.invalid(field + ".status", "is not a known value");
        }
        tokens(field, ".input_tokens", run.getInputTokens());
        tokens(field, ".output_tokens", run.getOutputTokens());
        tokens(field, ".cached_input_tokens", run.getCachedInputTokens());
        tokens(field, ".cache_write_tokens", run.getCacheWriteTokens());
        tokens(field, ".reasoning_tokens", run.getReasoningTokens());
        if (run.hasCostMicros() && (run.getCostMicros() < 0 || run.getCostMicros() > RunLimits.MAX_COST_MICROS)) {
            throw Errors.invalid(field + ".cost_micros", "must be between 0 and " + RunLimits.MAX_COST_MICROS);
        }
        if (run.getLatencyMs() < 0 || run.getLatencyMs() > RunLimits.MAX_LATENCY_MS) {
            throw Errors.invalid(field + ".latency_ms", "must be between 0 and " + RunLimits.MAX_LATENCY_MS);
        }
        if (run.getError().length() > RunLimits.MAX_ERROR) {
            throw Errors.invalid(field + ".error", "is longer than " + RunLimits.MAX_ERROR + " characters");
        }
        if (run.hasEndTime()) {
            time(field, ".end_time", run.getEndTime(), now);
            if (run.hasStartTime() && Times.instant(run.getEndTime()).isBefore(Times.instant(run.getStartTime()))) {
                throw Errors.invalid(field + ".end_time", "is before start_time");
            }
        }
    }

    // The checks below take the field's name in two parts and join them only to report an
    // error: most runs are fine, and a batch checks a dozen fields of each.

    private static void label(String run, String field, String value) {
        if (value.length() > RunLimits.MAX_LABEL) {
            throw Errors.invalid(run + field, "is longer than " + RunLimits.MAX_LABEL + " characters");
        }
    }

    private static void tokens(String run, String field, long value) {
        if (value < 0 || value > RunLimits.MAX_TOKENS) {
            throw Errors.invalid(run + field, "must be between 0 and " + RunLimits.MAX_TOKENS);
        }
    }

    private static void time(String run, String field, com.google.protobuf.Timestamp ts, Instant now) {
        if (!Times.valid(ts)) {
            throw Errors.invalid(run + field, "is not a valid time");
        }
        if (Times.instant(ts).isAfter(now.plus(RunLimits.MAX_CLOCK_SKEW))) {
            throw Errors.invalid(run + field, "is more than " + RunLimits.MAX_CLOCK_SKEW.toMinutes()
                                              + " minutes in the future");
        }
    }
}
