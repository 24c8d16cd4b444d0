package dev.govcon.server.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.CreatePolicyRuleRequest;
import dev.govcon.proto.v1.GetPolicyLimitRequest;
import dev.govcon.proto.v1.GetPolicyRuleRequest;
import dev.govcon.proto.v1.ListPolicyRulesRequest;
import dev.govcon.proto.v1.PolicyRule;
import dev.govcon.proto.v1.Role;
import dev.govcon.proto.v1.RuleType;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.audit.AuditMapper;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Who may call what (the {@code (govcon.v1.access)} option of each RPC in policies.proto,
 * written out here independently): every role from VIEWER up reads, only OWNER and ADMIN
 * change controls, INGEST does neither. And another tenant's controls are NOT_FOUND, exactly
 * like ids that never existed, and are left as they were.
 */
class PoliciesAccessTest {
    static RunningServer server;
    static RunningServer.Tenant acme;
    static RunningServer.Tenant bravo;
    static final Map<Role, String> keys = new EnumMap<>(Role.class);
    static String ruleId;
    static String limitId;
    static String bravoRule;
    static String bravoLimit;

    static final Set<Role> READERS = Set.of(Role.OWNER, Role.ADMIN, Role.MEMBER, Role.VIEWER);
    static final Set<Role> ADMINS = Set.of(Role.OWNER, Role.ADMIN);

