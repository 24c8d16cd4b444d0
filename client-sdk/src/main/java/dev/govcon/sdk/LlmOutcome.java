package dev.govcon.sdk;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;

/**
 * What an {@link LlmCall} produced and used: its value (handed back to the caller) and the
 * figures recorded on its run: tokens, optionally the cost (else the server prices the tokens
 * from its model price table), and the status (SUCCEEDED unless set). Immutable: every method
 * returns a new outcome.
 *
 * <pre>{@code
 * return LlmOutcome.of(response).tokens(usage.input(), usage.output()).costMicros(1_830);
 * return LlmOutcome.of(response).status(RunStatus.FAILED).error("content_filter");
 * }</pre>
 */
public final class LlmOutcome<T> {
    private static final Set<RunStatus> FINISHED = EnumSet.of(RunStatus.SUCCEEDED, RunStatus.FAILED,
            RunStatus.CANCELLED, RunStatus.TIMED_OUT);

    private final T value;
    private final Run usage;

    private LlmOutcome(T value, Run usage) {
        this.value = value;
        this.usage = usage;
    }

    /** A successful call that produced {@code value} (may be null), with no usage yet. */
    public static <T> LlmOutcome<T> of(T value) {
        return new LlmOutcome<>(value, Run.newBuilder().setStatus(RunStatus.SUCCEEDED).build());
    }

    public T value() {
        return value;
    }

    /** The figures recorded on the run: status, tokens, cost, error, metadata, model. */
    public Run usage() {
        return usage;
    }

    private LlmOutcome<T> with(Run.Builder changed) {
        return new LlmOutcome<>(value, changed.build());
    }

    public LlmOutcome<T> tokens(long inputTokens, long outputTokens) {
        return with(usage.toBuilder().setInputTokens(inputTokens).setOutputTokens(outputTokens));
    }

    /** Input tokens served from the provider's cache (priced apart, not also in input tokens). */
    public LlmOutcome<T> cachedInputTokens(long tokens) {
        return with(usage.toBuilder().setCachedInputTokens(tokens));
    }

    /** Input tokens written to the provider's cache (priced apart). */
    public LlmOutcome<T> cacheWriteTokens(long tokens) {
        return with(usage.toBuilder().setCacheWriteTokens(tokens));
    }

    /** Reasoning tokens (priced apart, not also in output tokens). */
    public LlmOutcome<T> reasoningTokens(long tokens) {
        return with(usage.toBuilder().setReasoningTokens(tokens));
    }

    /** The actual cost in micro-dollars, when the application knows it; the reservation is reconciled to it. */
    public LlmOutcome<T> costMicros(long micros) {
        return with(usage.toBuilder().setCostMicros(micros));
    }

    /** SUCCEEDED (the default), FAILED, CANCELLED or TIMED_OUT. */
    public LlmOutcome<T> status(RunStatus status) {
        Objects.requireNonNull(status, "status");
        if (!FINISHED.contains(status)) {
            throw new IllegalArgumentException("status must be a finished one " + FINISHED + ", not " + status);
        }
        return with(usage.toBuilder().setStatus(status));
    }

    /** What went wrong, for a FAILED, CANCELLED or TIMED_OUT call (at most 4096 characters). */
    public LlmOutcome<T> error(String error) {
        return with(usage.toBuilder().setError(Objects.requireNonNull(error, "error")));
    }

    /** A tag recorded on the run, over the check's metadata of the same key. */
    public LlmOutcome<T> metadata(String key, String value) {
        return with(usage.toBuilder().putMetadata(Objects.requireNonNull(key, "key"),
                                                  Objects.requireNonNull(value, "value")));
    }

    /** The model that answered, when it differs from the one checked (e.g. a dated version). */
    public LlmOutcome<T> model(String model) {
        return with(usage.toBuilder().setModel(Objects.requireNonNull(model, "model")));
    }
}
