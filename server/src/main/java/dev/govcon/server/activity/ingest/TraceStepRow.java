package dev.govcon.server.activity.ingest;

import java.time.Instant;

record TraceStepRow(int stepIndex, String kind, String name, Integer parentStepIndex, String status,
                    Instant startTime, Instant endTime, long latencyMs, String model, String provider,
                    long inputTokens, long outputTokens, Long costMicros, String error,
                    String inputSummary, String outputSummary, String attributesJson) {
}
