package dev.govcon.server.policies;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

import dev.govcon.proto.v1.LimitSimulation;
import dev.govcon.proto.v1.Policy;
import dev.govcon.proto.v1.PolicyLimit;
import dev.govcon.proto.v1.PolicyRule;
import dev.govcon.proto.v1.PolicySource;
import dev.govcon.proto.v1.Role;
import dev.govcon.proto.v1.SimulateLimitRequest;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.wire.Times;

/**
 * What lessons and proposals ({@code dev.govcon.server.lessons}) use of the policies domain:
 * the limit simulation, and creating a proposal's control through the same checks, audit row
 * and change notification as any other rule or limit (source PROPOSAL).
 */
public final class ProposalControls {
    private static final UUID NO_KEY = new UUID(0, 0);

    private final RulesLogic rules;
    private final LimitsLogic limits;
    private final LimitSimulator simulator;

    public ProposalControls(Database database, Clock clock) {
        this.rules = new RulesLogic(database, clock, new RuleChecks(PolicyLibrary.shipped()));
        this.limits = new LimitsLogic(database, clock);
        this.simulator = new LimitSimulator(database, clock);
    }

    /** What the limit would have done over the tenant's runs of [start, end). */
    public LimitSimulation simulate(UUID tenantId, PolicyLimit limit, Instant start, Instant end) {
        Principal system = new Principal(tenantId, NO_KEY, "lesson-miner", Role.ADMIN, null, null);
        return simulator.simulate(system, SimulateLimitRequest.newBuilder().setLimit(limit)
                .setStartTime(Times.ts(start)).setEndTime(Times.ts(end)).build()).getSimulation();
    }

    public Policy createRule(SqlSession s, Principal caller, PolicyRule rule, String proposalId) {
        return PolicyProtos.policy(rules.create(s, caller, rule, PolicySource.POLICY_SOURCE_PROPOSAL, proposalId,
                                                "policy_rule.created"));
    }

    public Policy createLimit(SqlSession s, Principal caller, PolicyLimit limit, String proposalId) {
        return PolicyProtos.policy(limits.create(s, caller, limit, PolicySource.POLICY_SOURCE_PROPOSAL, proposalId,
                                                 "policy_limit.created"));
    }
}
