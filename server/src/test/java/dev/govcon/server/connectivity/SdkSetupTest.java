package dev.govcon.server.connectivity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;

/**
 * The setup checklist of a fresh tenant, then after each step a new user takes: each step
 * turns done with the time it happened, and the snippet moves on to the next step.
 */
class SdkSetupTest {
    private static final String SETUP = "/api/v1/connectivity/integrations/sdk";
    private static final List<String> KINDS = List.of("API_KEY_CREATED", "INTEGRATION_REGISTERED", "FIRST_HEARTBEAT",
                                                      "FIRST_RUN", "FIRST_GUARD_CHECK", "FIRST_CONTROL");

    static RunningServer server;
    static RunFixtures fixtures;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        fixtures = new RunFixtures(server.database.dataSource());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode setup(String key) {
        Reply reply = server.get(SETUP, key);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode setup = reply.json();
        assertThat(setup.get("steps").findValuesAsText("kind")).containsExactlyElementsOf(KINDS);
        setup.get("steps").forEach(s -> assertThat(s.get("title").asText()).isNotBlank());
        return setup;
    }

    private static List<Boolean> done(JsonNode setup) {
        return setup.get("steps").findValues("done").stream().map(JsonNode::asBoolean).toList();
    }

    private static Instant doneAt(JsonNode setup, String kind) {
        for (JsonNode s : setup.get("steps")) {
            if (s.get("kind").asText().equals(kind)) {
                return s.has("done_at") ? Instant.parse(s.get("done_at").asText()) : null;
            }
        }
        throw new AssertionError(kind);
    }

    @Test
    void aFreshTenantThenEachStep() {
        RunningServer.Tenant t = server.newTenant("Setup Steps");
        String owner = t.ownerKey();

        JsonNode fresh = setup(owner);
        assertThat(done(fresh)).containsExactly(false, false, false, false, false, false);
        assertThat(fresh.get("complete").asBoolean()).isFalse();
        assertThat(fresh.get("next_snippet").asText()).contains("createApiKey").contains("Role.INGEST");
        assertThat(fresh.get("steps").get(0).has("done_at")).isFalse();

        // 1. A key for the application (the owner's own key, issued with the tenant, does not count).
        Reply key = server.post("/api/v1/connectivity/api-keys", "{\"name\":\"app\",\"role\":\"INGEST\"}", owner);
        String appKey = key.json().get("secret").asText();
        JsonNode afterKey = setup(owner);
        assertThat(done(afterKey)).containsExactly(true, false, false, false, false, false);
        assertThat(doneAt(afterKey, "API_KEY_CREATED")).isNotNull();
        assertThat(afterKey.get("next_snippet").asText()).contains(".integration(\"my-app\")");

        // 2. Registered (at the server's clock).
        Instant registeredAt = server.clock.instant();
        String id = server.post("/api/v1/customer/integrations/register", "{\"name\":\"my-app\"}", appKey)
                .json().get("id").asText();
        JsonNode afterRegister = setup(owner);
        assertThat(done(afterRegister)).containsExactly(true, true, false, false, false, false);
        assertThat(doneAt(afterRegister, "INTEGRATION_REGISTERED")).isEqualTo(registeredAt);

        // 3. First heartbeat, a minute later.
        server.clock.advance(Duration.ofMinutes(1));
        Instant beatAt = server.clock.instant();
        assertThat(server.post("/api/v1/customer/integrations/" + id + "/heartbeat", "{}", appKey).status()).isEqualTo(200);
        JsonNode afterBeat = setup(owner);
        assertThat(done(afterBeat)).containsExactly(true, true, true, false, false, false);
        assertThat(doneAt(afterBeat, "FIRST_HEARTBEAT")).isEqualTo(beatAt);
        assertThat(afterBeat.get("next_snippet").asText()).contains("newRecorder()");

        // 4. First run, by its end time.
        Instant runEnd = server.clock.instant().minusSeconds(5);
        Reply batch = server.post("/api/v1/activity/runs/batch", "{\"runs\":[{\"run_id\":\"setup-1\",\"model\":\"gpt-4o\","
                + "\"provider\":\"openai\",\"status\":\"SUCCEEDED\",\"input_tokens\":10,\"output_tokens\":5,"
                + "\"end_time\":\"" + runEnd + "\"}]}", appKey);
        assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
        JsonNode afterRun = setup(owner);
        assertThat(done(afterRun)).containsExactly(true, true, true, true, false, false);
        assertThat(doneAt(afterRun, "FIRST_RUN")).isEqualTo(runEnd);
        assertThat(afterRun.get("next_snippet").asText()).contains("checkGuard");

        // 5. First guard check, as the guard reports it (no integration header here).
        Instant checkedAt = server.clock.instant();
        server.server.integrationTouches().guardChecked(UUID.fromString(t.id()), null, checkedAt);
        server.server.integrationTouches().flush();
        JsonNode afterCheck = setup(owner);
        assertThat(done(afterCheck)).containsExactly(true, true, true, true, true, false);
        assertThat(doneAt(afterCheck, "FIRST_GUARD_CHECK")).isEqualTo(checkedAt);
        assertThat(afterCheck.get("next_snippet").asText()).contains("createPolicyLimit");

        // 6. First control (the policies domain writes these; here straight into its table).
        Instant controlAt = server.clock.instant();
        fixtures.update("""
                INSERT INTO policy_limits (tenant_id, limit_id, name, limit_kind, amount, action, status, source,
                                           created_at, updated_at)
                VALUES (?, ?, 'daily spend', 'SPEND_PER_DAY', 50000000, 'BLOCK', 'ACTIVE', 'MANUAL', ?, ?)
                """, UUID.fromString(t.id()), UUID.randomUUID(), java.sql.Timestamp.from(controlAt),
                java.sql.Timestamp.from(controlAt));
        JsonNode complete = setup(owner);
        assertThat(done(complete)).containsExactly(true, true, true, true, true, true);
        assertThat(doneAt(complete, "FIRST_CONTROL")).isEqualTo(controlAt);
        assertThat(complete.get("complete").asBoolean()).isTrue();
        assertThat(complete.get("next_snippet").asText()).isEmpty();

        // Later guard checks do not move the first one.
        server.server.integrationTouches().guardChecked(UUID.fromString(t.id()), id, checkedAt.plusSeconds(60));
        server.server.integrationTouches().flush();
        assertThat(doneAt(setup(owner), "FIRST_GUARD_CHECK")).isEqualTo(checkedAt);
    }

    @Test
    void stepsAreIndependentAndAViolationCountsAsAGuardCheck() {
        RunningServer.Tenant t = server.newTenant("Setup Violations");
        Instant at = server.clock.instant().minusSeconds(120);
        fixtures.update("""
                INSERT INTO limit_violations (tenant_id, violation_id, control_kind, control_id, control_type, action,
                                              origin, occurred_at)
                VALUES (?, ?, 'LIMIT', ?, 'SPEND_PER_DAY', 'WARN', 'GUARD_CHECK', ?)
                """, UUID.fromString(t.id()), UUID.randomUUID(), UUID.randomUUID(), java.sql.Timestamp.from(at));
        JsonNode setup = setup(t.ownerKey());
        assertThat(done(setup)).containsExactly(false, false, false, false, true, false);
        assertThat(doneAt(setup, "FIRST_GUARD_CHECK")).isEqualTo(at);
        assertThat(setup.get("next_snippet").asText()).contains("createApiKey");
        // Another tenant's checklist is its own.
        assertThat(done(setup(server.newTenant("Setup Other").ownerKey()))).doesNotContain(true);
    }
}
