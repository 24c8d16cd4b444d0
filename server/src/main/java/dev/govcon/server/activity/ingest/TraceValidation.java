package dev.govcon.server.activity.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.govcon.proto.v1.RunStatus;
import dev.govcon.proto.v1.TraceStep;
import dev.govcon.proto.v1.TraceStepKind;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.wire.Times;

/** Checks appended trace steps ({@code steps[i].field}) and turns them into rows. */
final class TraceValidation {
    private TraceValidation() {
    }

    static List<TraceStepRow> rows(String runId, List<TraceStep> steps, Instant now) {
        if (steps.isEmpty()) {
            throw Errors.invalid("steps", "is empty");
        }
        if (steps.size() > RunLimits.MAX_TRACE_STEPS) {
            throw Errors.invalid("steps", "holds at most " + RunLimits.MAX_TRACE_STEPS + " steps per call");
        }
        Set<Integer> indexes = new HashSet<>();
        List<TraceStepRow> rows = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            TraceStep s = steps.get(i);
            String f = "steps[" + i + "]";
            if (!s.getRunId().isEmpty() && !s.getRunId().equals(runId)) {
                throw Errors.invalid(f + ".run_id", "differs from the run id of the path");
            }
            if (s.getStepIndex() < 0) {
                throw Errors.invalid(f + ".step_index", "must be 0 or more");
            }
            if (!indexes.add(s.getStepIndex())) {
                throw Errors.invalid(f + ".step_index", "appears twice in this call");
            }
            if (s.hasParentStepIndex() && (s.getParentStepIndex() < 0 || s.getParentStepIndex() == s.getStepIndex())) {
                throw Errors.invalid(f + ".parent_step_index", "must be another step's index");
            }
            if (s.getKind() == TraceStepKind.UNRECOGNIZED) {
                throw Errors.invalid(f + ".kind", "is not a known value");
            }
            RunStatus status = s.getStatus();
            if (status == RunStatus.UNRECOGNIZED || status == RunStatus.RUNNING) {
                throw Errors.invalid(f + ".status", "must be a final status");
            }
            limit(f + ".name", s.getName(), RunLimits.MAX_LABEL);
            limit(f + ".model", s.getModel(), RunLimits.MAX_LABEL);
            limit(f + ".provider", s.getProvider(), RunLimits.MAX_LABEL);
            limit(f + ".error", s.getError(), RunLimits.MAX_ERROR);
            limit(f + ".input_summary", s.getInputSummary(), RunLimits.MAX_SUMMARY);
            limit(f + ".output_summary", s.getOutputSummary(), RunLimits.MAX_SUMMARY);
            if (s.getAttributesCount() > RunLimits.MAX_METADATA_KEYS) {
                throw Errors.invalid(f + ".attributes", "has more than " + RunLimits.MAX_METADATA_KEYS + " keys");
            }
            for (var e : s.getAttributesMap().entrySet()) {
                if (e.getKey().isEmpty() || e.getKey().length() > RunLimits.MAX_METADATA_KEY
                    || e.getValue().length() > RunLimits.MAX_METADATA_VALUE) {
                    throw Errors.invalid(f + ".attributes", "keys must be 1-" + RunLimits.MAX_METADATA_KEY
                                                            + " characters and values at most "
                                                            + RunLimits.MAX_METADATA_VALUE);
                }
            }
            nonNegative(f + ".latency_ms", s.getLatencyMs(), RunLimits.MAX_LATENCY_MS);
            nonNegative(f + ".input_tokens", s.getInputTokens(), RunLimits.MAX_TOKENS);
            nonNegative(f + ".output_tokens", s.getOutputTokens(), RunLimits.MAX_TOKENS);
            if (s.hasCostMicros()) {
                nonNegative(f + ".cost_micros", s.getCostMicros(), RunLimits.MAX_COST_MICROS);
            }
            Instant start = s.hasStartTime() ? time(f + ".start_time", s.getStartTime()) : null;
            Instant end = s.hasEndTime() ? time(f + ".end_time", s.getEndTime()) : null;
            if (start != null && end != null && end.isBefore(start)) {
                throw Errors.invalid(f + ".end_time", "is before start_time");
            }
            rows.add(new TraceStepRow(s.getStepIndex(),
                    s.getKind() == TraceStepKind.TRACE_STEP_KIND_UNSPECIFIED ? "TRACE_STEP_KIND_OTHER" : s.getKind().name(),
                    s.getName(), s.hasParentStepIndex() ? s.getParentStepIndex() : null,
                    status == RunStatus.RUN_STATUS_UNSPECIFIED ? "SUCCEEDED" : status.name(), start, end,
                    s.getLatencyMs(), s.getModel(), s.getProvider(), s.getInputTokens(), s.getOutputTokens(),
                    s.hasCostMicros() ? s.getCostMicros() : null, s.getError(), s.getInputSummary(),
                    s.getOutputSummary(), RunIngestor.json(s.getAttributesMap())));
        }
        return rows;
    }

    private static void limit(String field, String value, int max) {
        if (value.length() > max) {
            throw Errors.invalid(field, "is longer than " + max + " characters");
        }
    }

    private static void nonNegative(String field, long value, long max) {
        if (value < 0 || value > max) {
            throw Errors.invalid(field, "must be between 0 and " + max);
        }
    }

    private static Instant time(String field, com.google.protobuf.Timestamp ts) {
        if (!Times.valid(ts)) {
            throw Errors.invalid(field, "is not a valid time");
        }
        return Times.instant(ts);
    }
}
