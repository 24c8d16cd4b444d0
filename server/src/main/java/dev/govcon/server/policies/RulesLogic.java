package dev.govcon.server.policies;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

import dev.govcon.proto.v1.DeletePolicyRuleRequest;
import dev.govcon.proto.v1.ListPolicyRulesRequest;
import dev.govcon.proto.v1.ListPolicyRulesResponse;
import dev.govcon.proto.v1.PolicyRule;
import dev.govcon.proto.v1.PolicySource;
import dev.govcon.proto.v1.PolicyStatus;
import dev.govcon.proto.v1.UpdatePolicyRuleRequest;
import dev.govcon.server.audit.AuditLedger;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.paging.Page;

/**
 * Rules (`policy_rules`): list, read, create, optimistic update and soft delete. Every change
 * bumps the version and writes an audit row with before and after in the same transaction; the
 * table's trigger tells every replica's guard to reload the tenant's controls on commit.
 */
final class RulesLogic {
    /** The fields a caller may change, by proto name; the rest are output only. */
    static final List<String> WRITABLE = List.of("name", "description", "type", "enforcement", "scope",
            "action", "status", "models", "providers", "max_tokens", "required_keys", "ethical_constraint_id",
            "required_metadata");

    private final Database database;
    private final Clock clock;
    private final RuleChecks checks;

    RulesLogic(Database database, Clock clock, RuleChecks checks) {
        this.database = database;
        this.clock = clock;
        this.checks = checks;
    }

    ListPolicyRulesResponse list(Principal caller, ListPolicyRulesRequest req) {
        int size = Page.size(req.getPageSize());
        Page.Cursor after = Page.cursor(req.getPageToken());
        ControlFilter filter = new ControlFilter(
                PolicyProtos.dbOrNull(Validate.enumValue("type", req.getType(), false), "RULE_TYPE_"),
                PolicyProtos.dbOrNull(Validate.enumValue("status", req.getStatus(), false), "POLICY_STATUS_"),
                PolicyProtos.dbOrNull(Validate.enumValue("source", req.getSource(), false), "POLICY_SOURCE_"),
                PolicyProtos.dbOrNull(Validate.enumValue("enforcement", req.getEnforcement(), false), "RULE_ENFORCEMENT_"),
                null, scopeFilter("feature", req.getFeature()), scopeFilter("model", req.getModel()));
        return database.read(s -> {
            PolicyRuleMapper rules = s.getMapper(PolicyRuleMapper.class);
            List<PolicyRuleRow> rows = rules.list(caller.tenantId(), filter, after == null ? null : after.at(),
                                                  after == null ? null : after.id(), size + 1);
            ListPolicyRulesResponse.Builder out = ListPolicyRulesResponse.newBuilder();
            rows.stream().limit(size).forEach(r -> out.addRules(PolicyProtos.rule(r)));
            out.setNextPageToken(Page.nextToken(rows, size, last -> new Page.Cursor(last.createdAt(), last.ruleId()).encode()));
            out.setTotalCount(rules.count(caller.tenantId(), filter));
            return out.build();
        });
    }

    PolicyRule get(Principal caller, String idText) {
        UUID id = Validate.id("id", idText);
        PolicyRuleRow row = database.read(s -> s.getMapper(PolicyRuleMapper.class).findById(caller.tenantId(), id));
        if (row == null) {
            throw Errors.notFound("policy rule", id);
        }
        return PolicyProtos.rule(row);
    }

    /**
     * Creates a rule from what a caller sent (field {@code rule}), checked like any other.
     *
     * @param auditAction e.g. "policy_rule.created", or "policy_template.applied"
     */
    PolicyRule create(Principal caller, PolicyRule input, PolicySource source, String sourceRefId, String auditAction) {
        PolicyRule rule = checks.check("rule", input, PolicyStatus.POLICY_STATUS_ACTIVE);
        return database.inTransaction(s -> insertChecked(s, caller, rule, source, sourceRefId, auditAction));
    }

    /** As {@link #create}, inside the caller's transaction (a proposal accepted with its rule). */
    PolicyRule create(SqlSession s, Principal caller, PolicyRule input, PolicySource source, String sourceRefId,
                      String auditAction) {
        return insertChecked(s, caller, checks.check("rule", input, PolicyStatus.POLICY_STATUS_ACTIVE), source,
                             sourceRefId, auditAction);
    }

