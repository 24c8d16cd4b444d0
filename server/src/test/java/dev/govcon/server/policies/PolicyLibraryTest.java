package dev.govcon.server.policies;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.ApplyPolicyTemplateRequest;
import dev.govcon.proto.v1.EthicalConstraint;
import dev.govcon.proto.v1.ListPolicyTemplatesRequest;
import dev.govcon.proto.v1.Policy;
import dev.govcon.proto.v1.PolicyKind;
import dev.govcon.proto.v1.PolicyRule;
import dev.govcon.proto.v1.PolicySource;
import dev.govcon.proto.v1.PolicyTemplate;
import dev.govcon.proto.v1.RuleEnforcement;
import dev.govcon.proto.v1.RuleType;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.audit.AuditMapper;
import dev.govcon.server.audit.AuditRow;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;

/**
 * The shipped library: templates cover cost, safety, compliance and reliability with both
 * rules and limits; applying one creates its control from the defaults and the caller's
 * overrides (source TEMPLATE) and counts in applied_count; ethical constraints show this
 * tenant's adoption.
 */
class PolicyLibraryTest {
    private static final String TEMPLATES = "/api/v1/policies/library/templates";
    private static final String ETHICAL = "/api/v1/policies/library/ethical";

    static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode ok(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private static JsonNode template(JsonNode templates, String id) {
        for (JsonNode t : templates) {
            if (t.get("id").asText().equals(id)) {
                return t;
            }
        }
        throw new AssertionError("no template " + id + " in " + templates);
    }

    @Test
    void theCatalogueCoversCostSafetyComplianceAndReliability() {
        RunningServer.Tenant t = server.newTenant("Library Catalogue");
        JsonNode templates = ok(server.get(TEMPLATES, t.ownerKey())).get("templates");
        assertThat(templates.size()).isGreaterThanOrEqualTo(8);
        Set<String> categories = new HashSet<>(templates.findValuesAsText("category"));
        assertThat(categories).contains("cost", "safety", "compliance", "reliability");
        assertThat(PolicyRulesTest.ids(templates)).contains(
                "tpl-daily-spend-cap", "tpl-monthly-spend-cap", "tpl-daily-token-budget", "tpl-deny-experimental-models",
                "tpl-require-user-consent", "tpl-approved-providers", "tpl-requests-per-minute", "tpl-concurrent-runs",
                "tpl-max-tokens-per-run");
        templates.forEach(x -> assertThat(x.get("applied_count").asText()).isEqualTo("0"));

        JsonNode cap = template(templates, "tpl-daily-spend-cap");
        assertThat(cap.get("kind").asText()).isEqualTo("POLICY_KIND_LIMIT");
        assertThat(cap.get("limit").get("kind").asText()).isEqualTo("LIMIT_KIND_SPEND_PER_DAY");
        assertThat(cap.get("limit").get("amount").asText()).isEqualTo("100000000");
        JsonNode consent = template(templates, "tpl-require-user-consent");
        assertThat(consent.get("rule").get("type").asText()).isEqualTo("RULE_TYPE_REQUIRED_METADATA");
        assertThat(consent.get("rule").get("required_keys")).extracting(JsonNode::asText).containsExactly("user_consent");
        assertThat(ok(server.get(TEMPLATES + "/tpl-daily-spend-cap", t.ownerKey()))).isEqualTo(cap);

        // Filters and pages.
        JsonNode limits = ok(server.get(TEMPLATES + "?kind=POLICY_KIND_LIMIT", t.ownerKey())).get("templates");
        limits.forEach(x -> assertThat(x.get("kind").asText()).isEqualTo("POLICY_KIND_LIMIT"));
        JsonNode rules = ok(server.get(TEMPLATES + "?kind=POLICY_KIND_RULE", t.ownerKey())).get("templates");
        assertThat(limits.size() + rules.size()).isEqualTo(templates.size());
        assertThat(ok(server.get(TEMPLATES + "?category=reliability", t.ownerKey())).get("templates")
                .findValuesAsText("category")).containsOnly("reliability").hasSizeGreaterThanOrEqualTo(3);
        List<String> paged = new ArrayList<>();
        String token = "";
        do {
            JsonNode page = ok(server.get(TEMPLATES + "?page_size=5&page_token=" + token, t.ownerKey()));
            assertThat(page.get("templates").size()).isLessThanOrEqualTo(5);
            paged.addAll(PolicyRulesTest.ids(page.get("templates")));
            token = page.get("next_page_token").asText();
        } while (!token.isEmpty());
        assertThat(paged).containsExactlyElementsOf(PolicyRulesTest.ids(templates));

        JsonNode constraints = ok(server.get(ETHICAL, t.ownerKey())).get("constraints");
        assertThat(constraints.size()).isGreaterThanOrEqualTo(5);
        assertThat(new HashSet<>(constraints.findValuesAsText("category")))
                .contains("privacy", "fairness", "transparency", "safety", "accountability");
        constraints.forEach(c -> {
            assertThat(c.get("statement").asText()).isNotEmpty();
            assertThat(c.get("required_metadata").size()).isPositive();
            assertThat(c.get("adopted_rule_id").asText()).isEmpty();
        });
    }

    @Test
    void applyingATemplateCreatesItsControlWithTheCallersOverrides() {
        RunningServer.Tenant t = server.newTenant("Library Apply");
        JsonNode applied = ok(server.post(TEMPLATES + "/tpl-daily-spend-cap/apply",
                "{\"limit\":{\"amount\":\"25000000\",\"name\":\"Chat daily cap\",\"scope\":{\"feature\":\"chat\"}}}",
                t.ownerKey())).get("policy");
        assertThat(applied.get("kind").asText()).isEqualTo("POLICY_KIND_LIMIT");
        assertThat(applied.get("source").asText()).isEqualTo("POLICY_SOURCE_TEMPLATE");
        assertThat(applied.get("status").asText()).isEqualTo("POLICY_STATUS_ACTIVE");
        JsonNode limit = applied.get("limit");
        assertThat(limit.get("source_ref_id").asText()).isEqualTo("tpl-daily-spend-cap");
        assertThat(limit.get("name").asText()).isEqualTo("Chat daily cap");
        assertThat(limit.get("amount").asText()).isEqualTo("25000000");
        assertThat(limit.get("scope").get("feature").asText()).isEqualTo("chat");
        // Unset overrides keep the template's defaults.
        assertThat(limit.get("kind").asText()).isEqualTo("LIMIT_KIND_SPEND_PER_DAY");
        assertThat(limit.get("warn_at_ratio").asDouble()).isEqualTo(0.8);
        assertThat(limit.get("action").asText()).isEqualTo("BLOCK");
        assertThat(limit.get("description").asText()).isEqualTo("At most $100 of LLM spend per calendar day.");
        assertThat(limit.get("usage").get("remaining").asText()).isEqualTo("25000000");
        // It is a limit like any other.
        JsonNode read = ok(server.get("/api/v1/policy-limits/" + applied.get("id").asText(), t.ownerKey()));
        assertThat(read).isEqualTo(limit);

        ok(server.post(TEMPLATES + "/tpl-daily-spend-cap/apply", "{}", t.ownerKey()));
        assertThat(ok(server.get(TEMPLATES + "/tpl-daily-spend-cap", t.ownerKey())).get("applied_count").asText())
                .isEqualTo("2");
        JsonNode listed = ok(server.get(TEMPLATES, t.ownerKey())).get("templates");
        assertThat(template(listed, "tpl-daily-spend-cap").get("applied_count").asText()).isEqualTo("2");
        assertThat(template(listed, "tpl-monthly-spend-cap").get("applied_count").asText()).isEqualTo("0");
        // Counted per tenant.
        RunningServer.Tenant other = server.newTenant("Library Other");
        assertThat(ok(server.get(TEMPLATES + "/tpl-daily-spend-cap", other.ownerKey())).get("applied_count").asText())
                .isEqualTo("0");

        // A rule template over gRPC: a list given in the overrides replaces the default one.
        try (GovconClient client = server.grpc(t.ownerKey())) {
            Policy denied = client.policies().applyPolicyTemplate(ApplyPolicyTemplateRequest.newBuilder()
                    .setId("tpl-deny-experimental-models")
                    .setRule(PolicyRule.newBuilder().addModels("gpt-4o-realtime-preview").addModels("o1-preview"))
                    .build()).getPolicy();
            assertThat(denied.getKind()).isEqualTo(PolicyKind.POLICY_KIND_RULE);
            assertThat(denied.getRule().getType()).isEqualTo(RuleType.RULE_TYPE_MODEL_DENY_LIST);
            assertThat(denied.getRule().getModelsList()).containsExactly("gpt-4o-realtime-preview", "o1-preview");
            assertThat(denied.getRule().getSource()).isEqualTo(PolicySource.POLICY_SOURCE_TEMPLATE);
            assertThat(denied.getRule().getSourceRefId()).isEqualTo("tpl-deny-experimental-models");
            assertThat(denied.getName()).isEqualTo("No preview or experimental models");
            PolicyTemplate tpl = client.policies().listPolicyTemplates(ListPolicyTemplatesRequest.newBuilder()
                    .setCategory("safety").build()).getTemplatesList().stream()
                    .filter(x -> x.getId().equals("tpl-deny-experimental-models")).findFirst().orElseThrow();
            assertThat(tpl.getAppliedCount()).isEqualTo(1);
        }

        // Listed among the tenant's template-made limits, and audited as an application.
        JsonNode fromTemplates = ok(server.get("/api/v1/policy-limits?source=POLICY_SOURCE_TEMPLATE", t.ownerKey()));
        assertThat(fromTemplates.get("total_count").asLong()).isEqualTo(2);
        List<AuditRow> rows = server.database.read(s -> s.getMapper(AuditMapper.class).latest(UUID.fromString(t.id()), 100));
        AuditRow row = rows.stream().filter(r -> r.resourceId().equals(applied.get("id").asText())).findFirst().orElseThrow();
        assertThat(row.action()).isEqualTo("policy_template.applied");
        assertThat(row.resourceType()).isEqualTo("policy_limit");
        assertThat(row.beforeState()).isNull();
        assertThat(row.afterState()).contains("tpl-daily-spend-cap").contains("25000000");
    }

    @Test
    void overridesAreCheckedLikeACreatedControl() {
        RunningServer.Tenant t = server.newTenant("Library Refusals");
        record Case(String template, String body, int status, String field) {
        }
        for (Case c : List.of(
                new Case("tpl-daily-spend-cap", "{\"rule\":{\"name\":\"x\"}}", 400, "rule"),
                new Case("tpl-require-user-consent", "{\"limit\":{\"amount\":\"5\"}}", 400, "limit"),
                new Case("tpl-daily-spend-cap", "{\"limit\":{\"amount\":\"-5\"}}", 400, "limit.amount"),
                new Case("tpl-daily-spend-cap", "{\"limit\":{\"warn_at_ratio\":1.5}}", 400, "limit.warn_at_ratio"),
                new Case("tpl-daily-spend-cap", "{\"limit\":{\"kind\":\"LIMIT_KIND_TOKENS_PER_DAY\"}}", 400, "limit.kind"),
                new Case("tpl-max-tokens-per-run", "{\"rule\":{\"type\":\"RULE_TYPE_MODEL_DENY_LIST\"}}", 400, "rule.type"),
                new Case("tpl-max-tokens-per-run", "{\"rule\":{\"models\":[\"gpt-4o\"]}}", 400, "rule.models"),
                new Case("tpl-approved-providers", "{\"rule\":{\"providers\":[\"openai\",\"openai\"]}}", 400, "rule.providers[1]"),
                new Case("tpl-pii-redaction", "{\"rule\":{\"ethical_constraint_id\":\"eth-unknown\"}}", 400, "rule.ethical_constraint_id"),
                new Case("tpl-daily-spend-cap", "{\"limit\":{\"scope\":{\"api_key_id\":\"key-1\"}}}", 400, "limit.scope.api_key_id"),
                new Case("tpl-nope", "{}", 404, null))) {
            Reply reply = server.post(TEMPLATES + "/" + c.template() + "/apply", c.body(), t.ownerKey());
            assertThat(reply.status()).as(c + " -> " + reply).isEqualTo(c.status());
            if (c.field() != null) {
                assertThat(reply.json().get("message").asText()).as(c.toString()).startsWith(c.field() + ": ");
            }
        }
        assertThat(ok(server.get("/api/v1/policies/active", t.ownerKey())).get("total_count").asLong()).isZero();
        assertThat(server.get(TEMPLATES + "/tpl-nope", t.ownerKey()).status()).isEqualTo(404);
    }

    @Test
    void ethicalConstraintsShowThisTenantsAdoption() {
        RunningServer.Tenant t = server.newTenant("Library Ethics");
        JsonNode advisory = ok(server.post("/api/v1/policy-rules", """
                {"rule": {"name": "PII (advisory)", "type": "RULE_TYPE_ETHICAL_CONSTRAINT", "action": "LOG",
                          "enforcement": "RULE_ENFORCEMENT_ADVISORY", "ethical_constraint_id": "eth-pii-redaction"}}""",
                t.ownerKey())).get("rule");
        JsonNode draft = ok(server.post("/api/v1/policy-rules", """
                {"rule": {"name": "Disclosure", "type": "RULE_TYPE_ETHICAL_CONSTRAINT", "action": "BLOCK",
                          "status": "POLICY_STATUS_DRAFT", "ethical_constraint_id": "eth-ai-disclosure"}}""",
                t.ownerKey())).get("rule");

        JsonNode constraints = ok(server.get(ETHICAL, t.ownerKey())).get("constraints");
        JsonNode pii = template(constraints, "eth-pii-redaction");
        assertThat(pii.get("adopted_rule_id").asText()).isEqualTo(advisory.get("id").asText());
        assertThat(pii.get("adopted_enforcement").asText()).isEqualTo("RULE_ENFORCEMENT_ADVISORY");
        assertThat(pii.get("adopted_status").asText()).isEqualTo("POLICY_STATUS_ACTIVE");
        assertThat(pii.get("required_metadata").get("pii_redacted").asText()).isEqualTo("true");
        JsonNode disclosure = template(constraints, "eth-ai-disclosure");
        assertThat(disclosure.get("adopted_rule_id").asText()).isEqualTo(draft.get("id").asText());
        assertThat(disclosure.get("adopted_status").asText()).isEqualTo("POLICY_STATUS_DRAFT");
        assertThat(template(constraints, "eth-fairness-review").get("adopted_rule_id").asText()).isEmpty();

        // Applying the PII template adopts it again, ENFORCED; disabling that rule falls back
        // to the advisory one still active.
        server.clock.advance(java.time.Duration.ofSeconds(1));
        String enforcedId = ok(server.post(TEMPLATES + "/tpl-pii-redaction/apply", "{}", t.ownerKey()))
                .get("policy").get("id").asText();
        try (GovconClient client = server.grpc(t.ownerKey())) {
            EthicalConstraint now = client.policies().listEthicalConstraints(
                            dev.govcon.proto.v1.ListEthicalConstraintsRequest.newBuilder().setCategory("privacy").build())
                    .getConstraintsList().stream().filter(c -> c.getId().equals("eth-pii-redaction")).findFirst().orElseThrow();
            assertThat(now.getAdoptedRuleId()).isEqualTo(enforcedId);
            assertThat(now.getAdoptedEnforcement()).isEqualTo(RuleEnforcement.RULE_ENFORCEMENT_ENFORCED);
        }
        ok(server.delete("/api/v1/policy-rules/" + enforcedId, t.ownerKey()));
        JsonNode after = template(ok(server.get(ETHICAL + "?category=privacy", t.ownerKey())).get("constraints"),
                                  "eth-pii-redaction");
        assertThat(after.get("adopted_rule_id").asText()).isEqualTo(advisory.get("id").asText());
        assertThat(ok(server.get(ETHICAL + "?category=privacy", t.ownerKey())).get("constraints")
                .findValuesAsText("category")).containsOnly("privacy");
    }
}
