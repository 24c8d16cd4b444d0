package dev.govcon.server.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.FieldMask;

import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.CreatePolicyRuleRequest;
import dev.govcon.proto.v1.DeletePolicyRuleRequest;
import dev.govcon.proto.v1.GetPolicyRuleRequest;
import dev.govcon.proto.v1.ListPolicyRulesRequest;
import dev.govcon.proto.v1.ListPolicyRulesResponse;
import dev.govcon.proto.v1.PolicyRule;
import dev.govcon.proto.v1.PolicySource;
import dev.govcon.proto.v1.PolicyStatus;
import dev.govcon.proto.v1.RuleEnforcement;
import dev.govcon.proto.v1.RuleType;
import dev.govcon.proto.v1.Scope;
import dev.govcon.proto.v1.UpdatePolicyRuleRequest;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.audit.AuditMapper;
import dev.govcon.server.audit.AuditRow;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Rules over REST and gRPC: every field round-trips, each type takes its own parameters and
 * refuses the others', updates are optimistic (a stale version is 409 / ABORTED and changes
 * nothing), DELETE disables and keeps the rule, and every change leaves an audit row with
 * before and after.
 */
class PolicyRulesTest {
    private static final String RULES = "/api/v1/policy-rules";
    private static final ObjectMapper JSON = new ObjectMapper();

