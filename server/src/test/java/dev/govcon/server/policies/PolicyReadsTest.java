package dev.govcon.server.policies;

import static dev.govcon.server.policies.PolicyRulesTest.ids;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.GetPoliciesByTypeRequest;
import dev.govcon.proto.v1.GetPoliciesByTypeResponse;
import dev.govcon.proto.v1.GetPolicyRequest;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.ListActivePoliciesRequest;
import dev.govcon.proto.v1.Policy;
import dev.govcon.proto.v1.PolicyKind;
import dev.govcon.proto.v1.PolicyTypeSummary;
import dev.govcon.proto.v1.RuleType;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import dev.govcon.server.wire.Times;

/**
 * The Governance views: active controls (rules and limits together, newest first, filtered by
 * kind, action and scope), one control by id in any status, counts by type with zero rows, and
 * the violations each control produced in the last 7 days.
 */
class PolicyReadsTest {
    private static final String ACTIVE = "/api/v1/policies/active";

    static RunningServer server;
    static RunningServer.Tenant acme;
    static RunFixtures sql;
    /** Created oldest first: deny (rule), chatTokens (rule), draftKeys (rule, DRAFT), searchSpend (limit), rpm (limit, DISABLED), concurrent (limit). */
    static String deny;
    static String chatTokens;
    static String draftKeys;
    static String searchSpend;
    static String rpm;
    static String concurrent;
    static Instant now;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        acme = server.newTenant("Reads Acme");
        sql = new RunFixtures(server.database.dataSource());
        String owner = acme.ownerKey();
        deny = create("/api/v1/policy-rules", "rule", """
                {"rule": {"name": "Deny previews", "description": "No previews.", "type": "RULE_TYPE_MODEL_DENY_LIST",
                          "action": "BLOCK", "models": ["gpt-4o-realtime-preview"]}}""", owner);
        chatTokens = create("/api/v1/policy-rules", "rule", """
                {"rule": {"name": "Chat tokens", "type": "RULE_TYPE_MAX_TOKENS_PER_RUN", "action": "WARN",
                          "max_tokens": "8000", "scope": {"feature": "chat"}}}""", owner);
        draftKeys = create("/api/v1/policy-rules", "rule", """
                {"rule": {"name": "Keys", "type": "RULE_TYPE_REQUIRED_METADATA", "action": "BLOCK",
                          "required_keys": ["ticket"], "status": "POLICY_STATUS_DRAFT"}}""", owner);
        searchSpend = create("/api/v1/policy-limits", "limit", """
                {"limit": {"name": "Search spend", "kind": "LIMIT_KIND_SPEND_PER_DAY", "amount": "5000000",
                           "action": "BLOCK", "scope": {"feature": "search"}}}""", owner);
        rpm = create("/api/v1/policy-limits", "limit", """
                {"limit": {"name": "RPM", "kind": "LIMIT_KIND_REQUESTS_PER_MINUTE", "amount": "60", "action": "BLOCK"}}""", owner);
        ok(server.delete("/api/v1/policy-limits/" + rpm, owner));
        concurrent = create("/api/v1/policy-limits", "limit", """
                {"limit": {"name": "GPT-4o in flight", "kind": "LIMIT_KIND_CONCURRENT_RUNS", "amount": "8",
                           "action": "LOG", "scope": {"model": "gpt-4o"}}}""", owner);
        now = server.clock.instant();

