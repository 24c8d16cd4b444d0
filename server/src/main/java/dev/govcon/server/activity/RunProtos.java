package dev.govcon.server.activity;

import java.util.Map;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;

import dev.govcon.proto.v1.CostSource;
import dev.govcon.proto.v1.LlmRunRecord;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.proto.v1.TraceStep;
import dev.govcon.proto.v1.TraceStepKind;
import dev.govcon.server.wire.Times;

/** Rows of runs, llm_run_records and aos_trace_steps as API messages. */
public final class RunProtos {
    private RunProtos() {
    }

    /** A finished run (llm_run_records) or a live one (runs: status RUNNING, no end or cost). */
    public static Run run(RunRow r) {
        Run.Builder b = Run.newBuilder()
                .setRunId(r.runId())
                .setModel(nz(r.model()))
                .setProvider(nz(r.provider()))
                .setFeature(nz(r.feature()))
                .setEndUser(nz(r.endUser()))
                .setIntegrationId(nz(r.integrationId()))
                .setEnvironment(nz(r.environment()))
                .setStatus(status(r.status()))
                .setReservationId(nz(r.reservationId()))
                .setRetryOfRunId(nz(r.retryOfRunId()))
                .setTraceStepCount(r.traceStepCount() == null ? 0 : r.traceStepCount())
                .putAllMetadata(stringMap(r.metadata()));
        Times.setIfPresent(r.startTime(), b::setStartTime);
        Times.setIfPresent(r.endTime(), b::setEndTime);
        Times.setIfPresent(r.receivedAt(), b::setReceivedAt);
        if (r.apiKeyId() != null) {
            b.setApiKeyId(r.apiKeyId().toString());
        }
        if (r.recordId() != null) {
            // Finished: every figure is known (cost 0 with cost_unknown when unpriced).
            b.setInputTokens(nz(r.inputTokens()))
                    .setOutputTokens(nz(r.outputTokens()))
                    .setCachedInputTokens(nz(r.cachedInputTokens()))
                    .setCacheWriteTokens(nz(r.cacheWriteTokens()))
                    .setReasoningTokens(nz(r.reasoningTokens()))
                    .setCostMicros(nz(r.costMicros()))
                    .setCostUnknown(Boolean.TRUE.equals(r.costUnknown()))
                    .setCostSource(costSource(r.costSource()))
                    .setLatencyMs(nz(r.latencyMs()))
                    .setError(nz(r.error()));
        }
        return b.build();
    }

    public static LlmRunRecord record(RunRow r) {
        LlmRunRecord.Builder b = LlmRunRecord.newBuilder().setId(r.recordId().toString()).setRun(run(r));
        Times.setIfPresent(r.recordedAt(), b::setRecordedAt);
        return b.build();
    }

    public static TraceStep step(TraceStepRow s) {
        TraceStep.Builder b = TraceStep.newBuilder()
                .setRunId(s.runId())
                .setStepIndex(s.stepIndex())
                .setKind(kind(s.kind()))
                .setName(nz(s.name()))
                .setStatus(status(s.status()))
                .setLatencyMs(s.latencyMs())
                .setModel(nz(s.model()))
                .setProvider(nz(s.provider()))
                .setInputTokens(s.inputTokens())
                .setOutputTokens(s.outputTokens())
                .setError(nz(s.error()))
                .setInputSummary(nz(s.inputSummary()))
                .setOutputSummary(nz(s.outputSummary()))
                .putAllAttributes(stringMap(s.attributes()));
        if (s.parentStepIndex() != null) {
            b.setParentStepIndex(s.parentStepIndex());
        }
        if (s.costMicros() != null) {
            b.setCostMicros(s.costMicros());
        }
        Times.setIfPresent(s.startTime(), b::setStartTime);
        Times.setIfPresent(s.endTime(), b::setEndTime);
        return b.build();
    }

    /** Database text (e.g. "SUCCEEDED") as the enum; an unknown text is UNSPECIFIED. */
    public static RunStatus status(String text) {
        return enumOf(RunStatus.class, text, "", RunStatus.RUN_STATUS_UNSPECIFIED);
    }

    /** Accepts "CALLER" or "COST_SOURCE_CALLER". */
    public static CostSource costSource(String text) {
        return enumOf(CostSource.class, text, "COST_SOURCE_", CostSource.COST_SOURCE_UNSPECIFIED);
    }

    /** Accepts "LLM_CALL" or "TRACE_STEP_KIND_LLM_CALL". */
    public static TraceStepKind kind(String text) {
        return enumOf(TraceStepKind.class, text, "TRACE_STEP_KIND_", TraceStepKind.TRACE_STEP_KIND_UNSPECIFIED);
    }

    /** A jsonb object as a Struct (null or not an object: null). */
    public static Struct struct(String json) {
        if (json == null || json.isBlank() || !json.strip().startsWith("{")) {
            return null;
        }
        Struct.Builder b = Struct.newBuilder();
        try {
            JsonFormat.parser().merge(json, b);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored JSON is not an object: " + e.getMessage(), e);
        }
        return b.build();
    }

    /** A jsonb object of strings as a map; a non-string value is shown as its JSON. */
    public static Map<String, String> stringMap(String json) {
        Struct s = struct(json);
        if (s == null) {
            return Map.of();
        }
        Map<String, String> out = new java.util.TreeMap<>();
        for (Map.Entry<String, Value> e : s.getFieldsMap().entrySet()) {
            Value v = e.getValue();
            if (v.getKindCase() == Value.KindCase.STRING_VALUE) {
                out.put(e.getKey(), v.getStringValue());
            } else {
                try {
                    out.put(e.getKey(), JsonFormat.printer().omittingInsignificantWhitespace().print(v));
                } catch (InvalidProtocolBufferException ex) {
                    out.put(e.getKey(), "");
                }
            }
        }
        return out;
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String text, String prefix, E fallback) {
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        for (String name : new String[] {text, prefix + text}) {
            try {
                E e = Enum.valueOf(type, name);
                if (!e.name().equals("UNRECOGNIZED")) {
                    return e;
                }
            } catch (IllegalArgumentException ignored) {
                // try the next spelling
            }
        }
        return fallback;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static long nz(Long n) {
        return n == null ? 0 : n;
    }
}
