package dev.govcon.server.policies;

import static dev.govcon.server.testing.Refusals.assertInvalid;
import static dev.govcon.server.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.FieldMask;

import dev.govcon.proto.v1.ApplyPolicyTemplateRequest;
import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.CreatePolicyLimitRequest;
import dev.govcon.proto.v1.CreatePolicyRuleRequest;
import dev.govcon.proto.v1.DeletePolicyLimitRequest;
import dev.govcon.proto.v1.DeletePolicyRuleRequest;
import dev.govcon.proto.v1.GetPolicyRequest;
import dev.govcon.proto.v1.GetPolicyTemplateRequest;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.ListActivePoliciesRequest;
import dev.govcon.proto.v1.ListEthicalConstraintsRequest;
import dev.govcon.proto.v1.ListPolicyLimitsRequest;
import dev.govcon.proto.v1.ListPolicyRulesRequest;
import dev.govcon.proto.v1.PolicyLimit;
import dev.govcon.proto.v1.PolicyRule;
import dev.govcon.proto.v1.RuleType;
import dev.govcon.proto.v1.UpdatePolicyLimitRequest;
import dev.govcon.proto.v1.UpdatePolicyRuleRequest;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.audit.AuditMapper;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;

/**
 * Every policies endpoint fed input it must refuse: 400 (INVALID_ARGUMENT over gRPC) with a
 * message that starts with the offending field, and nothing written (rules, limits and the
 * audit ledger are exactly as before).
 */
class PoliciesBadInputTest {
    private static final String RULES = "/api/v1/policy-rules";
    private static final String LIMITS = "/api/v1/policy-limits";
    private static final String POLICIES = "/api/v1/policies";
    private static final String TEMPLATES = "/api/v1/policies/library/templates";
    private static final String ETHICAL = "/api/v1/policies/library/ethical";

