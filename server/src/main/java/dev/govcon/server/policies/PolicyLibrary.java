package dev.govcon.server.policies;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import dev.govcon.proto.v1.EthicalConstraint;
import dev.govcon.proto.v1.ListEthicalConstraintsResponse;
import dev.govcon.proto.v1.ListPolicyTemplatesResponse;
import dev.govcon.proto.v1.PolicyStatus;
import dev.govcon.proto.v1.PolicyTemplate;

/**
 * The shipped catalogue: templates of rules and limits, and ethical constraints. Both are
 * resource files in protobuf JSON form beside this class ({@code policy-templates.json},
 * {@code ethical-constraints.json}), read once per process. Ids are stable across releases
 * (applied controls refer to them by {@code source_ref_id}). Every template's defaults must pass
 * the same checks as a created control, so a broken catalogue fails at start, not on apply.
 */
final class PolicyLibrary {
    private static final String TEMPLATES = "policy-templates.json";
    private static final String CONSTRAINTS = "ethical-constraints.json";

    private final Map<String, PolicyTemplate> templates;
    private final Map<String, EthicalConstraint> constraints;

    private PolicyLibrary(List<PolicyTemplate> templates, List<EthicalConstraint> constraints) {
        this.constraints = byId(constraints, EthicalConstraint::getId, CONSTRAINTS);
        this.templates = byId(templates, PolicyTemplate::getId, TEMPLATES);
        RuleChecks rules = new RuleChecks(this);
        for (PolicyTemplate t : templates) {
            boolean consistent = switch (t.getKind()) {
                case POLICY_KIND_RULE -> t.hasRule();
                case POLICY_KIND_LIMIT -> t.hasLimit();
                default -> false;
            };
            if (!consistent || t.getCategory().isEmpty() || t.getName().isEmpty()) {
                throw new IllegalStateException(TEMPLATES + ": template " + t.getId()
                                                + " needs a name, a category and defaults of its kind");
            }
            try {
                if (t.hasRule()) {
                    rules.check("rule", t.getRule(), PolicyStatus.POLICY_STATUS_ACTIVE);
                } else {
                    LimitChecks.check("limit", t.getLimit(), PolicyStatus.POLICY_STATUS_ACTIVE);
                }
            } catch (RuntimeException e) {
                throw new IllegalStateException(TEMPLATES + ": template " + t.getId() + " is not valid: "
                                                + e.getMessage(), e);
            }
        }
    }

    private static final class Shipped {
        static final PolicyLibrary INSTANCE = new PolicyLibrary(
                load(TEMPLATES, ListPolicyTemplatesResponse.newBuilder()).getTemplatesList(),
                load(CONSTRAINTS, ListEthicalConstraintsResponse.newBuilder()).getConstraintsList());
    }

    static PolicyLibrary shipped() {
        return Shipped.INSTANCE;
    }

    List<PolicyTemplate> templates() {
        return List.copyOf(templates.values());
    }

    Optional<PolicyTemplate> template(String id) {
        return Optional.ofNullable(templates.get(id));
    }

    List<EthicalConstraint> constraints() {
        return List.copyOf(constraints.values());
    }

    Optional<EthicalConstraint> constraint(String id) {
        return Optional.ofNullable(constraints.get(id));
    }

    Set<String> constraintIds() {
        return new TreeSet<>(constraints.keySet());
    }

    Set<String> templateCategories() {
        Set<String> out = new TreeSet<>();
        templates.values().forEach(t -> out.add(t.getCategory()));
        return out;
    }

    Set<String> constraintCategories() {
        Set<String> out = new TreeSet<>();
        constraints.values().forEach(c -> out.add(c.getCategory()));
        return out;
    }

    private static <B extends Message.Builder> B load(String resource, B builder) {
        try (InputStream in = PolicyLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            JsonFormat.parser().merge(new String(in.readAllBytes(), StandardCharsets.UTF_8), builder);
            return builder;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + resource, e);
        }
    }

    private static <T> Map<String, T> byId(List<T> items, java.util.function.Function<T, String> id, String file) {
        Map<String, T> out = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (T item : items) {
            String key = id.apply(item);
            if (key.isEmpty() || !seen.add(key)) {
                throw new IllegalStateException(file + ": empty or repeated id \"" + key + "\"");
            }
            out.put(key, item);
        }
        return out;
    }
}
