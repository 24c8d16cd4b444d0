package dev.govcon.server.policies;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.PolicyStatus;
import dev.govcon.proto.v1.Scope;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;

/**
 * Checks every control shares (name, description, scope, action, status). Each failure is
 * INVALID_ARGUMENT naming the field under the request's prefix, e.g. {@code rule.scope.feature}.
 */
final class ControlChecks {
    static final int MAX_NAME = Validate.MAX_NAME;
    static final int MAX_DESCRIPTION = 2000;
    /** Model, provider, feature, ... as runs report them (the same bound ingestion applies). */
    static final int MAX_LABEL = 200;
    static final int MAX_LIST = 500;

    private ControlChecks() {
    }

    static String name(String prefix, String value) {
        return Validate.required(prefix + ".name", value, MAX_NAME);
    }

    static String description(String prefix, String value) {
        return Validate.optional(prefix + ".description", value, MAX_DESCRIPTION);
    }

    static ControlAction action(String prefix, ControlAction value) {
        return Validate.enumValue(prefix + ".action", value, true);
    }

    /** An unset status takes {@code fallback} (ACTIVE on create; the current one on update). */
    static PolicyStatus status(String prefix, PolicyStatus value, PolicyStatus fallback) {
        Validate.enumValue(prefix + ".status", value, false);
        return value == PolicyStatus.POLICY_STATUS_UNSPECIFIED ? fallback : value;
    }

    static Scope scope(String prefix, Scope s) {
        String p = prefix + ".scope.";
        String apiKeyId = Validate.optional(p + "api_key_id", s.getApiKeyId(), MAX_LABEL);
        if (!apiKeyId.isEmpty()) {
            apiKeyId = Validate.id(p + "api_key_id", apiKeyId).toString();
        }
        return Scope.newBuilder()
                .setFeature(Validate.optional(p + "feature", s.getFeature(), MAX_LABEL))
                .setModel(Validate.optional(p + "model", s.getModel(), MAX_LABEL))
                .setEndUser(Validate.optional(p + "end_user", s.getEndUser(), MAX_LABEL))
                .setApiKeyId(apiKeyId)
                .setProvider(Validate.optional(p + "provider", s.getProvider(), MAX_LABEL))
                .setEnvironment(Validate.optional(p + "environment", s.getEnvironment(), MAX_LABEL))
                .build();
    }

    /**
     * A list of names (models, providers, metadata keys): each entry non-blank, bounded and
     * stated once. Entries are stripped of surrounding blanks.
     */
    static List<String> names(String field, List<String> values, int maxLength) {
        if (values.size() > MAX_LIST) {
            throw Errors.invalid(field, "has more than " + MAX_LIST + " entries");
        }
        List<String> out = new ArrayList<>(values.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i).strip();
            String at = field + "[" + i + "]";
            if (v.isEmpty()) {
                throw Errors.invalid(at, "is empty");
            }
            if (v.length() > maxLength) {
                throw Errors.invalid(at, "is longer than " + maxLength + " characters");
            }
            if (!seen.add(v)) {
                throw Errors.invalid(at, "repeats \"" + v + "\"");
            }
            out.add(v);
        }
        return out;
    }
}
