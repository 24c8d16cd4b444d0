package dev.govcon.server.guard;

import java.util.Map;

import dev.govcon.proto.v1.GuardOutcome;

/**
 * Whether one rule lets a call through. A rule that is violated acts by its action, except
 * an ADVISORY rule, which is only ever LOGGED.
 */
final class RuleCheck {
    private RuleCheck() {
    }

    record Result(GuardOutcome outcome, String reason) {
    }

    static Result evaluate(GuardRule rule, GuardCall call) {
        String violation = violation(rule, call);
        if (violation == null) {
            return new Result(GuardOutcome.GUARD_OUTCOME_PASSED, "within rule");
        }
        if (rule.advisory()) {
            return new Result(GuardOutcome.GUARD_OUTCOME_LOGGED, violation + " (advisory)");
        }
        return new Result(Outcomes.violated(rule.action()), violation);
    }

    /** Null when the call complies, else why not, in plain words. */
    private static String violation(GuardRule rule, GuardCall call) {
        String model = call.scope().model();
        String provider = call.scope().provider();
        return switch (rule.type()) {
            case RULE_TYPE_MODEL_ALLOW_LIST -> rule.models().contains(model) ? null
                    : "model " + model + " is not in the allow list " + rule.models();
            case RULE_TYPE_MODEL_DENY_LIST -> rule.models().contains(model)
                    ? "model " + model + " is on the deny list" : null;
            case RULE_TYPE_PROVIDER_ALLOW_LIST -> rule.providers().contains(provider) ? null
                    : (provider.isEmpty() ? "no provider given; allowed: " : "provider " + provider
                       + " is not in the allow list ") + rule.providers();
            case RULE_TYPE_MAX_TOKENS_PER_RUN -> call.maxTokens() <= rule.maxTokens() ? null
                    : "call may use " + call.maxTokens() + " tokens, more than the " + rule.maxTokens() + " allowed";
            case RULE_TYPE_REQUIRED_METADATA -> missingKeys(rule, call.metadata());
            case RULE_TYPE_ETHICAL_CONSTRAINT -> missingPairs(rule.requiredMetadata(), call.metadata());
            default -> null;
        };
    }

    private static String missingKeys(GuardRule rule, Map<String, String> metadata) {
        for (String key : rule.requiredKeys()) {
            String value = metadata.get(key);
            if (value == null || value.isBlank()) {
                return "metadata key " + key + " is required";
            }
        }
        return null;
    }

    private static String missingPairs(Map<String, String> required, Map<String, String> metadata) {
        for (Map.Entry<String, String> pair : required.entrySet()) {
            if (!pair.getValue().equals(metadata.get(pair.getKey()))) {
                return "metadata " + pair.getKey() + "=" + pair.getValue() + " is required";
            }
        }
        return null;
    }
}
