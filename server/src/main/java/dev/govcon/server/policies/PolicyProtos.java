package dev.govcon.server.policies;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ProtocolMessageEnum;
import com.google.protobuf.util.JsonFormat;

import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.LimitUsage;
import dev.govcon.proto.v1.Policy;
import dev.govcon.proto.v1.PolicyKind;
import dev.govcon.proto.v1.PolicyLimit;
import dev.govcon.proto.v1.PolicyRule;
import dev.govcon.proto.v1.PolicySource;
import dev.govcon.proto.v1.PolicyStatus;
import dev.govcon.proto.v1.RuleEnforcement;
import dev.govcon.proto.v1.RuleType;
import dev.govcon.proto.v1.Scope;
import dev.govcon.server.wire.Json;
import dev.govcon.server.wire.Times;

/**
 * Rules and limits between their rows and their protos. The database spells enum values
 * without the proto prefix ("MODEL_DENY_LIST" for RULE_TYPE_MODEL_DENY_LIST), as the V5
 * CHECK constraints require; the guard reads the same spelling.
 */
final class PolicyProtos {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final JsonFormat.Parser ACTOR_PARSER = JsonFormat.parser().ignoringUnknownFields();

    private PolicyProtos() {
    }

    // ---- enums ----

    static String db(RuleType v) {
        return strip(v, "RULE_TYPE_");
    }

    static String db(RuleEnforcement v) {
        return strip(v, "RULE_ENFORCEMENT_");
    }

    static String db(LimitKind v) {
        return strip(v, "LIMIT_KIND_");
    }

    static String db(PolicyStatus v) {
        return strip(v, "POLICY_STATUS_");
    }

    static String db(PolicySource v) {
        return strip(v, "POLICY_SOURCE_");
    }

    static String db(ControlAction v) {
        return v.name();
    }

    /** The database spelling of an enum value, or null for UNSPECIFIED (no filter). */
    static String dbOrNull(ProtocolMessageEnum v, String prefix) {
        return v.getNumber() == 0 ? null : strip(v, prefix);
    }

    static RuleType ruleType(String text) {
        return RuleType.valueOf("RULE_TYPE_" + text);
    }

    static RuleEnforcement enforcement(String text) {
        return RuleEnforcement.valueOf("RULE_ENFORCEMENT_" + text);
    }

    static LimitKind limitKind(String text) {
        return LimitKind.valueOf("LIMIT_KIND_" + text);
    }

    static PolicyStatus status(String text) {
        return PolicyStatus.valueOf("POLICY_STATUS_" + text);
    }

    static PolicySource source(String text) {
        return PolicySource.valueOf("POLICY_SOURCE_" + text);
    }

    static ControlAction action(String text) {
        return ControlAction.valueOf(text);
    }

    private static String strip(ProtocolMessageEnum v, String prefix) {
        String name = ((Enum<?>) v).name();
        return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    }

    // ---- rules ----

    static PolicyRule rule(PolicyRuleRow r) {
        PolicyRule.Builder b = PolicyRule.newBuilder()
                .setId(r.ruleId().toString())
                .setName(r.name())
                .setDescription(r.description())
                .setType(ruleType(r.ruleType()))
                .setEnforcement(enforcement(r.enforcement()))
                .setScope(scope(r.scopeFeature(), r.scopeModel(), r.scopeEndUser(), r.scopeApiKeyId(),
                                r.scopeProvider(), r.scopeEnvironment()))
                .setAction(action(r.action()))
                .setStatus(status(r.status()))
                .setSource(source(r.source()))
                .setSourceRefId(r.sourceRefId())
                .setVersion(r.version())
                .addAllModels(Arrays.asList(r.models()))
                .addAllProviders(Arrays.asList(r.providers()))
                .setMaxTokens(r.maxTokens())
                .addAllRequiredKeys(Arrays.asList(r.requiredKeys()))
                .setEthicalConstraintId(r.ethicalConstraintId())
                .putAllRequiredMetadata(stringMap(r.requiredMetadata()))
                .setCreatedBy(actor(r.createdBy()))
                .setUpdatedBy(actor(r.updatedBy()));
        Times.setIfPresent(r.createdAt(), b::setCreateTime);
        Times.setIfPresent(r.updatedAt(), b::setUpdateTime);
        return b.build();
    }