    static RunningServer server;
    static RunningServer.Tenant acme;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        acme = server.newTenant("Rules Acme");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode ok(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private static List<AuditRow> audit(String tenantId, String resourceId) {
        List<AuditRow> rows = new ArrayList<>(server.database.read(
                s -> s.getMapper(AuditMapper.class).latest(UUID.fromString(tenantId), 1000)));
        java.util.Collections.reverse(rows);
        return rows.stream().filter(r -> r.resourceId().equals(resourceId)).toList();
    }

    @Test
    void aRuleRoundTripsEveryFieldOverRest() {
        String body = """
                {"rule": {"name": "  No preview models ", "description": "Previews change without notice.",
                          "type": "RULE_TYPE_MODEL_DENY_LIST", "enforcement": "RULE_ENFORCEMENT_ADVISORY",
                          "scope": {"feature": "search", "model": "", "end_user": "u-1",
                                    "api_key_id": "%s", "provider": "openai", "environment": "prod"},
                          "action": "WARN", "status": "POLICY_STATUS_DRAFT",
                          "models": ["gpt-4o-realtime-preview", " gemini-exp-1206 "]}}
                """.formatted("0b9d6b5e-4a4e-4d43-9c1e-6d1f6f0f7a11");
        JsonNode created = ok(server.post(RULES, body, acme.ownerKey())).get("rule");
        String id = created.get("id").asText();
        assertThat(UUID.fromString(id)).isNotNull();
        assertThat(created.get("name").asText()).isEqualTo("No preview models");
        assertThat(created.get("description").asText()).isEqualTo("Previews change without notice.");
        assertThat(created.get("type").asText()).isEqualTo("RULE_TYPE_MODEL_DENY_LIST");
        assertThat(created.get("enforcement").asText()).isEqualTo("RULE_ENFORCEMENT_ADVISORY");
        JsonNode scope = created.get("scope");
        assertThat(scope.get("feature").asText()).isEqualTo("search");
        assertThat(scope.get("model").asText()).isEmpty();
        assertThat(scope.get("end_user").asText()).isEqualTo("u-1");
        assertThat(scope.get("api_key_id").asText()).isEqualTo("0b9d6b5e-4a4e-4d43-9c1e-6d1f6f0f7a11");
        assertThat(scope.get("provider").asText()).isEqualTo("openai");
        assertThat(scope.get("environment").asText()).isEqualTo("prod");
        assertThat(created.get("action").asText()).isEqualTo("WARN");
        assertThat(created.get("status").asText()).isEqualTo("POLICY_STATUS_DRAFT");
        assertThat(created.get("source").asText()).isEqualTo("POLICY_SOURCE_MANUAL");
        assertThat(created.get("source_ref_id").asText()).isEmpty();
        assertThat(created.get("version").asText()).isEqualTo("1");
        assertThat(created.get("models")).extracting(JsonNode::asText)
                .containsExactly("gpt-4o-realtime-preview", "gemini-exp-1206");
        assertThat(created.get("providers")).isEmpty();
        assertThat(created.get("max_tokens").asText()).isEqualTo("0");
        assertThat(created.get("required_keys")).isEmpty();
        assertThat(created.get("ethical_constraint_id").asText()).isEmpty();
        assertThat(created.get("required_metadata")).isEmpty();
        assertThat(created.get("create_time").asText()).isEqualTo(server.clock.instant().toString());
        assertThat(created.get("update_time").asText()).isEqualTo(server.clock.instant().toString());
        assertThat(created.get("created_by").get("type").asText()).isEqualTo("USER");
        assertThat(created.get("created_by").get("id").asText()).isEqualTo(acme.ownerUserId());
        assertThat(created.get("updated_by")).isEqualTo(created.get("created_by"));

        // What GET answers is what POST answered, over REST and gRPC alike.
        assertThat(ok(server.get(RULES + "/" + id, acme.ownerKey()))).isEqualTo(created);
        try (GovconClient client = server.grpc(acme.ownerKey())) {
            PolicyRule read = client.policies().getPolicyRule(GetPolicyRuleRequest.newBuilder().setId(id).build());
            assertThat(read.getModelsList()).containsExactly("gpt-4o-realtime-preview", "gemini-exp-1206");
            assertThat(read.getScope().getApiKeyId()).isEqualTo("0b9d6b5e-4a4e-4d43-9c1e-6d1f6f0f7a11");
            assertThat(read.getCreatedBy().getType()).isEqualTo(Actor.Type.USER);
            assertThat(read.getCreatedBy().getLabel()).isEqualTo("owner@rulesacme.example");
        }
    }

    @Test
    void aRuleRoundTripsEveryFieldOverGrpc() {
        try (GovconClient client = server.grpc(acme.ownerKey())) {
            PolicyRule sent = PolicyRule.newBuilder()
                    .setName("Ethics: disclosure").setDescription("Tell people it is an AI.")
                    .setType(RuleType.RULE_TYPE_ETHICAL_CONSTRAINT)
                    .setScope(Scope.newBuilder().setFeature("chat").setEnvironment("prod"))
                    .setAction(ControlAction.BLOCK)
                    .setEthicalConstraintId("eth-ai-disclosure")
                    .putRequiredMetadata("ai_disclosed", "yes")
                    .putRequiredMetadata("banner", "shown")
                    // Output-only fields are ignored on create.
                    .setId(UUID.randomUUID().toString()).setVersion(42).setSource(PolicySource.POLICY_SOURCE_PROPOSAL)
                    .build();
            PolicyRule created = client.policies().createPolicyRule(
                    CreatePolicyRuleRequest.newBuilder().setRule(sent).build()).getRule();
            assertThat(created.getId()).isNotEqualTo(sent.getId());
            assertThat(created.getVersion()).isEqualTo(1);
            assertThat(created.getSource()).isEqualTo(PolicySource.POLICY_SOURCE_MANUAL);
            assertThat(created.getStatus()).isEqualTo(PolicyStatus.POLICY_STATUS_ACTIVE);
            // The constraint's default enforcement (ENFORCED for AI disclosure) applies when unset.
            assertThat(created.getEnforcement()).isEqualTo(RuleEnforcement.RULE_ENFORCEMENT_ENFORCED);
            assertThat(created.getRequiredMetadataMap()).isEqualTo(Map.of("ai_disclosed", "yes", "banner", "shown"));
            assertThat(created.getScope()).isEqualTo(Scope.newBuilder().setFeature("chat").setEnvironment("prod").build());
            assertThat(RulesLogic.writable(created)).isEqualTo(RulesLogic.writable(sent.toBuilder()
                    .setStatus(PolicyStatus.POLICY_STATUS_ACTIVE)
                    .setEnforcement(RuleEnforcement.RULE_ENFORCEMENT_ENFORCED).build()));

            JsonNode overRest = ok(server.get(RULES + "/" + created.getId(), acme.ownerKey()));
            assertThat(overRest.get("required_metadata").get("banner").asText()).isEqualTo("shown");
            assertThat(overRest.get("ethical_constraint_id").asText()).isEqualTo("eth-ai-disclosure");
        }
    }

    @Test
    void eachTypeTakesItsOwnParameters() {
        String owner = acme.ownerKey();
        JsonNode allow = ok(server.post(RULES, rule("MODEL_ALLOW_LIST", "\"models\":[\"gpt-4o\",\"claude-3-haiku-20240307\"]"), owner));
        assertThat(allow.get("rule").get("models")).hasSize(2);
        JsonNode tokens = ok(server.post(RULES, rule("MAX_TOKENS_PER_RUN", "\"max_tokens\":\"32000\""), owner));
        assertThat(tokens.get("rule").get("max_tokens").asText()).isEqualTo("32000");
        JsonNode metadata = ok(server.post(RULES, rule("REQUIRED_METADATA", "\"required_keys\":[\"user_consent\",\"ticket\"]"), owner));
        assertThat(metadata.get("rule").get("required_keys")).extracting(JsonNode::asText).containsExactly("user_consent", "ticket");
        JsonNode providers = ok(server.post(RULES, rule("PROVIDER_ALLOW_LIST", "\"providers\":[\"openai\"]"), owner));
        assertThat(providers.get("rule").get("providers")).extracting(JsonNode::asText).containsExactly("openai");
        JsonNode ethical = ok(server.post(RULES, rule("ETHICAL_CONSTRAINT", "\"ethical_constraint_id\":\"eth-pii-redaction\""), owner));
        // Adopting a constraint without metadata takes the constraint's own.
        assertThat(ethical.get("rule").get("required_metadata").get("pii_redacted").asText()).isEqualTo("true");
        assertThat(ethical.get("rule").get("enforcement").asText()).isEqualTo("RULE_ENFORCEMENT_ENFORCED");
        JsonNode oversight = ok(server.post(RULES, rule("ETHICAL_CONSTRAINT", "\"ethical_constraint_id\":\"eth-human-oversight\""), owner));
        assertThat(oversight.get("rule").get("enforcement").asText()).isEqualTo("RULE_ENFORCEMENT_ADVISORY");
        // Outside ethical constraints, an unset enforcement is ENFORCED.
        assertThat(allow.get("rule").get("enforcement").asText()).isEqualTo("RULE_ENFORCEMENT_ENFORCED");
    }

    @Test
    void eachTypeRefusesMissingParametersAndThoseOfOtherTypes() {
        String owner = acme.ownerKey();
        record Case(String type, String params, String field, String message) {
        }
        List<Case> cases = List.of(
                new Case("MODEL_DENY_LIST", "\"models\":[\"gpt-4o\"],\"max_tokens\":\"5\"", "rule.max_tokens", "not used by MODEL_DENY_LIST"),
                new Case("MODEL_DENY_LIST", "", "rule.models", "must name at least one"),
                new Case("MODEL_DENY_LIST", "\"models\":[\"gpt-4o\",\" \"]", "rule.models[1]", "is empty"),
                new Case("MODEL_DENY_LIST", "\"models\":[\"gpt-4o\",\"gpt-4o\"]", "rule.models[1]", "repeats"),
                new Case("MODEL_ALLOW_LIST", "\"models\":[\"gpt-4o\"],\"providers\":[\"openai\"]", "rule.providers", "not used by MODEL_ALLOW_LIST"),
                new Case("MODEL_ALLOW_LIST", "\"models\":[]", "rule.models", "must name at least one"),
                new Case("MAX_TOKENS_PER_RUN", "", "rule.max_tokens", "must be between 1"),
                new Case("MAX_TOKENS_PER_RUN", "\"max_tokens\":\"-5\"", "rule.max_tokens", "must be between 1"),
                new Case("MAX_TOKENS_PER_RUN", "\"max_tokens\":\"10\",\"models\":[\"gpt-4o\"]", "rule.models", "not used by MAX_TOKENS_PER_RUN"),
                new Case("REQUIRED_METADATA", "", "rule.required_keys", "must name at least one"),
                new Case("REQUIRED_METADATA", "\"required_keys\":[\"a\"],\"required_metadata\":{\"a\":\"b\"}", "rule.required_metadata", "not used by REQUIRED_METADATA"),
                new Case("PROVIDER_ALLOW_LIST", "", "rule.providers", "must name at least one"),
                new Case("PROVIDER_ALLOW_LIST", "\"providers\":[\"openai\"],\"ethical_constraint_id\":\"eth-pii-redaction\"", "rule.ethical_constraint_id", "not used by PROVIDER_ALLOW_LIST"),
                new Case("ETHICAL_CONSTRAINT", "", "rule.ethical_constraint_id", "is required"),
                new Case("ETHICAL_CONSTRAINT", "\"ethical_constraint_id\":\"eth-be-nice\"", "rule.ethical_constraint_id", "is not a constraint of the library"),
                new Case("ETHICAL_CONSTRAINT", "\"ethical_constraint_id\":\"eth-pii-redaction\",\"required_keys\":[\"x\"]", "rule.required_keys", "not used by ETHICAL_CONSTRAINT"));
        long before = count(acme);
        for (Case c : cases) {
            Reply reply = server.post(RULES, rule(c.type(), c.params()), owner);
            assertThat(reply.status()).as(c + " -> " + reply).isEqualTo(400);
            assertThat(reply.json().get("message").asText()).as(c.toString())
                    .startsWith(c.field() + ": ").contains(c.message());
        }
        assertThat(count(acme)).isEqualTo(before);
    }

    /** The ids of a list's items (not those of the actors inside them). */
    static List<String> ids(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.get("id").asText()));
        return out;
    }

    private static long count(RunningServer.Tenant t) {
        return ok(server.get(RULES, t.ownerKey())).get("total_count").asLong();
    }

    private static String rule(String type, String params) {
        return "{\"rule\":{\"name\":\"" + type + " rule\",\"type\":\"RULE_TYPE_" + type + "\",\"action\":\"BLOCK\""
               + (params.isEmpty() ? "" : "," + params) + "}}";
    }

    @Test
    void anUpdateNeedsTheCurrentVersionAndBumpsIt() {
        String owner = acme.ownerKey();
        JsonNode created = ok(server.post(RULES, rule("MODEL_DENY_LIST", "\"models\":[\"gpt-4o\"]"), owner)).get("rule");
        String id = created.get("id").asText();
        server.clock.advance(Duration.ofMinutes(5));

        // Full replace (no mask): every writable field is the request's.
        JsonNode v2 = ok(server.put(RULES + "/" + id, """
                {"rule": {"version": "1", "name": "Deny two", "type": "RULE_TYPE_MODEL_DENY_LIST",
                          "action": "WARN", "models": ["gpt-4o", "gpt-4o-mini"],
                          "scope": {"feature": "chat"}}}""", owner)).get("rule");
        assertThat(v2.get("version").asText()).isEqualTo("2");
        assertThat(v2.get("name").asText()).isEqualTo("Deny two");
        assertThat(v2.get("action").asText()).isEqualTo("WARN");
        assertThat(v2.get("models")).extracting(JsonNode::asText).containsExactly("gpt-4o", "gpt-4o-mini");
        assertThat(v2.get("scope").get("feature").asText()).isEqualTo("chat");
        // Unset status keeps the current one; output-only fields keep theirs.
        assertThat(v2.get("status").asText()).isEqualTo("POLICY_STATUS_ACTIVE");
        assertThat(v2.get("create_time")).isEqualTo(created.get("create_time"));
        assertThat(v2.get("update_time").asText()).isEqualTo(server.clock.instant().toString());

        // A stale version is 409 and changes nothing.
        Reply stale = server.put(RULES + "/" + id, """
                {"rule": {"version": "1", "name": "Lost update", "type": "RULE_TYPE_MODEL_DENY_LIST",
                          "action": "BLOCK", "models": ["x"]}}""", owner);
        assertThat(stale.status()).as(stale.toString()).isEqualTo(409);
        assertThat(stale.json().get("grpc-code").asText()).isEqualTo("ABORTED");
        assertThat(stale.json().get("message").asText()).startsWith("rule.version: ").contains("2");
        assertThat(ok(server.get(RULES + "/" + id, owner))).isEqualTo(v2);

        // With a mask, only the named fields change; a named field left out is cleared.
        JsonNode v3 = ok(server.put(RULES + "/" + id, """
                {"rule": {"version": "2", "action": "LOG", "name": "ignored: not in the mask",
                          "scope": {"model": "gpt-4o"}},
                 "update_mask": "action,scope.feature,scope.model,description"}""", owner)).get("rule");
        assertThat(v3.get("version").asText()).isEqualTo("3");
        assertThat(v3.get("action").asText()).isEqualTo("LOG");
        assertThat(v3.get("name").asText()).isEqualTo("Deny two");
        assertThat(v3.get("scope").get("feature").asText()).isEmpty();
        assertThat(v3.get("scope").get("model").asText()).isEqualTo("gpt-4o");
        assertThat(v3.get("models")).hasSize(2);

        // An update that changes nothing keeps the version and writes no audit row.
        int auditRows = audit(acme.id(), id).size();
        JsonNode same = ok(server.put(RULES + "/" + id, "{\"rule\":{\"version\":\"3\",\"action\":\"LOG\"},"
                                                        + "\"update_mask\":\"action\"}", owner)).get("rule");
        assertThat(same).isEqualTo(v3);
        assertThat(audit(acme.id(), id)).hasSize(auditRows);

        // The merged rule is checked like a new one: switching type leaves models of another type.
        Reply retyped = server.put(RULES + "/" + id, "{\"rule\":{\"version\":\"3\",\"type\":\"RULE_TYPE_MAX_TOKENS_PER_RUN\","
                                                     + "\"max_tokens\":\"100\"},\"update_mask\":\"type,max_tokens\"}", owner);
        assertThat(retyped.status()).as(retyped.toString()).isEqualTo(400);
        assertThat(retyped.json().get("message").asText()).startsWith("rule.models: not used by MAX_TOKENS_PER_RUN");
        JsonNode v4 = ok(server.put(RULES + "/" + id, "{\"rule\":{\"version\":\"3\",\"type\":\"RULE_TYPE_MAX_TOKENS_PER_RUN\","
                                                      + "\"max_tokens\":\"100\"},\"update_mask\":\"type,max_tokens,models\"}", owner)).get("rule");
        assertThat(v4.get("type").asText()).isEqualTo("RULE_TYPE_MAX_TOKENS_PER_RUN");
        assertThat(v4.get("models")).isEmpty();
        assertThat(v4.get("version").asText()).isEqualTo("4");
    }

    @Test
    void aStaleUpdateIsAbortedOverGrpc() {
        try (GovconClient client = server.grpc(acme.ownerKey())) {
            PolicyRule created = client.policies().createPolicyRule(CreatePolicyRuleRequest.newBuilder().setRule(
                    PolicyRule.newBuilder().setName("Tokens").setType(RuleType.RULE_TYPE_MAX_TOKENS_PER_RUN)
                            .setMaxTokens(1000).setAction(ControlAction.BLOCK)).build()).getRule();
            PolicyRule changed = client.policies().updatePolicyRule(UpdatePolicyRuleRequest.newBuilder()
                    .setId(created.getId())
                    .setRule(PolicyRule.newBuilder().setVersion(1).setMaxTokens(2000))
                    .setUpdateMask(FieldMask.newBuilder().addPaths("max_tokens")).build()).getRule();
            assertThat(changed.getMaxTokens()).isEqualTo(2000);
            assertThat(changed.getVersion()).isEqualTo(2);

            assertThatThrownBy(() -> client.policies().updatePolicyRule(UpdatePolicyRuleRequest.newBuilder()
                    .setId(created.getId())
                    .setRule(PolicyRule.newBuilder().setVersion(1).setMaxTokens(3000))
                    .setUpdateMask(FieldMask.newBuilder().addPaths("max_tokens")).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
            assertThatThrownBy(() -> client.policies().deletePolicyRule(DeletePolicyRuleRequest.newBuilder()
                    .setId(created.getId()).setVersion(1).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
            assertThat(client.policies().getPolicyRule(GetPolicyRuleRequest.newBuilder().setId(created.getId()).build()))
                    .isEqualTo(changed);
        }
    }

    @Test
    void deleteDisablesAndTheRuleStaysReadable() {
        String owner = acme.ownerKey();
        JsonNode created = ok(server.post(RULES, rule("PROVIDER_ALLOW_LIST", "\"providers\":[\"openai\"]"), owner)).get("rule");
        String id = created.get("id").asText();

        JsonNode deleted = ok(server.delete(RULES + "/" + id + "?version=1", owner)).get("rule");
        assertThat(deleted.get("status").asText()).isEqualTo("POLICY_STATUS_DISABLED");
        assertThat(deleted.get("version").asText()).isEqualTo("2");
        assertThat(deleted.get("providers")).extracting(JsonNode::asText).containsExactly("openai");
        assertThat(ok(server.get(RULES + "/" + id, owner))).isEqualTo(deleted);
        // A second delete changes nothing.
        assertThat(ok(server.delete(RULES + "/" + id, owner)).get("rule")).isEqualTo(deleted);
        // Listed among DISABLED rules, not among ACTIVE ones.
        JsonNode disabled = ok(server.get(RULES + "?status=POLICY_STATUS_DISABLED&page_size=1000", owner)).get("rules");
        assertThat(ids(disabled)).contains(id);
        JsonNode active = ok(server.get(RULES + "?status=POLICY_STATUS_ACTIVE&page_size=1000", owner)).get("rules");
        assertThat(ids(active)).doesNotContain(id);
        // It can be switched on again by an update.
        JsonNode revived = ok(server.put(RULES + "/" + id, "{\"rule\":{\"version\":\"2\",\"status\":\"POLICY_STATUS_ACTIVE\"},"
                                                           + "\"update_mask\":\"status\"}", owner)).get("rule");
        assertThat(revived.get("status").asText()).isEqualTo("POLICY_STATUS_ACTIVE");
        assertThat(revived.get("version").asText()).isEqualTo("3");
    }

    @Test
    void everyChangeIsAnAuditRowWithBeforeAndAfter() throws Exception {
        RunningServer.Tenant t = server.newTenant("Rules Audit");
        JsonNode created = ok(server.post(RULES, rule("REQUIRED_METADATA", "\"required_keys\":[\"ticket\"]"), t.ownerKey())).get("rule");
        String id = created.get("id").asText();
        ok(server.put(RULES + "/" + id, "{\"rule\":{\"version\":\"1\",\"required_keys\":[\"ticket\",\"team\"]},"
                                        + "\"update_mask\":\"required_keys\"}", t.ownerKey()));
        ok(server.delete(RULES + "/" + id, t.ownerKey()));

        List<AuditRow> rows = audit(t.id(), id);
        assertThat(rows).extracting(AuditRow::action)
                .containsExactly("policy_rule.created", "policy_rule.updated", "policy_rule.deleted");
        assertThat(rows).extracting(AuditRow::resourceType).containsOnly("policy_rule");
        assertThat(rows).extracting(AuditRow::actorId).containsOnly(t.ownerUserId());
        assertThat(rows.get(0).beforeState()).isNull();
        assertThat(JSON.readTree(rows.get(0).afterState())).isEqualTo(created);
        JsonNode updatedBefore = JSON.readTree(rows.get(1).beforeState());
        JsonNode updatedAfter = JSON.readTree(rows.get(1).afterState());
        assertThat(updatedBefore.get("required_keys")).extracting(JsonNode::asText).containsExactly("ticket");
        assertThat(updatedAfter.get("required_keys")).extracting(JsonNode::asText).containsExactly("ticket", "team");
        assertThat(updatedAfter.get("version").asText()).isEqualTo("2");
        assertThat(JSON.readTree(rows.get(2).beforeState()).get("status").asText()).isEqualTo("POLICY_STATUS_ACTIVE");
        assertThat(JSON.readTree(rows.get(2).afterState()).get("status").asText()).isEqualTo("POLICY_STATUS_DISABLED");
        assertThat(rows).extracting(AuditRow::requestId).allSatisfy(r -> assertThat(r).isNotEmpty());
    }

    @Test
    void listsFilterAndPageNewestFirst() {
        RunningServer.Tenant t = server.newTenant("Rules Lists");
        String owner = t.ownerKey();
        List<String> ids = new ArrayList<>();
        String[] bodies = {
                rule("MODEL_DENY_LIST", "\"models\":[\"a\"]"),
                "{\"rule\":{\"name\":\"chat tokens\",\"type\":\"RULE_TYPE_MAX_TOKENS_PER_RUN\",\"action\":\"WARN\","
                + "\"max_tokens\":\"10\",\"scope\":{\"feature\":\"chat\"}}}",
                "{\"rule\":{\"name\":\"search tokens\",\"type\":\"RULE_TYPE_MAX_TOKENS_PER_RUN\",\"action\":\"BLOCK\","
                + "\"max_tokens\":\"10\",\"scope\":{\"feature\":\"search\",\"model\":\"gpt-4o\"}}}",
                "{\"rule\":{\"name\":\"draft\",\"type\":\"RULE_TYPE_REQUIRED_METADATA\",\"action\":\"LOG\","
                + "\"required_keys\":[\"k\"],\"status\":\"POLICY_STATUS_DRAFT\",\"enforcement\":\"RULE_ENFORCEMENT_ADVISORY\"}}",
                rule("PROVIDER_ALLOW_LIST", "\"providers\":[\"openai\"]")};
        for (String body : bodies) {
            server.clock.advance(Duration.ofSeconds(1));
            ids.add(ok(server.post(RULES, body, owner)).get("rule").get("id").asText());
        }
        List<String> newestFirst = new ArrayList<>(ids);
        java.util.Collections.reverse(newestFirst);

        JsonNode all = ok(server.get(RULES, owner));
        assertThat(ids(all.get("rules"))).containsExactlyElementsOf(newestFirst);
        assertThat(all.get("total_count").asLong()).isEqualTo(5);

        // Two pages of two and one of one, no repeats, same total on each.
        List<String> paged = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            JsonNode page = ok(server.get(RULES + "?page_size=2&page_token=" + token, owner));
            paged.addAll(ids(page.get("rules")));
            assertThat(page.get("total_count").asLong()).isEqualTo(5);
            token = page.get("next_page_token").asText();
            pages++;
        } while (!token.isEmpty());
        assertThat(pages).isEqualTo(3);
        assertThat(paged).containsExactlyElementsOf(newestFirst);

        assertThat(ids(ok(server.get(RULES + "?type=RULE_TYPE_MAX_TOKENS_PER_RUN", owner)).get("rules")))
                .containsExactly(ids.get(2), ids.get(1));
        // A feature filter keeps rules scoped to it and tenant-wide ones.
        JsonNode chat = ok(server.get(RULES + "?feature=chat", owner));
        assertThat(ids(chat.get("rules"))).containsExactly(ids.get(4), ids.get(3), ids.get(1), ids.get(0));
        assertThat(chat.get("total_count").asLong()).isEqualTo(4);
        assertThat(ids(ok(server.get(RULES + "?feature=search&model=gpt-4o", owner)).get("rules")))
                .containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(0));
        assertThat(ids(ok(server.get(RULES + "?model=gpt-4o-mini", owner)).get("rules")))
                .containsExactly(ids.get(4), ids.get(3), ids.get(1), ids.get(0));
        assertThat(ids(ok(server.get(RULES + "?status=POLICY_STATUS_DRAFT", owner)).get("rules")))
                .containsExactly(ids.get(3));
        assertThat(ids(ok(server.get(RULES + "?enforcement=RULE_ENFORCEMENT_ADVISORY", owner)).get("rules")))
                .containsExactly(ids.get(3));
        assertThat(ok(server.get(RULES + "?source=POLICY_SOURCE_TEMPLATE", owner)).get("total_count").asLong()).isZero();

        try (GovconClient client = server.grpc(owner)) {
            ListPolicyRulesResponse manual = client.policies().listPolicyRules(ListPolicyRulesRequest.newBuilder()
                    .setSource(PolicySource.POLICY_SOURCE_MANUAL).setPageSize(1000).build());
            assertThat(manual.getRulesList()).extracting(PolicyRule::getId).containsExactlyElementsOf(newestFirst);
            assertThat(manual.getNextPageToken()).isEmpty();
        }
    }
}
