package dev.govcon.server.policies;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.govcon.proto.v1.ControlViolationSummary;
import dev.govcon.proto.v1.PolicyKind;
import dev.govcon.proto.v1.PolicyViolation;
import dev.govcon.proto.v1.Scope;
import dev.govcon.server.wire.Times;

/** Violation rows as the API shows them. */
final class ViolationProtos {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ViolationProtos() {
    }

    static PolicyViolation violation(ViolationRow r) {
        PolicyKind kind = ControlEnums.policyKind(r.controlKind());
        PolicyViolation.Builder b = PolicyViolation.newBuilder()
                .setId(r.violationId().toString())
                .setControlKind(kind)
                .setControlId(r.controlId().toString())
                .setControlName(r.controlName())
                .setAction(ControlEnums.action(r.action()))
                .setOrigin(ControlEnums.origin(r.origin()))
                .setScope(Scope.newBuilder().setFeature(r.feature()).setModel(r.model()).setEndUser(r.endUser())
                                  .setApiKeyId(r.apiKeyId()).setProvider(r.provider())
                                  .setEnvironment(r.environment()))
                .setRunId(r.runId())
                .setReservationId(r.reservationId())
                .setMessage(r.message())
                .setObservedValue(r.observedValue())
                .setLimitAmount(r.limitAmount())
                .setCostMicros(r.costMicros())
                .setIncidentId(r.incidentId())
                .putAllMetadata(metadata(r.metadataJson()));
        if (kind == PolicyKind.POLICY_KIND_RULE) {
            b.setRuleType(ControlEnums.ruleType(r.controlType()));
        } else if (kind == PolicyKind.POLICY_KIND_LIMIT) {
            b.setLimitKind(ControlEnums.limitKind(r.controlType()));
        }
        Times.setIfPresent(r.occurredAt(), b::setTime);
        return b.build();
    }

    static ControlViolationSummary summary(ControlViolationsRow r) {
        PolicyKind kind = ControlEnums.policyKind(r.controlKind());
        ControlViolationSummary.Builder b = ControlViolationSummary.newBuilder()
                .setControlId(r.controlId().toString())
                .setControlName(r.controlName() == null ? "" : r.controlName())
                .setControlKind(kind)
                .setControlStatus(ControlEnums.status(r.controlStatus()))
                .setViolationCount(r.violations())
                .setBlockedCount(r.blocked())
                .setWarnedCount(r.warned())
                .setLoggedCount(r.logged())
                .setPreventedCostMicros(r.preventedCostMicros());
        if (kind == PolicyKind.POLICY_KIND_RULE) {
            b.setRuleType(ControlEnums.ruleType(r.controlType()));
        } else if (kind == PolicyKind.POLICY_KIND_LIMIT) {
            b.setLimitKind(ControlEnums.limitKind(r.controlType()));
        }
        Times.setIfPresent(r.firstAt(), b::setFirstViolationTime);
        Times.setIfPresent(r.lastAt(), b::setLastViolationTime);
        return b.build();
    }

    /** The stored JSON object as strings; a value that is not a string keeps its JSON text. */
    static Map<String, String> metadata(String json) {
        Map<String, String> out = new java.util.TreeMap<>();
        if (json == null || json.isEmpty()) {
            return out;
        }
        try {
            JsonNode node = JSON.readTree(json);
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
            }
        } catch (IOException e) {
            throw new IllegalStateException("limit_violations.metadata is not JSON", e);
        }
        return out;
    }
}