        // Violations: three recent and one old for the deny rule, two for the search limit.
        violation(deny, "RULE", "MODEL_DENY_LIST", "BLOCK", now.minus(Duration.ofHours(30)));
        violation(deny, "RULE", "MODEL_DENY_LIST", "BLOCK", now.minus(Duration.ofHours(1)));
        violation(deny, "RULE", "MODEL_DENY_LIST", "BLOCK", now.minus(Duration.ofDays(6)));
        violation(deny, "RULE", "MODEL_DENY_LIST", "BLOCK", now.minus(Duration.ofDays(8)));
        violation(searchSpend, "LIMIT", "SPEND_PER_DAY", "BLOCK", now.minus(Duration.ofMinutes(5)));
        violation(searchSpend, "LIMIT", "SPEND_PER_DAY", "WARN", now.minus(Duration.ofDays(2)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String create(String path, String field, String body, String key) {
        server.clock.advance(Duration.ofSeconds(1));
        return ok(server.post(path, body, key)).get(field).get("id").asText();
    }

    private static void violation(String controlId, String kind, String type, String action, Instant at) {
        sql.update("INSERT INTO limit_violations (tenant_id, violation_id, control_kind, control_id, control_name, "
                   + "control_type, action, origin, occurred_at) VALUES (?, ?, ?, ?, 'x', ?, ?, 'GUARD_CHECK', ?)",
                   UUID.fromString(acme.id()), UUID.randomUUID(), kind, UUID.fromString(controlId), type, action,
                   Timestamp.from(at));
    }

    private static JsonNode ok(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    @Test
    void activeControlsAreRulesAndLimitsNewestFirst() {
        String owner = acme.ownerKey();
        JsonNode all = ok(server.get(ACTIVE, owner));
        assertThat(ids(all.get("policies"))).containsExactly(concurrent, searchSpend, chatTokens, deny);
        assertThat(all.get("total_count").asLong()).isEqualTo(4);
        assertThat(all.get("next_page_token").asText()).isEmpty();

        JsonNode first = all.get("policies").get(0);
        assertThat(first.get("kind").asText()).isEqualTo("POLICY_KIND_LIMIT");
        assertThat(first.get("name").asText()).isEqualTo("GPT-4o in flight");
        assertThat(first.get("status").asText()).isEqualTo("POLICY_STATUS_ACTIVE");
        assertThat(first.get("action").asText()).isEqualTo("LOG");
        assertThat(first.get("source").asText()).isEqualTo("POLICY_SOURCE_MANUAL");
        assertThat(first.get("scope").get("model").asText()).isEqualTo("gpt-4o");
        assertThat(first.get("limit").get("amount").asText()).isEqualTo("8");
        assertThat(first.get("limit").get("usage").get("remaining").asText()).isEqualTo("8");
        assertThat(first.get("recent_violation_count").asText()).isEqualTo("0");
        assertThat(first.has("last_violation_time")).isFalse();
        JsonNode denyRow = all.get("policies").get(3);
        assertThat(denyRow.get("kind").asText()).isEqualTo("POLICY_KIND_RULE");
        assertThat(denyRow.get("description").asText()).isEqualTo("No previews.");
        assertThat(denyRow.get("rule").get("models")).extracting(JsonNode::asText).containsExactly("gpt-4o-realtime-preview");
        assertThat(denyRow.get("recent_violation_count").asText()).isEqualTo("3");
        assertThat(denyRow.get("last_violation_time").asText()).isEqualTo(now.minus(Duration.ofHours(1)).toString());
        assertThat(denyRow.get("create_time")).isEqualTo(denyRow.get("rule").get("create_time"));

        assertThat(ids(ok(server.get(ACTIVE + "?kind=POLICY_KIND_RULE", owner)).get("policies")))
                .containsExactly(chatTokens, deny);
        assertThat(ids(ok(server.get(ACTIVE + "?kind=POLICY_KIND_LIMIT", owner)).get("policies")))
                .containsExactly(concurrent, searchSpend);
        assertThat(ids(ok(server.get(ACTIVE + "?action=BLOCK", owner)).get("policies")))
                .containsExactly(searchSpend, deny);
        // Scope filters keep controls that cover the feature or model, tenant-wide ones included.
        JsonNode chat = ok(server.get(ACTIVE + "?feature=chat", owner));
        assertThat(ids(chat.get("policies"))).containsExactly(concurrent, chatTokens, deny);
        assertThat(chat.get("total_count").asLong()).isEqualTo(3);
        assertThat(ids(ok(server.get(ACTIVE + "?feature=search&model=gpt-4o-mini", owner)).get("policies")))
                .containsExactly(searchSpend, deny);
        assertThat(ids(ok(server.get(ACTIVE + "?kind=POLICY_KIND_LIMIT&model=gpt-4o&feature=chat", owner)).get("policies")))
                .containsExactly(concurrent);

        JsonNode page1 = ok(server.get(ACTIVE + "?page_size=3", owner));
        JsonNode page2 = ok(server.get(ACTIVE + "?page_size=3&page_token=" + page1.get("next_page_token").asText(), owner));
        List<String> paged = new ArrayList<>(ids(page1.get("policies")));
        paged.addAll(ids(page2.get("policies")));
        assertThat(paged).containsExactly(concurrent, searchSpend, chatTokens, deny);
        assertThat(page2.get("next_page_token").asText()).isEmpty();
        assertThat(page2.get("total_count").asLong()).isEqualTo(4);
    }

    @Test
    void oneControlByIdInAnyStatusWithItsRecentViolations() {
        String owner = acme.ownerKey();
        JsonNode spend = ok(server.get("/api/v1/policies/" + searchSpend, owner));
        assertThat(spend.get("kind").asText()).isEqualTo("POLICY_KIND_LIMIT");
        assertThat(spend.get("recent_violation_count").asText()).isEqualTo("2");
        assertThat(spend.get("last_violation_time").asText()).isEqualTo(now.minus(Duration.ofMinutes(5)).toString());
        assertThat(spend.get("limit")).isEqualTo(ok(server.get("/api/v1/policy-limits/" + searchSpend, owner)));

        JsonNode disabled = ok(server.get("/api/v1/policies/" + rpm, owner));
        assertThat(disabled.get("status").asText()).isEqualTo("POLICY_STATUS_DISABLED");
        assertThat(disabled.get("limit").has("usage")).isFalse();
        JsonNode draft = ok(server.get("/api/v1/policies/" + draftKeys, owner));
        assertThat(draft.get("kind").asText()).isEqualTo("POLICY_KIND_RULE");
        assertThat(draft.get("status").asText()).isEqualTo("POLICY_STATUS_DRAFT");
        assertThat(draft.get("rule")).isEqualTo(ok(server.get("/api/v1/policy-rules/" + draftKeys, owner)));

        assertThat(server.get("/api/v1/policies/" + UUID.randomUUID(), owner).status()).isEqualTo(404);

        try (GovconClient client = server.grpc(owner)) {
            Policy p = client.policies().getPolicy(GetPolicyRequest.newBuilder().setId(deny).build());
            assertThat(p.getRecentViolationCount()).isEqualTo(3);
            assertThat(Times.instant(p.getLastViolationTime())).isEqualTo(now.minus(Duration.ofHours(1)));
            assertThat(p.getRule().getType()).isEqualTo(RuleType.RULE_TYPE_MODEL_DENY_LIST);
            assertThat(client.policies().listActivePolicies(ListActivePoliciesRequest.newBuilder()
                    .setKind(PolicyKind.POLICY_KIND_RULE).build()).getPoliciesList())
                    .extracting(Policy::getId).containsExactly(chatTokens, deny);
        }
    }

    @Test
    void countsByTypeListEveryTypeWithZeros() {
        JsonNode byType = ok(server.get("/api/v1/policies/by-type", acme.ownerKey()));
        JsonNode types = byType.get("types");
        assertThat(types).hasSize(11);
        assertThat(byType.get("total_active_count").asText()).isEqualTo("4");
        List<String> order = new ArrayList<>();
        types.forEach(t -> order.add(t.has("rule_type") && !t.get("kind").asText().equals("POLICY_KIND_LIMIT")
                                     ? t.get("rule_type").asText() : t.get("limit_kind").asText()));
        assertThat(order).containsExactly("RULE_TYPE_MODEL_ALLOW_LIST", "RULE_TYPE_MODEL_DENY_LIST",
                "RULE_TYPE_MAX_TOKENS_PER_RUN", "RULE_TYPE_REQUIRED_METADATA", "RULE_TYPE_PROVIDER_ALLOW_LIST",
                "RULE_TYPE_ETHICAL_CONSTRAINT", "LIMIT_KIND_SPEND_PER_DAY", "LIMIT_KIND_SPEND_PER_MONTH",
                "LIMIT_KIND_TOKENS_PER_DAY", "LIMIT_KIND_REQUESTS_PER_MINUTE", "LIMIT_KIND_CONCURRENT_RUNS");

        try (GovconClient client = server.grpc(acme.ownerKey())) {
            GetPoliciesByTypeResponse r = client.policies().getPoliciesByType(GetPoliciesByTypeRequest.getDefaultInstance());
            assertThat(counts(r, RuleType.RULE_TYPE_MODEL_ALLOW_LIST, null)).containsExactly(0L, 0L, 0L, 0L);
            assertThat(counts(r, RuleType.RULE_TYPE_MODEL_DENY_LIST, null)).containsExactly(1L, 0L, 0L, 3L);
            assertThat(counts(r, RuleType.RULE_TYPE_MAX_TOKENS_PER_RUN, null)).containsExactly(1L, 0L, 0L, 0L);
            assertThat(counts(r, RuleType.RULE_TYPE_REQUIRED_METADATA, null)).containsExactly(0L, 1L, 0L, 0L);
            assertThat(counts(r, null, LimitKind.LIMIT_KIND_SPEND_PER_DAY)).containsExactly(1L, 0L, 0L, 2L);
            assertThat(counts(r, null, LimitKind.LIMIT_KIND_REQUESTS_PER_MINUTE)).containsExactly(0L, 0L, 1L, 0L);
            assertThat(counts(r, null, LimitKind.LIMIT_KIND_CONCURRENT_RUNS)).containsExactly(1L, 0L, 0L, 0L);
            assertThat(counts(r, null, LimitKind.LIMIT_KIND_SPEND_PER_MONTH)).containsExactly(0L, 0L, 0L, 0L);
        }

        // A tenant with no controls still gets every row.
        RunningServer.Tenant empty = server.newTenant("Reads Empty");
        JsonNode none = ok(server.get("/api/v1/policies/by-type", empty.ownerKey()));
        assertThat(none.get("types")).hasSize(11);
        assertThat(none.get("total_active_count").asText()).isEqualTo("0");
        none.get("types").forEach(t -> {
            assertThat(t.get("active_count").asText()).isEqualTo("0");
            assertThat(t.get("recent_violation_count").asText()).isEqualTo("0");
        });
        assertThat(ok(server.get(ACTIVE, empty.ownerKey())).get("policies")).isEmpty();
    }

    private static List<Long> counts(GetPoliciesByTypeResponse r, RuleType type, LimitKind kind) {
        PolicyTypeSummary s = r.getTypesList().stream()
                .filter(t -> type != null ? t.getKind() == PolicyKind.POLICY_KIND_RULE && t.getRuleType() == type
                                          : t.getKind() == PolicyKind.POLICY_KIND_LIMIT && t.getLimitKind() == kind)
                .findFirst().orElseThrow();
        return List.of(s.getActiveCount(), s.getDraftCount(), s.getDisabledCount(), s.getRecentViolationCount());
    }
}