    private static final String RULE = "{\"rule\":{\"version\":\"1\",\"name\":\"deny\",\"type\":\"RULE_TYPE_MODEL_DENY_LIST\","
                                       + "\"action\":\"BLOCK\",\"models\":[\"gpt-4o\"]}}";
    private static final String LIMIT = "{\"limit\":{\"version\":\"1\",\"name\":\"cap\",\"kind\":\"LIMIT_KIND_SPEND_PER_DAY\","
                                        + "\"amount\":\"1000000\",\"action\":\"BLOCK\"}}";

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        acme = server.newTenant("Access Acme");
        bravo = server.newTenant("Access Bravo");
        keys.put(Role.OWNER, acme.ownerKey());
        for (Role role : new Role[] {Role.ADMIN, Role.MEMBER, Role.VIEWER, Role.INGEST}) {
            keys.put(role, ok(server.post("/api/v1/connectivity/api-keys",
                    "{\"name\":\"" + role + " key\",\"role\":\"" + role + "\"}", acme.ownerKey())).get("secret").asText());
        }
        ruleId = ok(server.post("/api/v1/policy-rules", RULE, acme.ownerKey())).get("rule").get("id").asText();
        limitId = ok(server.post("/api/v1/policy-limits", LIMIT, acme.ownerKey())).get("limit").get("id").asText();
        bravoRule = ok(server.post("/api/v1/policy-rules", RULE, bravo.ownerKey())).get("rule").get("id").asText();
        bravoLimit = ok(server.post("/api/v1/policy-limits", LIMIT, bravo.ownerKey())).get("limit").get("id").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode ok(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    /** Valid requests, so an allowed role gets 200 and repeating one is harmless. */
    static Stream<Arguments> matrix() {
        return Stream.of(
                Arguments.of("GET", "/api/v1/policies/active", null, READERS),
                Arguments.of("GET", "/api/v1/policies/{rule}", null, READERS),
                Arguments.of("GET", "/api/v1/policies/by-type", null, READERS),
                Arguments.of("GET", "/api/v1/policies/library/templates", null, READERS),
                Arguments.of("GET", "/api/v1/policies/library/templates/tpl-daily-spend-cap", null, READERS),
                Arguments.of("GET", "/api/v1/policies/library/ethical", null, READERS),
                Arguments.of("GET", "/api/v1/policy-rules", null, READERS),
                Arguments.of("GET", "/api/v1/policy-rules/{rule}", null, READERS),
                Arguments.of("GET", "/api/v1/policy-limits", null, READERS),
                Arguments.of("GET", "/api/v1/policy-limits/{limit}", null, READERS),
                Arguments.of("POST", "/api/v1/policy-rules", RULE, ADMINS),
                // The same content again: a change of nothing, so the version stays 1.
                Arguments.of("PUT", "/api/v1/policy-rules/{rule}", RULE, ADMINS),
                Arguments.of("POST", "/api/v1/policy-limits", LIMIT, ADMINS),
                Arguments.of("PUT", "/api/v1/policy-limits/{limit}", LIMIT, ADMINS),
                Arguments.of("POST", "/api/v1/policies/library/templates/tpl-concurrent-runs/apply", "{}", ADMINS));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void eachRoleIsAllowedOrRefused(String method, String path, String body, Set<Role> allowed) {
        String p = path.replace("{rule}", ruleId).replace("{limit}", limitId);
        for (Role role : keys.keySet()) {
            int audit = auditRows(acme);
            Reply reply = server.send(method, p, body, keys.get(role));
            if (allowed.contains(role)) {
                assertThat(reply.status()).as("%s %s as %s: %s", method, path, role, reply).isEqualTo(200);
            } else {
                assertThat(reply.status()).as("%s %s as %s: %s", method, path, role, reply).isEqualTo(403);
                assertThat(auditRows(acme)).as("a refused call writes nothing").isEqualTo(audit);
            }
        }
    }

    @Test
    void deletingIsForAdminsOnly() {
        for (String kind : List.of("rules", "limits")) {
            String id = kind.equals("rules") ? ok(server.post("/api/v1/policy-rules", RULE, acme.ownerKey())).get("rule").get("id").asText()
                                             : ok(server.post("/api/v1/policy-limits", LIMIT, acme.ownerKey())).get("limit").get("id").asText();
            String path = "/api/v1/policy-" + kind + "/" + id;
            for (Role role : List.of(Role.MEMBER, Role.VIEWER, Role.INGEST)) {
                assertThat(server.delete(path, keys.get(role)).status()).as(role + " " + path).isEqualTo(403);
            }
            assertThat(ok(server.get(path, acme.ownerKey())).toString()).contains("POLICY_STATUS_ACTIVE");
            assertThat(server.delete(path, keys.get(Role.ADMIN)).status()).isEqualTo(200);
            assertThat(ok(server.get(path, acme.ownerKey())).toString()).contains("POLICY_STATUS_DISABLED");
        }
    }

    @Test
    void aViewerReadsButCannotWriteOverGrpc() {
        try (GovconClient viewer = server.grpc(keys.get(Role.VIEWER))) {
            assertThat(viewer.policies().listPolicyRules(ListPolicyRulesRequest.getDefaultInstance()).getTotalCount())
                    .isPositive();
            assertThatThrownBy(() -> viewer.policies().createPolicyRule(CreatePolicyRuleRequest.newBuilder()
                    .setRule(PolicyRule.newBuilder().setName("n").setType(RuleType.RULE_TYPE_MODEL_DENY_LIST)
                            .addModels("a").setAction(ControlAction.BLOCK)).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        }
    }

    // ---- another tenant's controls ----

    private static int auditRows(RunningServer.Tenant t) {
        return server.database.read(s -> s.getMapper(AuditMapper.class).latest(UUID.fromString(t.id()), 10000).size());
    }

    @Test
    void anotherTenantsControlsAreNotFoundAndStayAsTheyWere() {
        String a = acme.ownerKey();
        JsonNode rule = ok(server.get("/api/v1/policy-rules/" + bravoRule, bravo.ownerKey()));
        JsonNode limit = ok(server.get("/api/v1/policy-limits/" + bravoLimit, bravo.ownerKey()));
        int audit = auditRows(bravo);

        for (Reply reply : List.of(
                server.get("/api/v1/policy-rules/" + bravoRule, a),
                server.get("/api/v1/policy-limits/" + bravoLimit, a),
                server.get("/api/v1/policies/" + bravoRule, a),
                server.get("/api/v1/policies/" + bravoLimit, a),
                server.put("/api/v1/policy-rules/" + bravoRule, RULE.replace("deny", "hijacked"), a),
                server.put("/api/v1/policy-limits/" + bravoLimit, LIMIT.replace("1000000", "1"), a),
                server.delete("/api/v1/policy-rules/" + bravoRule, a),
                server.delete("/api/v1/policy-limits/" + bravoLimit, a),
                // Exactly what an id that never existed answers.
                server.get("/api/v1/policy-rules/" + UUID.randomUUID(), a),
                server.delete("/api/v1/policy-limits/" + UUID.randomUUID(), a))) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(404);
            assertThat(reply.json().get("grpc-code").asText()).isEqualTo("NOT_FOUND");
        }
        try (GovconClient client = server.grpc(a)) {
            for (Runnable call : List.<Runnable>of(
                    () -> client.policies().getPolicyRule(GetPolicyRuleRequest.newBuilder().setId(bravoRule).build()),
                    () -> client.policies().getPolicyLimit(GetPolicyLimitRequest.newBuilder().setId(bravoLimit).build()))) {
                assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
            }
        }

        assertThat(ok(server.get("/api/v1/policy-rules/" + bravoRule, bravo.ownerKey()))).isEqualTo(rule);
        assertThat(ok(server.get("/api/v1/policy-limits/" + bravoLimit, bravo.ownerKey()))).isEqualTo(limit);
        assertThat(auditRows(bravo)).isEqualTo(audit);

        // Lists, counts and the library show only the caller's own controls.
        assertThat(PolicyRulesTest.ids(ok(server.get("/api/v1/policy-rules?page_size=1000", a)).get("rules")))
                .doesNotContain(bravoRule);
        assertThat(PolicyRulesTest.ids(ok(server.get("/api/v1/policies/active?page_size=1000", a)).get("policies")))
                .doesNotContain(bravoRule, bravoLimit);
        RunningServer.Tenant charlie = server.newTenant("Access Charlie");
        ok(server.post("/api/v1/policies/library/templates/tpl-pii-redaction/apply", "{}", bravo.ownerKey()));
        assertThat(ok(server.get("/api/v1/policies/library/templates/tpl-pii-redaction", charlie.ownerKey()))
                .get("applied_count").asText()).isEqualTo("0");
        ok(server.get("/api/v1/policies/library/ethical", charlie.ownerKey())).get("constraints")
                .forEach(c -> assertThat(c.get("adopted_rule_id").asText()).isEmpty());
        JsonNode byType = ok(server.get("/api/v1/policies/by-type", charlie.ownerKey()));
        assertThat(byType.get("total_active_count").asText()).isEqualTo("0");
    }
}