    private PolicyRule insertChecked(SqlSession s, Principal caller, PolicyRule rule, PolicySource source,
                                     String sourceRefId, String auditAction) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        PolicyRuleMapper rules = s.getMapper(PolicyRuleMapper.class);
        rules.insert(PolicyProtos.ruleRow(caller.tenantId(), id, rule, source, sourceRefId, 1, now, now,
                                          caller.actor(), caller.actor()));
        PolicyRule created = PolicyProtos.rule(rules.findById(caller.tenantId(), id));
        AuditLedger.record(s, caller.tenantId(), caller.actor(), auditAction, "policy_rule", id.toString(),
                           null, created);
        return created;
    }

    /**
     * Applies the request to the stored rule if the caller read its current version. A request
     * that changes nothing answers the rule as it is, with no new version and no audit row.
     */
    PolicyRule update(Principal caller, UpdatePolicyRuleRequest req) {
        UUID id = Validate.id("id", req.getId());
        if (!req.hasRule()) {
            throw Errors.invalid("rule", "is required");
        }
        PolicyRule in = req.getRule();
        if (!in.getId().isEmpty() && !in.getId().equalsIgnoreCase(id.toString())) {
            throw Errors.invalid("rule.id", "must be left out or equal id " + id);
        }
        if (in.getVersion() <= 0) {
            throw Errors.invalid("rule.version", "is required: the version of the rule you read");
        }
        Updates.checkMask(req.getUpdateMask(), WRITABLE);
        Instant now = clock.instant();
        return database.inTransaction(s -> {
            PolicyRuleMapper rules = s.getMapper(PolicyRuleMapper.class);
            PolicyRuleRow row = rules.lockById(caller.tenantId(), id);
            if (row == null) {
                throw Errors.notFound("policy rule", id);
            }
            PolicyRule before = PolicyProtos.rule(row);
            if (row.version() != in.getVersion()) {
                throw Errors.aborted("rule.version: " + in.getVersion() + " is not the current version "
                                     + row.version() + "; read the rule again and reapply the change");
            }
            PolicyRule merged = Updates.apply(before, in, req.getUpdateMask(), WRITABLE);
            PolicyRule rule = checks.check("rule", merged, before.getStatus());
            if (rule.equals(writable(before))) {
                return before;
            }
            rules.update(PolicyProtos.ruleRow(caller.tenantId(), id, rule, before.getSource(), row.sourceRefId(),
                                              row.version() + 1, row.createdAt(), now, before.getCreatedBy(),
                                              caller.actor()));
            PolicyRule after = PolicyProtos.rule(rules.findById(caller.tenantId(), id));
            AuditLedger.record(s, caller.tenantId(), caller.actor(), "policy_rule.updated", "policy_rule",
                               id.toString(), before, after);
            return after;
        });
    }

    /** Disables the rule and keeps it; disabling a DISABLED rule changes nothing. */
    PolicyRule delete(Principal caller, DeletePolicyRuleRequest req) {
        UUID id = Validate.id("id", req.getId());
        if (req.getVersion() < 0) {
            throw Errors.invalid("version", "must be the version of the rule you read, or 0 for no check");
        }
        Instant now = clock.instant();
        return database.inTransaction(s -> {
            PolicyRuleMapper rules = s.getMapper(PolicyRuleMapper.class);
            PolicyRuleRow row = rules.lockById(caller.tenantId(), id);
            if (row == null) {
                throw Errors.notFound("policy rule", id);
            }
            if (req.getVersion() != 0 && req.getVersion() != row.version()) {
                throw Errors.aborted("version: " + req.getVersion() + " is not the current version "
                                     + row.version() + " of the rule");
            }
            PolicyRule before = PolicyProtos.rule(row);
            if (before.getStatus() == PolicyStatus.POLICY_STATUS_DISABLED) {
                return before;
            }
            PolicyRule disabled = writable(before).toBuilder().setStatus(PolicyStatus.POLICY_STATUS_DISABLED).build();
            rules.update(PolicyProtos.ruleRow(caller.tenantId(), id, disabled, before.getSource(), row.sourceRefId(),
                                              row.version() + 1, row.createdAt(), now, before.getCreatedBy(),
                                              caller.actor()));
            PolicyRule after = PolicyProtos.rule(rules.findById(caller.tenantId(), id));
            AuditLedger.record(s, caller.tenantId(), caller.actor(), "policy_rule.deleted", "policy_rule",
                               id.toString(), before, after);
            return after;
        });
    }

    /** The rule without its output-only fields: what a caller can set. */
    static PolicyRule writable(PolicyRule r) {
        return r.toBuilder().clearId().clearSource().clearSourceRefId().clearVersion().clearCreateTime()
                .clearUpdateTime().clearCreatedBy().clearUpdatedBy().build();
    }

    /** A feature or model filter: empty means none. */
    static String scopeFilter(String field, String value) {
        String v = Validate.optional(field, value, ControlChecks.MAX_LABEL);
        return v.isEmpty() ? null : v;
    }
}
