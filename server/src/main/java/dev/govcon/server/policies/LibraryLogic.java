package dev.govcon.server.policies;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import dev.govcon.proto.v1.ApplyPolicyTemplateRequest;
import dev.govcon.proto.v1.ApplyPolicyTemplateResponse;
import dev.govcon.proto.v1.EthicalConstraint;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.ListEthicalConstraintsRequest;
import dev.govcon.proto.v1.ListEthicalConstraintsResponse;
import dev.govcon.proto.v1.ListPolicyTemplatesRequest;
import dev.govcon.proto.v1.ListPolicyTemplatesResponse;
import dev.govcon.proto.v1.PolicyKind;
import dev.govcon.proto.v1.PolicyLimit;
import dev.govcon.proto.v1.PolicyRule;
import dev.govcon.proto.v1.PolicySource;
import dev.govcon.proto.v1.PolicyTemplate;
import dev.govcon.proto.v1.RuleType;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.paging.Cursors;
import dev.govcon.server.paging.Page;
import dev.govcon.server.policies.PolicyReadMapper.TemplateUse;

/**
 * The policy library as a tenant sees it: the shipped templates with how often this tenant
 * applied each, applying one, and the ethical constraints with this tenant's adoption.
 * Lists are in catalogue order; their page tokens are positions in it.
 */
final class LibraryLogic {
    static final String APPLIED = "policy_template.applied";
    private static final int MAX_ID = 100;

    private final Database database;
    private final PolicyLibrary library;
    private final RulesLogic rules;
    private final LimitsLogic limits;

    LibraryLogic(Database database, PolicyLibrary library, RulesLogic rules, LimitsLogic limits) {
        this.database = database;
        this.library = library;
        this.rules = rules;
        this.limits = limits;
    }

    ListPolicyTemplatesResponse listTemplates(Principal caller, ListPolicyTemplatesRequest req) {
        int size = Page.size(req.getPageSize());
        int from = position(req.getPageToken());
        PolicyKind kind = Validate.enumValue("kind", req.getKind(), false);
        String category = category(req.getCategory(), library.templateCategories());
        List<PolicyTemplate> matching = library.templates().stream()
                .filter(t -> kind == PolicyKind.POLICY_KIND_UNSPECIFIED || t.getKind() == kind)
                .filter(t -> category.isEmpty() || t.getCategory().equals(category))
                .toList();
        Map<String, Long> applied = appliedCounts(caller);
        ListPolicyTemplatesResponse.Builder out = ListPolicyTemplatesResponse.newBuilder();
        matching.stream().skip(from).limit(size)
                .forEach(t -> out.addTemplates(t.toBuilder().setAppliedCount(applied.getOrDefault(t.getId(), 0L))));
        if (from + size < matching.size()) {
            out.setNextPageToken(Cursors.number(from + size));
        }
        return out.build();
    }

    PolicyTemplate getTemplate(Principal caller, String idText) {
        PolicyTemplate t = template(idText);
        return t.toBuilder().setAppliedCount(appliedCounts(caller).getOrDefault(t.getId(), 0L)).build();
    }

