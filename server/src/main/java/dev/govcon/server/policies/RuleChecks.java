package dev.govcon.server.policies;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.govcon.proto.v1.EthicalConstraint;
import dev.govcon.proto.v1.PolicyRule;
import dev.govcon.proto.v1.PolicyStatus;
import dev.govcon.proto.v1.RuleEnforcement;
import dev.govcon.proto.v1.RuleType;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;

/**
 * What a rule must be before it is stored, whichever door it comes through (create, update,
 * template, proposal): each type has its own parameters, a parameter of another type is refused
 * rather than silently stored, and the result holds only writable fields, normalised
 * (names stripped, unset status and enforcement given their defaults).
 */
final class RuleChecks {
    /** Far above any real call, and the bound ingestion puts on one token class. */
    static final long MAX_TOKENS = 10_000_000_000L;
    static final int MAX_METADATA_ENTRIES = 64;
    static final int MAX_METADATA_KEY = 128;
    static final int MAX_METADATA_VALUE = 1024;

    private static final List<String> PARAMETERS =
            List.of("models", "providers", "max_tokens", "required_keys", "ethical_constraint_id", "required_metadata");
    private static final Map<RuleType, Set<String>> USED = Map.of(
            RuleType.RULE_TYPE_MODEL_ALLOW_LIST, Set.of("models"),
            RuleType.RULE_TYPE_MODEL_DENY_LIST, Set.of("models"),
            RuleType.RULE_TYPE_MAX_TOKENS_PER_RUN, Set.of("max_tokens"),
            RuleType.RULE_TYPE_REQUIRED_METADATA, Set.of("required_keys"),
            RuleType.RULE_TYPE_PROVIDER_ALLOW_LIST, Set.of("providers"),
            RuleType.RULE_TYPE_ETHICAL_CONSTRAINT, Set.of("ethical_constraint_id", "required_metadata"));

    private final PolicyLibrary library;

    RuleChecks(PolicyLibrary library) {
        this.library = library;
    }

    /**
     * @param prefix        the request field holding the rule ("rule")
     * @param defaultStatus what an unset status becomes
     */
    PolicyRule check(String prefix, PolicyRule in, PolicyStatus defaultStatus) {
        String p = prefix + ".";
        PolicyRule.Builder out = PolicyRule.newBuilder()
                .setName(ControlChecks.name(prefix, in.getName()))
                .setDescription(ControlChecks.description(prefix, in.getDescription()));
        RuleType type = Validate.enumValue(p + "type", in.getType(), true);
        out.setType(type)
                .setAction(ControlChecks.action(prefix, in.getAction()))
                .setStatus(ControlChecks.status(prefix, in.getStatus(), defaultStatus))
                .setScope(ControlChecks.scope(prefix, in.getScope()));
        RuleEnforcement enforcement = Validate.enumValue(p + "enforcement", in.getEnforcement(), false);

        for (String parameter : PARAMETERS) {
            if (isSet(in, parameter) && !USED.get(type).contains(parameter)) {
                throw Errors.invalid(p + parameter, "not used by " + PolicyProtos.db(type));
            }
        }
        switch (type) {
            case RULE_TYPE_MODEL_ALLOW_LIST, RULE_TYPE_MODEL_DENY_LIST ->
                    out.addAllModels(nonEmpty(p + "models", in.getModelsList(), ControlChecks.MAX_LABEL));
            case RULE_TYPE_PROVIDER_ALLOW_LIST ->
                    out.addAllProviders(nonEmpty(p + "providers", in.getProvidersList(), ControlChecks.MAX_LABEL));
            case RULE_TYPE_REQUIRED_METADATA ->
                    out.addAllRequiredKeys(nonEmpty(p + "required_keys", in.getRequiredKeysList(), MAX_METADATA_KEY));
            case RULE_TYPE_MAX_TOKENS_PER_RUN -> {
                if (in.getMaxTokens() <= 0 || in.getMaxTokens() > MAX_TOKENS) {
                    throw Errors.invalid(p + "max_tokens", "must be between 1 and " + MAX_TOKENS);
                }
                out.setMaxTokens(in.getMaxTokens());
            }
            case RULE_TYPE_ETHICAL_CONSTRAINT -> {
                String id = Validate.required(p + "ethical_constraint_id", in.getEthicalConstraintId(), 100);
                EthicalConstraint constraint = library.constraint(id).orElseThrow(() -> Errors.invalid(
                        p + "ethical_constraint_id", "\"" + id + "\" is not a constraint of the library; one of "
                                                     + library.constraintIds()));
                out.setEthicalConstraintId(id);
                // The constraint's own metadata and enforcement are the defaults of adopting it.
                out.putAllRequiredMetadata(in.getRequiredMetadataCount() > 0
                        ? metadata(p + "required_metadata", in.getRequiredMetadataMap())
                        : constraint.getRequiredMetadataMap());
                if (enforcement == RuleEnforcement.RULE_ENFORCEMENT_UNSPECIFIED) {
                    enforcement = constraint.getDefaultEnforcement();
                }
            }
            default -> throw Errors.invalid(p + "type", "is not a known value");
        }
        out.setEnforcement(enforcement == RuleEnforcement.RULE_ENFORCEMENT_UNSPECIFIED
                           ? RuleEnforcement.RULE_ENFORCEMENT_ENFORCED : enforcement);
        return out.build();
    }

    private static boolean isSet(PolicyRule r, String parameter) {
        return switch (parameter) {
            case "models" -> r.getModelsCount() > 0;
            case "providers" -> r.getProvidersCount() > 0;
            case "max_tokens" -> r.getMaxTokens() != 0;
            case "required_keys" -> r.getRequiredKeysCount() > 0;
            case "ethical_constraint_id" -> !r.getEthicalConstraintId().isEmpty();
            case "required_metadata" -> r.getRequiredMetadataCount() > 0;
            default -> throw new IllegalArgumentException(parameter);
        };
    }

    private static List<String> nonEmpty(String field, List<String> values, int maxLength) {
        if (values.isEmpty()) {
            throw Errors.invalid(field, "must name at least one");
        }
        return ControlChecks.names(field, values, maxLength);
    }

    private static Map<String, String> metadata(String field, Map<String, String> in) {
        if (in.size() > MAX_METADATA_ENTRIES) {
            throw Errors.invalid(field, "has more than " + MAX_METADATA_ENTRIES + " entries");
        }
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(in).entrySet()) {
            String key = e.getKey().strip();
            if (key.isEmpty() || key.length() > MAX_METADATA_KEY) {
                throw Errors.invalid(field, "keys must be 1-" + MAX_METADATA_KEY + " characters");
            }
            if (e.getValue().length() > MAX_METADATA_VALUE) {
                throw Errors.invalid(field + "[" + key + "]", "is longer than " + MAX_METADATA_VALUE + " characters");
            }
            out.put(key, e.getValue());
        }
        return out;
    }
}
