package dev.govcon.sdk;

import java.util.Map;
import java.util.Objects;

import dev.govcon.proto.v1.CheckGuardRequest;

/**
 * One prospective LLM call, as the guard sees it: who makes it (feature, end user,
 * environment, metadata), with what (model, provider) and how big it may get (estimated input
 * tokens and the maximum output tokens, or a maximum cost). Immutable; make one with
 * {@link #builder()}.
 *
 * <pre>{@code
 * GuardCheck check = GuardCheck.builder()
 *         .model("gpt-4o").provider("openai").feature("support-chat").endUser("u-42")
 *         .estimatedInputTokens(1_200).maxOutputTokens(500)
 *         .build();
 * }</pre>
 *
 * <p>The guard reserves the call's maximum cost (the token estimates at the model's price, or
 * {@link Builder#estimatedCostMicros(long)}) until the run completes; the completion gives back
 * what the call did not spend. The run id ties the two together: {@link Guard#call} makes one
 * when the check has none.
 */
public final class GuardCheck {
    private final CheckGuardRequest request;
    private final String retryOf;

    private GuardCheck(CheckGuardRequest request, String retryOf) {
        this.request = request;
        this.retryOf = retryOf;
    }

    public static Builder builder() {
        return new Builder(CheckGuardRequest.newBuilder(), "");
    }

    /** A check made from a request built by hand (the server validates it). */
    public static GuardCheck of(CheckGuardRequest request) {
        return new GuardCheck(Objects.requireNonNull(request, "request"), "");
    }

    /** A builder holding this check's values. */
    public Builder toBuilder() {
        return new Builder(request.toBuilder(), retryOf);
    }

    /** The run id of the earlier call this one retries; empty when it is not a retry. */
    public String retryOf() {
        return retryOf;
    }

    /** The request sent to {@code RuntimeService.CheckGuard}. */
    public CheckGuardRequest toRequest() {
        return request;
    }

    public String model() {
        return request.getModel();
    }

    /** The run this call belongs to; empty when none was given. */
    public String runId() {
        return request.getRunId();
    }

    GuardCheck withRunId(String runId) {
        return new GuardCheck(request.toBuilder().setRunId(runId).build(), retryOf);
    }

    @Override
    public String toString() {
        return "GuardCheck{" + request.toString().replace('\n', ' ').trim() + "}";
    }

    public static final class Builder {
        private final CheckGuardRequest.Builder request;
        private String retryOf;

        private Builder(CheckGuardRequest.Builder request, String retryOf) {
            this.request = request;
            this.retryOf = retryOf;
        }

        /**
         * This call retries the call whose run was {@code runId} (e.g. after it failed): its run
         * is recorded with {@code retry_of_run_id}, which analytics counts as a retry. The SDK
         * never retries an LLM call by itself.
         */
        public Builder retryOf(String runId) {
            this.retryOf = Objects.requireNonNull(runId, "runId");
            return this;
        }

        /** Required, e.g. "gpt-4o-mini". */
        public Builder model(String model) {
            request.setModel(Objects.requireNonNull(model, "model"));
            return this;
        }

        public Builder provider(String provider) {
            request.setProvider(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /** The application's feature, the main unit of governance. */
        public Builder feature(String feature) {
            request.setFeature(Objects.requireNonNull(feature, "feature"));
            return this;
        }

        /** The application's opaque reference to its end user. */
        public Builder endUser(String endUser) {
            request.setEndUser(Objects.requireNonNull(endUser, "endUser"));
            return this;
        }

        public Builder environment(String environment) {
            request.setEnvironment(Objects.requireNonNull(environment, "environment"));
            return this;
        }

        public Builder estimatedInputTokens(long tokens) {
            request.setEstimatedInputTokens(tokens);
            return this;
        }

        /** The most output tokens the call may produce (its {@code max_tokens}). */
        public Builder maxOutputTokens(long tokens) {
            request.setMaxOutputTokens(tokens);
            return this;
        }

        /** The call's maximum cost in micro-dollars; when set, it is reserved instead of the token estimate's price. */
        public Builder estimatedCostMicros(long micros) {
            request.setEstimatedCostMicros(micros);
            return this;
        }

        /** A tag checked by required-metadata rules and recorded on the run. */
        public Builder metadata(String key, String value) {
            request.putMetadata(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder metadata(Map<String, String> metadata) {
            request.putAllMetadata(Objects.requireNonNull(metadata, "metadata"));
            return this;
        }

        /**
         * The client's id of the run this call is (1-128 chars of {@code [A-Za-z0-9._:-]}). Its
         * completion then reconciles the reservation; {@link Guard#call} makes a UUID if unset.
         */
        public Builder runId(String runId) {
            request.setRunId(Objects.requireNonNull(runId, "runId"));
            return this;
        }

        /** Evaluate only: nothing is reserved and no violation is written. */
        public Builder dryRun(boolean dryRun) {
            request.setDryRun(dryRun);
            return this;
        }

        /** @throws IllegalArgumentException when no model is set */
        public GuardCheck build() {
            if (request.getModel().isBlank()) {
                throw new IllegalArgumentException("model is required");
            }
            return new GuardCheck(request.build(), retryOf);
        }
    }
}