    /**
     * Creates the template's rule or limit: its defaults, with every field the caller set in the
     * overrides replacing the default (lists and metadata replace, not extend; scope fields
     * replace one by one). The type or kind is the template's; the result is checked exactly
     * like a created control.
     */
    ApplyPolicyTemplateResponse apply(Principal caller, ApplyPolicyTemplateRequest req) {
        PolicyTemplate t = template(req.getId());
        boolean makesRule = t.getKind() == PolicyKind.POLICY_KIND_RULE;
        switch (req.getOverridesCase()) {
            case RULE -> {
                if (!makesRule) {
                    throw Errors.invalid("rule", "template " + t.getId() + " makes a limit; give overrides as limit");
                }
            }
            case LIMIT -> {
                if (makesRule) {
                    throw Errors.invalid("limit", "template " + t.getId() + " makes a rule; give overrides as rule");
                }
            }
            default -> {
            }
        }
        if (makesRule) {
            RuleType type = req.getRule().getType();
            if (type != RuleType.RULE_TYPE_UNSPECIFIED && type != t.getRule().getType()) {
                throw Errors.invalid("rule.type", "is the template's (" + PolicyProtos.db(t.getRule().getType())
                                                  + ") and cannot be overridden");
            }
            PolicyRule rule = overlay(t.getRule(), RulesLogic.writable(req.getRule()));
            PolicyRule created = rules.create(caller, rule, PolicySource.POLICY_SOURCE_TEMPLATE, t.getId(), APPLIED);
            return ApplyPolicyTemplateResponse.newBuilder().setPolicy(PolicyProtos.policy(created)).build();
        }
        LimitKind kind = req.getLimit().getKind();
        if (kind != LimitKind.LIMIT_KIND_UNSPECIFIED && kind != t.getLimit().getKind()) {
            throw Errors.invalid("limit.kind", "is the template's (" + PolicyProtos.db(t.getLimit().getKind())
                                               + ") and cannot be overridden");
        }
        PolicyLimit limit = overlay(t.getLimit(), LimitsLogic.writable(req.getLimit()));
        PolicyLimit created = limits.create(caller, limit, PolicySource.POLICY_SOURCE_TEMPLATE, t.getId(), APPLIED);
        return ApplyPolicyTemplateResponse.newBuilder().setPolicy(PolicyProtos.policy(created)).build();
    }

    ListEthicalConstraintsResponse listEthical(Principal caller, ListEthicalConstraintsRequest req) {
        int size = Page.size(req.getPageSize());
        int from = position(req.getPageToken());
        String category = category(req.getCategory(), library.constraintCategories());
        List<EthicalConstraint> matching = library.constraints().stream()
                .filter(c -> category.isEmpty() || c.getCategory().equals(category))
                .toList();
        Map<String, PolicyRuleRow> adopted = new HashMap<>();
        database.read(s -> s.getMapper(PolicyRuleMapper.class).ethicalAdoptions(caller.tenantId()))
                .forEach(r -> adopted.put(r.ethicalConstraintId(), r));
        ListEthicalConstraintsResponse.Builder out = ListEthicalConstraintsResponse.newBuilder();
        matching.stream().skip(from).limit(size).forEach(c -> {
            EthicalConstraint.Builder b = c.toBuilder();
            PolicyRuleRow rule = adopted.get(c.getId());
            if (rule != null) {
                b.setAdoptedRuleId(rule.ruleId().toString())
                        .setAdoptedEnforcement(PolicyProtos.enforcement(rule.enforcement()))
                        .setAdoptedStatus(PolicyProtos.status(rule.status()));
            }
            out.addConstraints(b);
        });
        if (from + size < matching.size()) {
            out.setNextPageToken(Cursors.number(from + size));
        }
        return out.build();
    }

    private PolicyTemplate template(String idText) {
        String id = Validate.required("id", idText, MAX_ID);
        return library.template(id).orElseThrow(() -> Errors.notFound("policy template", id));
    }

    private Map<String, Long> appliedCounts(Principal caller) {
        Map<String, Long> out = new HashMap<>();
        for (TemplateUse use : database.read(s -> s.getMapper(PolicyReadMapper.class).templateUses(caller.tenantId()))) {
            out.put(use.templateId(), use.count());
        }
        return out;
    }

    private static int position(String pageToken) {
        Long at = Cursors.number(pageToken);
        if (at == null) {
            return 0;
        }
        if (at < 0 || at > Integer.MAX_VALUE) {
            throw Errors.invalid("page_token", "is not a token this list returned");
        }
        return at.intValue();
    }

    private static String category(String value, Set<String> known) {
        String c = Validate.optional("category", value, MAX_ID);
        if (!c.isEmpty() && !known.contains(c)) {
            throw Errors.invalid("category", "\"" + c + "\" is not one of " + known);
        }
        return c;
    }

    /** {@code defaults} with each field set in {@code overrides} replaced (scope merged field by field). */
    @SuppressWarnings("unchecked")
    private static <M extends Message> M overlay(M defaults, M overrides) {
        Message.Builder b = defaults.toBuilder();
        for (Map.Entry<FieldDescriptor, Object> set : overrides.getAllFields().entrySet()) {
            if (set.getKey().isRepeated()) {
                b.clearField(set.getKey());
            }
        }
        b.mergeFrom(overrides);
        return (M) b.build();
    }
}
