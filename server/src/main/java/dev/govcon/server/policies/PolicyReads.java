package dev.govcon.server.policies;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

import dev.govcon.proto.v1.GetPoliciesByTypeResponse;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.LimitUsage;
import dev.govcon.proto.v1.ListActivePoliciesRequest;
import dev.govcon.proto.v1.ListActivePoliciesResponse;
import dev.govcon.proto.v1.Policy;
import dev.govcon.proto.v1.PolicyKind;
import dev.govcon.proto.v1.PolicyTypeSummary;
import dev.govcon.proto.v1.RuleType;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.paging.Page;
import dev.govcon.server.policies.PolicyReadMapper.ControlRef;
import dev.govcon.server.policies.PolicyReadMapper.TypeCount;
import dev.govcon.server.policies.PolicyReadMapper.ViolationStat;
import dev.govcon.server.wire.Times;

/**
 * The Governance panels' view of controls: rules and limits together as {@link Policy}, each
 * with the violations it produced in the last {@link #RECENT} ({@code limit_violations}).
 */
final class PolicyReads {
    static final Duration RECENT = Duration.ofDays(7);

    private final Database database;
    private final Clock clock;

    PolicyReads(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** ACTIVE rules and limits, newest first. */
    ListActivePoliciesResponse listActive(Principal caller, ListActivePoliciesRequest req) {
        int size = Page.size(req.getPageSize());
        Page.Cursor after = Page.cursor(req.getPageToken());
        String kind = PolicyProtos.dbOrNull(Validate.enumValue("kind", req.getKind(), false), "POLICY_KIND_");
        ControlFilter filter = new ControlFilter(null, null, null, null,
                PolicyProtos.dbOrNull(Validate.enumValue("action", req.getAction(), false), ""),
                RulesLogic.scopeFilter("feature", req.getFeature()), RulesLogic.scopeFilter("model", req.getModel()));
        Instant now = clock.instant();
        return database.read(s -> {
            PolicyReadMapper reads = s.getMapper(PolicyReadMapper.class);
            List<ControlRef> refs = reads.active(caller.tenantId(), kind, filter, after == null ? null : after.at(),
                                                 after == null ? null : after.id(), size + 1);
            List<ControlRef> page = refs.stream().limit(size).toList();
            ListActivePoliciesResponse.Builder out = ListActivePoliciesResponse.newBuilder()
                    .addAllPolicies(policies(s, caller.tenantId(), page, now))
                    .setNextPageToken(Page.nextToken(refs, size, last -> new Page.Cursor(last.createdAt(), last.id()).encode()))
                    .setTotalCount(reads.countActive(caller.tenantId(), kind, filter));
            return out.build();
        });
    }

    /** A rule or a limit, in any status. */
    Policy get(Principal caller, String idText) {
        UUID id = Validate.id("id", idText);
        Instant now = clock.instant();
        return database.read(s -> {
            String kind;
            if (s.getMapper(PolicyRuleMapper.class).findById(caller.tenantId(), id) != null) {
                kind = "RULE";
            } else if (s.getMapper(PolicyLimitMapper.class).findById(caller.tenantId(), id) != null) {
                kind = "LIMIT";
            } else {
                throw Errors.notFound("policy", id);
            }
            return policies(s, caller.tenantId(), List.of(new ControlRef(kind, id, null)), now).get(0);
        });
    }

    /** One row per rule type and limit kind, in enum order, zero counts included. */
    GetPoliciesByTypeResponse byType(Principal caller) {
        Instant now = clock.instant();
        return database.read(s -> {
            PolicyReadMapper reads = s.getMapper(PolicyReadMapper.class);
            Map<String, PolicyTypeSummary.Builder> rows = new java.util.LinkedHashMap<>();
            for (RuleType t : RuleType.values()) {
                if (t != RuleType.RULE_TYPE_UNSPECIFIED && t != RuleType.UNRECOGNIZED) {
                    rows.put("RULE/" + PolicyProtos.db(t), PolicyTypeSummary.newBuilder()
                            .setKind(PolicyKind.POLICY_KIND_RULE).setRuleType(t));
                }
            }
            for (LimitKind k : LimitKind.values()) {
                if (k != LimitKind.LIMIT_KIND_UNSPECIFIED && k != LimitKind.UNRECOGNIZED) {
                    rows.put("LIMIT/" + PolicyProtos.db(k), PolicyTypeSummary.newBuilder()
                            .setKind(PolicyKind.POLICY_KIND_LIMIT).setLimitKind(k));
                }
            }
            long totalActive = 0;
            for (TypeCount c : reads.typeCounts(caller.tenantId())) {
                PolicyTypeSummary.Builder row = rows.get(c.kind() + "/" + c.type());
                switch (c.status()) {
                    case "ACTIVE" -> {
                        row.setActiveCount(c.count());
                        totalActive += c.count();
                    }
                    case "DRAFT" -> row.setDraftCount(c.count());
                    default -> row.setDisabledCount(c.count());
                }
            }
            for (TypeCount c : reads.typeViolations(caller.tenantId(), now.minus(RECENT))) {
                PolicyTypeSummary.Builder row = rows.get(c.kind() + "/" + c.type());
                if (row != null) {
                    row.setRecentViolationCount(c.count());
                }
            }
            GetPoliciesByTypeResponse.Builder out = GetPoliciesByTypeResponse.newBuilder().setTotalActiveCount(totalActive);
            rows.values().forEach(out::addTypes);
            return out.build();
        });
    }

    /** The controls named by {@code refs}, in that order, with usage and recent violations. */
    static List<Policy> policies(SqlSession s, UUID tenantId, List<ControlRef> refs, Instant now) {
        if (refs.isEmpty()) {
            return List.of();
        }
        String[] ruleIds = refs.stream().filter(r -> r.kind().equals("RULE")).map(r -> r.id().toString())
                .toArray(String[]::new);
        String[] limitIds = refs.stream().filter(r -> r.kind().equals("LIMIT")).map(r -> r.id().toString())
                .toArray(String[]::new);
        Map<UUID, Policy> byId = new HashMap<>();
        if (ruleIds.length > 0) {
            for (PolicyRuleRow r : s.getMapper(PolicyRuleMapper.class).findByIds(tenantId, ruleIds)) {
                byId.put(r.ruleId(), PolicyProtos.policy(PolicyProtos.rule(r)));
            }
        }
        if (limitIds.length > 0) {
            List<PolicyLimitRow> limits = s.getMapper(PolicyLimitMapper.class).findByIds(tenantId, limitIds);
            Map<UUID, LimitUsage> usage = LimitUsages.of(s, tenantId, limits, now);
            for (PolicyLimitRow l : limits) {
                byId.put(l.limitId(), PolicyProtos.policy(PolicyProtos.limit(l, usage.get(l.limitId()))));
            }
        }
        Map<UUID, ViolationStat> stats = new HashMap<>();
        String[] ids = refs.stream().map(r -> r.id().toString()).toArray(String[]::new);
        for (ViolationStat v : s.getMapper(PolicyReadMapper.class).violationStats(tenantId, ids, now.minus(RECENT))) {
            stats.put(v.controlId(), v);
        }
        return refs.stream().map(r -> withViolations(byId.get(r.id()), stats.get(r.id()))).toList();
    }

    private static Policy withViolations(Policy p, ViolationStat stat) {
        if (stat == null) {
            return p;
        }
        Policy.Builder b = p.toBuilder().setRecentViolationCount(stat.count());
        Times.setIfPresent(stat.lastAt(), b::setLastViolationTime);
        return b.build();
    }
}
