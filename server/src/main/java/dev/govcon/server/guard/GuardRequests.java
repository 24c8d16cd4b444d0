package dev.govcon.server.guard;

import java.util.Map;

import dev.govcon.proto.v1.CheckGuardRequest;
import dev.govcon.server.activity.ingest.RunLimits;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.policies.ControlScope;

/** Validates a check request, with the same bounds as a run's, into a {@link GuardCall}. */
final class GuardRequests {
    private GuardRequests() {
    }

    static GuardCall call(Principal caller, CheckGuardRequest r) {
        String model = Validate.required("model", r.getModel(), RunLimits.MAX_LABEL);
        String feature = Validate.optional("feature", r.getFeature(), RunLimits.MAX_LABEL);
        String provider = Validate.optional("provider", r.getProvider(), RunLimits.MAX_LABEL);
        String endUser = Validate.optional("end_user", r.getEndUser(), RunLimits.MAX_LABEL);
        String environment = Validate.optional("environment", r.getEnvironment(), RunLimits.MAX_LABEL);
        tokens("estimated_input_tokens", r.getEstimatedInputTokens());
        tokens("max_output_tokens", r.getMaxOutputTokens());
        if (r.hasEstimatedCostMicros()
                && (r.getEstimatedCostMicros() < 0 || r.getEstimatedCostMicros() > RunLimits.MAX_COST_MICROS)) {
            throw Errors.invalid("estimated_cost_micros", "must be between 0 and " + RunLimits.MAX_COST_MICROS);
        }
        if (!r.getRunId().isEmpty() && !RunLimits.RUN_ID.matcher(r.getRunId()).matches()) {
            throw Errors.invalid("run_id", "must be 1-128 characters of letters, digits and . _ : -");
        }
        metadata(r.getMetadataMap());
        // Runs without an environment are recorded as "default"; checks match them the same way.
        ControlScope scope = new ControlScope(feature, model, endUser, caller.keyId().toString(), provider,
                                              environment.isEmpty() ? "default" : environment);
        return new GuardCall(caller.tenantId(), scope, r.getEstimatedInputTokens(), r.getMaxOutputTokens(),
                             r.hasEstimatedCostMicros() ? r.getEstimatedCostMicros() : null, r.getMetadataMap(),
                             r.getRunId(), r.getDryRun());
    }

    private static void tokens(String field, long value) {
        if (value < 0 || value > RunLimits.MAX_TOKENS) {
            throw Errors.invalid(field, "must be between 0 and " + RunLimits.MAX_TOKENS);
        }
    }

    private static void metadata(Map<String, String> metadata) {
        if (metadata.size() > RunLimits.MAX_METADATA_KEYS) {
            throw Errors.invalid("metadata", "has more than " + RunLimits.MAX_METADATA_KEYS + " keys");
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().length() > RunLimits.MAX_METADATA_KEY) {
                throw Errors.invalid("metadata", "keys must be 1-" + RunLimits.MAX_METADATA_KEY + " characters");
            }
            if (e.getValue().length() > RunLimits.MAX_METADATA_VALUE) {
                throw Errors.invalid("metadata." + e.getKey(),
                                     "is longer than " + RunLimits.MAX_METADATA_VALUE + " characters");
            }
        }
    }
}
