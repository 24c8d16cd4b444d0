package dev.govcon.server.guard;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.govcon.proto.v1.GuardOutcome;
import dev.govcon.server.activity.ingest.CommittedRun;
import dev.govcon.server.policies.ViolationRow;

/** Builds the violation rows of a check's outcomes and of runs that crossed a limit. */
final class GuardViolations {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GuardViolations() {
    }

    static String action(GuardOutcome outcome) {
        return switch (outcome) {
            case GUARD_OUTCOME_DENIED -> "BLOCK";
            case GUARD_OUTCOME_WARNED -> "WARN";
            default -> "LOG";
        };
    }

    static ViolationRow ofRule(GuardRule rule, GuardOutcome outcome, String reason, GuardCall call,
                                 String reservationId, long costMicros, Instant at) {
        return new ViolationRow(call.tenantId(), UUID.randomUUID(), "RULE", rule.id(), rule.name(),
                rule.type().name().substring("RULE_TYPE_".length()), action(outcome), "GUARD_CHECK",
                call.scope().feature(), call.scope().model(), call.scope().endUser(), call.scope().apiKeyId(),
                call.scope().provider(), call.scope().environment(), at, call.runId(), reservationId, reason,
                rule.type() == dev.govcon.proto.v1.RuleType.RULE_TYPE_MAX_TOKENS_PER_RUN ? call.maxTokens() : 0,
                rule.maxTokens(), costMicros, "", json(call.metadata()));
    }

    static ViolationRow ofLimit(GuardLimit limit, GuardOutcome outcome, String reason, GuardCall call,
                                  String reservationId, long observed, long costMicros, Instant at) {
        return new ViolationRow(call.tenantId(), UUID.randomUUID(), "LIMIT", limit.id(), limit.name(),
                limit.type(), action(outcome), "GUARD_CHECK", call.scope().feature(), call.scope().model(),
                call.scope().endUser(), call.scope().apiKeyId(), call.scope().provider(), call.scope().environment(),
                at, call.runId(), reservationId, reason, observed, limit.amount(), costMicros, "", json(call.metadata()));
    }

    static ViolationRow crossedOnCompletion(GuardLimit limit, CommittedRun run, long usageAfter) {
        return new ViolationRow(run.tenantId(), UUID.randomUUID(), "LIMIT", limit.id(), limit.name(), limit.type(),
                limit.action().name(), "RUN_COMPLETION", run.feature(), run.model(), run.endUser(),
                run.apiKeyId() == null ? "" : run.apiKeyId().toString(), run.provider(), run.environment(),
                run.endTime(), run.runId(), run.reservationId(),
                limit.type() + " reached " + usageAfter + " of " + limit.amount() + " with this run",
                usageAfter, limit.amount(), run.costMicros(), "", "{}");
    }

    private static String json(Map<String, String> metadata) {
        if (metadata.isEmpty()) {
            return "{}";
        }
        try {
            return JSON.writeValueAsString(new TreeMap<>(metadata));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
