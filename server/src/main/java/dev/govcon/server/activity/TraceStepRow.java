package dev.govcon.server.activity;

import java.time.Instant;

/** A row of {@code aos_trace_steps}. */
public record TraceStepRow(String runId, int stepIndex, String kind, String name, Integer parentStepIndex,
                           String status, Instant startTime, Instant endTime, long latencyMs,
                           String model, String provider, long inputTokens, long outputTokens,
                           Long costMicros, String error, String inputSummary, String outputSummary,
                           String attributes) {
}