    static RunningServer server;
    static RunningServer.Tenant tenant;
    static String ruleId;
    static String limitId;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        tenant = server.newTenant("Policies Bad Input");
        ruleId = ok(server.post(RULES, "{\"rule\":{\"name\":\"deny\",\"type\":\"RULE_TYPE_MODEL_DENY_LIST\","
                                       + "\"action\":\"BLOCK\",\"models\":[\"gpt-4o\"]}}", tenant.ownerKey()))
                .get("rule").get("id").asText();
        limitId = ok(server.post(LIMITS, "{\"limit\":{\"name\":\"cap\",\"kind\":\"LIMIT_KIND_SPEND_PER_DAY\","
                                         + "\"amount\":\"1000000\",\"action\":\"BLOCK\"}}", tenant.ownerKey()))
                .get("limit").get("id").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode ok(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    record State(JsonNode rules, JsonNode limits, int auditRows) {
    }

    static State state() {
        String owner = tenant.ownerKey();
        return new State(ok(server.get(RULES + "?page_size=1000", owner)),
                         ok(server.get(LIMITS + "?page_size=1000", owner)),
                         server.database.read(s -> s.getMapper(AuditMapper.class)
                                 .latest(UUID.fromString(tenant.id()), 10000).size()));
    }

    record Bad(String label, String method, String path, String body, String field) {
        @Override
        public String toString() {
            return label;
        }
    }

    private static Bad bad(String label, String method, String path, String body, String field) {
        return new Bad(label, method, path, body, field);
    }

    private static String x(int n) {
        return "x".repeat(n);
    }

    private static String rule(String fields) {
        return "{\"rule\":{\"name\":\"r\",\"type\":\"RULE_TYPE_MODEL_DENY_LIST\",\"action\":\"BLOCK\","
               + "\"models\":[\"gpt-4o\"]" + (fields.isEmpty() ? "" : "," + fields) + "}}";
    }

    private static String limit(String fields) {
        return "{\"limit\":{\"name\":\"l\",\"kind\":\"LIMIT_KIND_SPEND_PER_DAY\",\"action\":\"BLOCK\","
               + "\"amount\":\"100\"" + (fields.isEmpty() ? "" : "," + fields) + "}}";
    }

    static Stream<Bad> restCases() {
        List<Bad> c = new ArrayList<>();
        // Lists: page size and token, enum filters, scope filters.
        for (String list : List.of(RULES, LIMITS, POLICIES + "/active", TEMPLATES, ETHICAL)) {
            c.add(bad(list + " page_size=-1", "GET", list + "?page_size=-1", null, "page_size"));
            c.add(bad(list + " page_size=1001", "GET", list + "?page_size=1001", null, "page_size"));
            c.add(bad(list + " page_token=garbage", "GET", list + "?page_token=garbage", null, "page_token"));
            c.add(bad(list + " unknown parameter", "GET", list + "?colour=red", null, "colour"));
        }
        c.add(bad("rules type=GOD", "GET", RULES + "?type=GOD", null, "type"));
        c.add(bad("rules type=99", "GET", RULES + "?type=99", null, "type"));
        c.add(bad("rules status=ON", "GET", RULES + "?status=ON", null, "status"));
        c.add(bad("rules enforcement=MAYBE", "GET", RULES + "?enforcement=MAYBE", null, "enforcement"));
        c.add(bad("rules source=ALIENS", "GET", RULES + "?source=ALIENS", null, "source"));
        c.add(bad("rules feature 201 chars", "GET", RULES + "?feature=" + x(201), null, "feature"));
        c.add(bad("limits kind=HOURLY", "GET", LIMITS + "?kind=HOURLY", null, "kind"));
        c.add(bad("limits status=7", "GET", LIMITS + "?status=7", null, "status"));
        c.add(bad("limits model 201 chars", "GET", LIMITS + "?model=" + x(201), null, "model"));
        c.add(bad("active kind=BOTH", "GET", POLICIES + "/active?kind=BOTH", null, "kind"));
        c.add(bad("active action=DENY", "GET", POLICIES + "/active?action=DENY", null, "action"));
        c.add(bad("active feature 201 chars", "GET", POLICIES + "/active?feature=" + x(201), null, "feature"));
        c.add(bad("by-type unknown parameter", "GET", POLICIES + "/by-type?kind=x", null, "kind"));
        c.add(bad("templates kind=POLICY_KIND_PROPOSAL", "GET", TEMPLATES + "?kind=POLICY_KIND_PROPOSAL", null, "kind"));
        c.add(bad("templates category=misc", "GET", TEMPLATES + "?category=misc", null, "category"));
        c.add(bad("ethical category=cost", "GET", ETHICAL + "?category=cost", null, "category"));

        // Ids.
        c.add(bad("policy id not a UUID", "GET", POLICIES + "/not-a-uuid", null, "id"));
        c.add(bad("rule id not a UUID", "GET", RULES + "/not-a-uuid", null, "id"));
        c.add(bad("limit id with trailing junk", "GET", LIMITS + "/{limit}x", null, "id"));
        c.add(bad("template id 101 chars", "GET", TEMPLATES + "/" + x(101), null, "id"));

        // CreatePolicyRule
        c.add(bad("rule: malformed JSON", "POST", RULES, "{\"rule\":{", "body"));
        c.add(bad("rule: empty body", "POST", RULES, "", "rule.name"));
        c.add(bad("rule: name missing", "POST", RULES, "{\"rule\":{\"type\":\"RULE_TYPE_MODEL_DENY_LIST\",\"action\":\"BLOCK\",\"models\":[\"a\"]}}", "rule.name"));
        c.add(bad("rule: name blank", "POST", RULES, rule("\"name\":\"  \""), "rule.name"));
        c.add(bad("rule: name 201 chars", "POST", RULES, rule("\"name\":\"" + x(201) + "\""), "rule.name"));
        c.add(bad("rule: description 2001 chars", "POST", RULES, rule("\"description\":\"" + x(2001) + "\""), "rule.description"));
        c.add(bad("rule: type GOD", "POST", RULES, "{\"rule\":{\"name\":\"r\",\"type\":\"GOD\",\"action\":\"BLOCK\"}}", "rule.type"));
        c.add(bad("rule: type 99", "POST", RULES, "{\"rule\":{\"name\":\"r\",\"type\":99,\"action\":\"BLOCK\"}}", "rule.type"));
        c.add(bad("rule: type missing", "POST", RULES, "{\"rule\":{\"name\":\"r\",\"action\":\"BLOCK\",\"models\":[\"a\"]}}", "rule.type"));
        c.add(bad("rule: action missing", "POST", RULES, "{\"rule\":{\"name\":\"r\",\"type\":\"RULE_TYPE_MODEL_DENY_LIST\",\"models\":[\"a\"]}}", "rule.action"));
        c.add(bad("rule: action DENY", "POST", RULES, rule("\"action\":\"DENY\"").replace("\"action\":\"BLOCK\",", ""), "rule.action"));
        c.add(bad("rule: status ON", "POST", RULES, rule("\"status\":\"ON\""), "rule.status"));
        c.add(bad("rule: enforcement 9", "POST", RULES, rule("\"enforcement\":9"), "rule.enforcement"));
        c.add(bad("rule: max_tokens on a deny list", "POST", RULES, rule("\"max_tokens\":\"100\""), "rule.max_tokens"));
        c.add(bad("rule: models a string", "POST", RULES, "{\"rule\":{\"name\":\"r\",\"type\":\"RULE_TYPE_MODEL_DENY_LIST\",\"action\":\"BLOCK\",\"models\":\"gpt-4o\"}}", "rule.models"));
        c.add(bad("rule: max_tokens 0", "POST", RULES, "{\"rule\":{\"name\":\"r\",\"type\":\"RULE_TYPE_MAX_TOKENS_PER_RUN\",\"action\":\"BLOCK\"}}", "rule.max_tokens"));
        c.add(bad("rule: max_tokens not a number", "POST", RULES, "{\"rule\":{\"name\":\"r\",\"type\":\"RULE_TYPE_MAX_TOKENS_PER_RUN\",\"action\":\"BLOCK\",\"max_tokens\":\"lots\"}}", "rule.max_tokens"));
        c.add(bad("rule: scope.api_key_id not a UUID", "POST", RULES, rule("\"scope\":{\"api_key_id\":\"ci\"}"), "rule.scope.api_key_id"));
        c.add(bad("rule: scope.feature 201 chars", "POST", RULES, rule("\"scope\":{\"feature\":\"" + x(201) + "\"}"), "rule.scope.feature"));
        c.add(bad("rule: scope unknown field", "POST", RULES, rule("\"scope\":{\"team\":\"a\"}"), "rule.scope.team"));
        c.add(bad("rule: unknown field", "POST", RULES, rule("\"priority\":1"), "rule.priority"));
        c.add(bad("rule: unknown top-level field", "POST", RULES, "{\"rule\":{},\"dry_run\":true}", "dry_run"));

        // GetPolicyRule / UpdatePolicyRule / DeletePolicyRule
        c.add(bad("update rule: id not a UUID", "PUT", RULES + "/nope", rule("\"version\":\"1\""), "id"));
        c.add(bad("update rule: rule missing", "PUT", RULES + "/{rule}", "{}", "rule"));
        c.add(bad("update rule: version missing", "PUT", RULES + "/{rule}", rule(""), "rule.version"));
        c.add(bad("update rule: rule.id of another rule", "PUT", RULES + "/{rule}", rule("\"version\":\"1\",\"id\":\"" + UUID.randomUUID() + "\""), "rule.id"));
        c.add(bad("update rule: mask names an output-only field", "PUT", RULES + "/{rule}", "{\"rule\":{\"version\":\"1\"},\"update_mask\":\"version\"}", "update_mask"));
        c.add(bad("update rule: mask names no field", "PUT", RULES + "/{rule}", "{\"rule\":{\"version\":\"1\"},\"update_mask\":\"colour\"}", "update_mask"));
        c.add(bad("update rule: mask names no scope field", "PUT", RULES + "/{rule}", "{\"rule\":{\"version\":\"1\"},\"update_mask\":\"scope.team\"}", "update_mask"));
        c.add(bad("update rule: masked name blank", "PUT", RULES + "/{rule}", "{\"rule\":{\"version\":\"1\"},\"update_mask\":\"name\"}", "rule.name"));
        c.add(bad("update rule: masked models emptied", "PUT", RULES + "/{rule}", "{\"rule\":{\"version\":\"1\"},\"update_mask\":\"models\"}", "rule.models"));
        c.add(bad("update rule: full replace without action", "PUT", RULES + "/{rule}", "{\"rule\":{\"version\":\"1\",\"name\":\"r\",\"type\":\"RULE_TYPE_MODEL_DENY_LIST\",\"models\":[\"a\"]}}", "rule.action"));
        c.add(bad("update rule: type 42", "PUT", RULES + "/{rule}", "{\"rule\":{\"version\":\"1\",\"type\":42},\"update_mask\":\"type\"}", "rule.type"));
        c.add(bad("delete rule: id not a UUID", "DELETE", RULES + "/nope", null, "id"));
        c.add(bad("delete rule: version -1", "DELETE", RULES + "/{rule}?version=-1", null, "version"));
        c.add(bad("delete rule: version abc", "DELETE", RULES + "/{rule}?version=abc", null, "version"));

        // CreatePolicyLimit / UpdatePolicyLimit / DeletePolicyLimit
        c.add(bad("limit: malformed JSON", "POST", LIMITS, "{\"limit\"", "body"));
        c.add(bad("limit: name missing", "POST", LIMITS, "{\"limit\":{\"kind\":\"LIMIT_KIND_SPEND_PER_DAY\",\"action\":\"BLOCK\",\"amount\":\"1\"}}", "limit.name"));
        c.add(bad("limit: kind HOURLY", "POST", LIMITS, limit("").replace("LIMIT_KIND_SPEND_PER_DAY", "HOURLY"), "limit.kind"));
        c.add(bad("limit: kind missing", "POST", LIMITS, "{\"limit\":{\"name\":\"l\",\"action\":\"BLOCK\",\"amount\":\"1\"}}", "limit.kind"));
        c.add(bad("limit: amount 0", "POST", LIMITS, limit("").replace("\"amount\":\"100\"", "\"amount\":\"0\""), "limit.amount"));
        c.add(bad("limit: amount -1", "POST", LIMITS, limit("").replace("\"amount\":\"100\"", "\"amount\":\"-1\""), "limit.amount"));
        c.add(bad("limit: amount 1.5", "POST", LIMITS, limit("").replace("\"amount\":\"100\"", "\"amount\":1.5"), "limit.amount"));
        c.add(bad("limit: warn_at_ratio 1", "POST", LIMITS, limit("\"warn_at_ratio\":1"), "limit.warn_at_ratio"));
        c.add(bad("limit: warn_at_ratio a string", "POST", LIMITS, limit("\"warn_at_ratio\":\"high\""), "limit.warn_at_ratio"));
        c.add(bad("limit: action missing", "POST", LIMITS, limit("").replace("\"action\":\"BLOCK\",", ""), "limit.action"));
        c.add(bad("limit: status GOD", "POST", LIMITS, limit("\"status\":\"GOD\""), "limit.status"));
        c.add(bad("limit: scope.api_key_id not a UUID", "POST", LIMITS, limit("\"scope\":{\"api_key_id\":\"1-1-1-1-1\"}"), "limit.scope.api_key_id"));
        c.add(bad("limit: usage is output only and unknown inside", "POST", LIMITS, limit("\"usage\":{\"spent\":1}"), "limit.usage.spent"));
        c.add(bad("update limit: id not a UUID", "PUT", LIMITS + "/nope", limit("\"version\":\"1\""), "id"));
        c.add(bad("update limit: version missing", "PUT", LIMITS + "/{limit}", limit(""), "limit.version"));
        c.add(bad("update limit: version negative", "PUT", LIMITS + "/{limit}", limit("\"version\":\"-3\""), "limit.version"));
        c.add(bad("update limit: masked amount 0", "PUT", LIMITS + "/{limit}", "{\"limit\":{\"version\":\"1\"},\"update_mask\":\"amount\"}", "limit.amount"));
        c.add(bad("update limit: mask names usage", "PUT", LIMITS + "/{limit}", "{\"limit\":{\"version\":\"1\"},\"update_mask\":\"usage\"}", "update_mask"));
        c.add(bad("update limit: mask not a string", "PUT", LIMITS + "/{limit}", "{\"limit\":{\"version\":\"1\"},\"update_mask\":7}", "update_mask"));
        c.add(bad("update limit: limit.id of another limit", "PUT", LIMITS + "/{limit}", limit("\"version\":\"1\",\"id\":\"" + UUID.randomUUID() + "\""), "limit.id"));
        c.add(bad("delete limit: id not a UUID", "DELETE", LIMITS + "/1234", null, "id"));
        c.add(bad("delete limit: version -2", "DELETE", LIMITS + "/{limit}?version=-2", null, "version"));

        // ApplyPolicyTemplate
        String apply = TEMPLATES + "/tpl-daily-spend-cap/apply";
        c.add(bad("apply: malformed JSON", "POST", apply, "{\"limit\":", "body"));
        c.add(bad("apply: rule overrides on a limit template", "POST", apply, "{\"rule\":{\"name\":\"x\"}}", "rule"));
        c.add(bad("apply: amount -1", "POST", apply, "{\"limit\":{\"amount\":\"-1\"}}", "limit.amount"));
        c.add(bad("apply: name 201 chars", "POST", apply, "{\"limit\":{\"name\":\"" + x(201) + "\"}}", "limit.name"));
        c.add(bad("apply: action 12", "POST", apply, "{\"limit\":{\"action\":12}}", "limit.action"));
        c.add(bad("apply: unknown field", "POST", apply, "{\"limit\":{},\"force\":true}", "force"));
        c.add(bad("apply: id 101 chars", "POST", TEMPLATES + "/" + x(101) + "/apply", "{}", "id"));
        c.add(bad("apply: limit overrides on a rule template", "POST", TEMPLATES + "/tpl-max-tokens-per-run/apply",
                  "{\"limit\":{\"amount\":\"5\"}}", "limit"));
        c.add(bad("apply: max_tokens -1", "POST", TEMPLATES + "/tpl-max-tokens-per-run/apply",
                  "{\"rule\":{\"max_tokens\":\"-1\"}}", "rule.max_tokens"));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("restCases")
    void restRefusesNamingTheFieldAndWritesNothing(Bad bad) {
        State before = state();
        String path = bad.path().replace("{rule}", ruleId).replace("{limit}", limitId);
        String body = bad.body() == null ? null : bad.body();

        Reply reply = server.send(bad.method(), path, body, tenant.ownerKey());

        assertRefused(reply, bad.field());
        assertThat(reply.json().get("grpc-code").asText()).as(reply.toString()).isEqualTo("INVALID_ARGUMENT");
        assertThat(state()).isEqualTo(before);
    }

    record GrpcBad(String label, String field, Consumer<GovconClient> call) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<GrpcBad> grpcCases() {
        return Stream.of(
                new GrpcBad("CreatePolicyRule type 99", "rule.type", g -> g.policies().createPolicyRule(
                        CreatePolicyRuleRequest.newBuilder().setRule(PolicyRule.newBuilder().setName("r")
                                .setTypeValue(99).setAction(ControlAction.BLOCK)).build())),
                new GrpcBad("CreatePolicyRule providers on a deny list", "rule.providers", g -> g.policies().createPolicyRule(
                        CreatePolicyRuleRequest.newBuilder().setRule(PolicyRule.newBuilder().setName("r")
                                .setType(RuleType.RULE_TYPE_MODEL_DENY_LIST).addModels("a").addProviders("openai")
                                .setAction(ControlAction.BLOCK)).build())),
                new GrpcBad("CreatePolicyRule action 77", "rule.action", g -> g.policies().createPolicyRule(
                        CreatePolicyRuleRequest.newBuilder().setRule(PolicyRule.newBuilder().setName("r")
                                .setType(RuleType.RULE_TYPE_MODEL_DENY_LIST).addModels("a").setActionValue(77)).build())),
                new GrpcBad("CreatePolicyLimit amount 0", "limit.amount", g -> g.policies().createPolicyLimit(
                        CreatePolicyLimitRequest.newBuilder().setLimit(PolicyLimit.newBuilder().setName("l")
                                .setKind(LimitKind.LIMIT_KIND_TOKENS_PER_DAY).setAction(ControlAction.WARN)).build())),
                new GrpcBad("CreatePolicyLimit warn_at_ratio NaN", "limit.warn_at_ratio", g -> g.policies().createPolicyLimit(
                        CreatePolicyLimitRequest.newBuilder().setLimit(PolicyLimit.newBuilder().setName("l").setAmount(5)
                                .setKind(LimitKind.LIMIT_KIND_TOKENS_PER_DAY).setAction(ControlAction.WARN)
                                .setWarnAtRatio(Double.NaN)).build())),
                new GrpcBad("UpdatePolicyRule version 0", "rule.version", g -> g.policies().updatePolicyRule(
                        UpdatePolicyRuleRequest.newBuilder().setId(ruleId).setRule(PolicyRule.newBuilder().setName("x"))
                                .setUpdateMask(FieldMask.newBuilder().addPaths("name")).build())),
                new GrpcBad("UpdatePolicyRule mask path maxTokens", "update_mask", g -> g.policies().updatePolicyRule(
                        UpdatePolicyRuleRequest.newBuilder().setId(ruleId).setRule(PolicyRule.newBuilder().setVersion(1))
                                .setUpdateMask(FieldMask.newBuilder().addPaths("maxTokens")).build())),
                new GrpcBad("UpdatePolicyLimit kind 99", "limit.kind", g -> g.policies().updatePolicyLimit(
                        UpdatePolicyLimitRequest.newBuilder().setId(limitId).setLimit(PolicyLimit.newBuilder()
                                .setVersion(1).setKindValue(99)).setUpdateMask(FieldMask.newBuilder().addPaths("kind")).build())),
                new GrpcBad("DeletePolicyRule id empty", "id", g -> g.policies().deletePolicyRule(
                        DeletePolicyRuleRequest.getDefaultInstance())),
                new GrpcBad("DeletePolicyLimit version -1", "version", g -> g.policies().deletePolicyLimit(
                        DeletePolicyLimitRequest.newBuilder().setId(limitId).setVersion(-1).build())),
                new GrpcBad("ListPolicyRules type 99", "type", g -> g.policies().listPolicyRules(
                        ListPolicyRulesRequest.newBuilder().setTypeValue(99).build())),
                new GrpcBad("ListPolicyLimits page_size 5000", "page_size", g -> g.policies().listPolicyLimits(
                        ListPolicyLimitsRequest.newBuilder().setPageSize(5000).build())),
                new GrpcBad("ListActivePolicies page_token garbage", "page_token", g -> g.policies().listActivePolicies(
                        ListActivePoliciesRequest.newBuilder().setPageToken("garbage").build())),
                new GrpcBad("GetPolicy id nope", "id", g -> g.policies().getPolicy(
                        GetPolicyRequest.newBuilder().setId("nope").build())),
                new GrpcBad("GetPolicyTemplate id empty", "id", g -> g.policies().getPolicyTemplate(
                        GetPolicyTemplateRequest.getDefaultInstance())),
                new GrpcBad("ApplyPolicyTemplate limit overrides on a rule template", "limit", g -> g.policies().applyPolicyTemplate(
                        ApplyPolicyTemplateRequest.newBuilder().setId("tpl-require-user-consent")
                                .setLimit(PolicyLimit.newBuilder().setAmount(5)).build())),
                new GrpcBad("ListEthicalConstraints page_token of another list", "page_token", g -> g.policies().listEthicalConstraints(
                        ListEthicalConstraintsRequest.newBuilder().setPageToken(
                                dev.govcon.server.paging.Cursors.number(-4)).build())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grpcCases")
    void grpcRefusesWithInvalidArgumentNamingTheFieldAndWritesNothing(GrpcBad bad) {
        State before = state();
        try (GovconClient client = server.grpc(tenant.ownerKey())) {
            assertInvalid(() -> bad.call().accept(client), bad.field());
        }
        assertThat(state()).isEqualTo(before);
    }
}