    /** The row of a validated rule; output-only fields come from the arguments. */
    static PolicyRuleRow ruleRow(UUID tenantId, UUID ruleId, PolicyRule rule, PolicySource source,
                                 String sourceRefId, long version, Instant createdAt, Instant updatedAt,
                                 Actor createdBy, Actor updatedBy) {
        Scope s = rule.getScope();
        return new PolicyRuleRow(tenantId, ruleId, rule.getName(), rule.getDescription(),
                db(rule.getType()), db(rule.getEnforcement()), s.getFeature(), s.getModel(),
                s.getEndUser(), s.getApiKeyId(), s.getProvider(), s.getEnvironment(),
                db(rule.getAction()), db(rule.getStatus()), db(source), sourceRefId, version,
                rule.getModelsList().toArray(String[]::new), rule.getProvidersList().toArray(String[]::new),
                rule.getMaxTokens(), rule.getRequiredKeysList().toArray(String[]::new),
                rule.getEthicalConstraintId(), json(rule.getRequiredMetadataMap()), createdAt, updatedAt,
                Json.of(createdBy), Json.of(updatedBy));
    }

    // ---- limits ----

    /** {@code usage} is null for a limit that is not ACTIVE. */
    static PolicyLimit limit(PolicyLimitRow r, LimitUsage usage) {
        PolicyLimit.Builder b = PolicyLimit.newBuilder()
                .setId(r.limitId().toString())
                .setName(r.name())
                .setDescription(r.description())
                .setKind(limitKind(r.limitKind()))
                .setAmount(r.amount())
                .setScope(scope(r.scopeFeature(), r.scopeModel(), r.scopeEndUser(), r.scopeApiKeyId(),
                                r.scopeProvider(), r.scopeEnvironment()))
                .setAction(action(r.action()))
                .setStatus(status(r.status()))
                .setSource(source(r.source()))
                .setSourceRefId(r.sourceRefId())
                .setVersion(r.version())
                .setWarnAtRatio(r.warnAtRatio())
                .setCreatedBy(actor(r.createdBy()))
                .setUpdatedBy(actor(r.updatedBy()));
        Times.setIfPresent(r.createdAt(), b::setCreateTime);
        Times.setIfPresent(r.updatedAt(), b::setUpdateTime);
        if (usage != null) {
            b.setUsage(usage);
        }
        return b.build();
    }

    /** The row of a validated limit; output-only fields come from the arguments. */
    static PolicyLimitRow limitRow(UUID tenantId, UUID limitId, PolicyLimit limit, PolicySource source,
                                   String sourceRefId, long version, Instant createdAt, Instant updatedAt,
                                   Actor createdBy, Actor updatedBy) {
        Scope s = limit.getScope();
        return new PolicyLimitRow(tenantId, limitId, limit.getName(), limit.getDescription(),
                db(limit.getKind()), limit.getAmount(), limit.getWarnAtRatio(), s.getFeature(),
                s.getModel(), s.getEndUser(), s.getApiKeyId(), s.getProvider(), s.getEnvironment(),
                db(limit.getAction()), db(limit.getStatus()), db(source), sourceRefId, version,
                createdAt, updatedAt, Json.of(createdBy), Json.of(updatedBy));
    }

    // ---- the unified view ----

    static Policy policy(PolicyRule rule) {
        return Policy.newBuilder()
                .setId(rule.getId()).setKind(PolicyKind.POLICY_KIND_RULE).setName(rule.getName())
                .setDescription(rule.getDescription()).setStatus(rule.getStatus()).setScope(rule.getScope())
                .setAction(rule.getAction()).setSource(rule.getSource()).setRule(rule)
                .setCreateTime(rule.getCreateTime()).setUpdateTime(rule.getUpdateTime())
                .build();
    }

    static Policy policy(PolicyLimit limit) {
        return Policy.newBuilder()
                .setId(limit.getId()).setKind(PolicyKind.POLICY_KIND_LIMIT).setName(limit.getName())
                .setDescription(limit.getDescription()).setStatus(limit.getStatus()).setScope(limit.getScope())
                .setAction(limit.getAction()).setSource(limit.getSource()).setLimit(limit)
                .setCreateTime(limit.getCreateTime()).setUpdateTime(limit.getUpdateTime())
                .build();
    }

    // ---- helpers ----

    private static Scope scope(String feature, String model, String endUser, String apiKeyId,
                               String provider, String environment) {
        return new ControlScope(feature, model, endUser, apiKeyId, provider, environment).toProto();
    }

    static Actor actor(String json) {
        Actor.Builder b = Actor.newBuilder();
        if (json == null || json.isBlank()) {
            return b.build();
        }
        try {
            ACTOR_PARSER.merge(json, b);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored actor is not an Actor: " + json, e);
        }
        return b.build();
    }

    static Map<String, String> stringMap(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored metadata is not an object of strings: " + json, e);
        }
    }

    private static String json(Map<String, String> map) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(map));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
