package dev.govcon.server.connectivity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.Integration;
import dev.govcon.proto.v1.IntegrationStatus;
import dev.govcon.proto.v1.ListIntegrationsRequest;
import dev.govcon.proto.v1.ListIntegrationsResponse;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.sdk.GovconClient;
import dev.govcon.sdk.SdkVersion;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import dev.govcon.server.wire.Times;

/**
 * Integrations end to end: the Java SDK registers itself and sends heartbeats to a real
 * server; liveness follows the server's clock (moved, never slept); registration is
 * idempotent; runs and guard checks show on the integration.
 */
class IntegrationsTest {
    private static final String INTEGRATIONS = "/api/v1/connectivity/integrations";
    private static final String REGISTER = "/api/v1/customer/integrations/register";

    static RunningServer server;
    static RunningServer.Tenant acme;
    static String ingestKey;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        acme = server.newTenant("Integrations Acme");
        ingestKey = key(acme.ownerKey(), "INGEST");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String key(String ownerKey, String role) {
        Reply reply = server.post("/api/v1/connectivity/api-keys", "{\"name\":\"" + role + "\",\"role\":\"" + role + "\"}",
                                  ownerKey);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("secret").asText();
    }

    private static GovconClient sdk(String key, String name, String environment) {
        // A long interval: the test beats by hand (heartbeatNow), the schedule never interferes.
        return GovconClient.builder().target("127.0.0.1", server.port()).plaintext().maxAttempts(1)
                .apiKey(key).integration(name).environment(environment)
                .heartbeatInterval(Duration.ofHours(1)).build();
    }

    private static Integration listed(String key, String id) {
        try (GovconClient client = server.grpc(key)) {
            ListIntegrationsResponse all = client.connectivity().listIntegrations(
                    ListIntegrationsRequest.newBuilder().setPageSize(1000).build());
            assertThat(all.getCurrentSdkVersion()).isEqualTo(SdkVersion.CURRENT);
            return all.getIntegrationsList().stream().filter(i -> i.getId().equals(id)).findFirst().orElseThrow();
        }
    }

    @Test
    void theSdkRegistersAndHeartbeatsAndGoesStaleWhenTimePasses() {
        try (GovconClient app = sdk(ingestKey, "checkout", "production")) {
            assertThat(app.heartbeatNow()).isTrue();
            String id = app.integrationId().orElseThrow();
            Instant beat = server.clock.instant();

            Integration i = listed(acme.ownerKey(), id);
            assertThat(i.getName()).isEqualTo("checkout");
            assertThat(i.getEnvironment()).isEqualTo("production");
            assertThat(i.getSdkLanguage()).isEqualTo("java");
            assertThat(i.getSdkVersion()).isEqualTo(SdkVersion.CURRENT);
            assertThat(i.getSdkOutdated()).isFalse();
            assertThat(i.getHost()).isNotEmpty();
            assertThat(i.getStatus()).isEqualTo(IntegrationStatus.CONNECTED);
            assertThat(Times.instant(i.getLastHeartbeatAt())).isEqualTo(beat);
            assertThat(i.hasLastRunAt()).isFalse();

            server.clock.advance(Duration.ofMinutes(5));
            assertThat(listed(acme.ownerKey(), id).getStatus()).as("5 minutes: still CONNECTED")
                    .isEqualTo(IntegrationStatus.CONNECTED);
            server.clock.advance(Duration.ofSeconds(1));
            assertThat(listed(acme.ownerKey(), id).getStatus()).isEqualTo(IntegrationStatus.STALE);

            // The next heartbeat brings it back, and moves last_heartbeat_at with the clock.
            assertThat(app.heartbeatNow()).isTrue();
            Integration back = listed(acme.ownerKey(), id);
            assertThat(back.getStatus()).isEqualTo(IntegrationStatus.CONNECTED);
            assertThat(Times.instant(back.getLastHeartbeatAt())).isEqualTo(beat.plusSeconds(301));
            assertThat(app.integrationId()).contains(id);
        }
    }

    @Test
    void aRunOfTheIntegrationKeepsItConnectedWithoutHeartbeats() {
        try (GovconClient app = GovconClient.builder().target("127.0.0.1", server.port()).plaintext()
                .maxAttempts(1).apiKey(ingestKey).integration("batch-scorer").heartbeats(false).build()) {
            assertThat(app.heartbeatNow()).isTrue();
            String id = app.integrationId().orElseThrow();
            Integration registered = listed(acme.ownerKey(), id);
            assertThat(registered.getStatus()).as("registered only").isEqualTo(IntegrationStatus.NEVER_SEEN);
            assertThat(registered.getEnvironment()).isEqualTo("default");

            // The SDK gives the run its integration id; the run makes the integration CONNECTED.
            Instant end = server.clock.instant();
            app.runs().complete("int-run-1", Run.newBuilder().setModel("gpt-4o").setProvider("openai")
                    .setStatus(RunStatus.SUCCEEDED).setInputTokens(10).setOutputTokens(5)
                    .setEndTime(Times.ts(end)).build());
            Integration running = listed(acme.ownerKey(), id);
            assertThat(running.getStatus()).isEqualTo(IntegrationStatus.CONNECTED);
            assertThat(Times.instant(running.getLastRunAt())).isEqualTo(end);
            assertThat(running.hasLastHeartbeatAt()).isFalse();

            server.clock.advance(Duration.ofMinutes(6));
            assertThat(listed(acme.ownerKey(), id).getStatus()).isEqualTo(IntegrationStatus.STALE);
        }
    }

    @Test
    void registeringIsIdempotentOnNameAndEnvironment() {
        String body = "{\"name\":\"search\",\"sdk_language\":\"java\",\"sdk_version\":\"0.0.9\",\"environment\":\"staging\","
                      + "\"host\":\"web-1\"}";
        Reply first = server.post(REGISTER, body, ingestKey);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        JsonNode registered = first.json();
        assertThat(registered.get("status").asText()).isEqualTo("NEVER_SEEN");
        assertThat(registered.get("sdk_outdated").asBoolean()).as("0.0.9 < " + SdkVersion.CURRENT).isTrue();

        Reply again = server.post(REGISTER, body.replace("web-1", "web-2").replace("0.0.9", SdkVersion.CURRENT), ingestKey);
        assertThat(again.json().get("id").asText()).isEqualTo(registered.get("id").asText());
        assertThat(again.json().get("host").asText()).isEqualTo("web-2");
        assertThat(again.json().get("sdk_outdated").asBoolean()).isFalse();
        assertThat(again.json().get("registered_at").asText()).isEqualTo(registered.get("registered_at").asText());

        Reply production = server.post(REGISTER, body.replace("staging", "production"), ingestKey);
        assertThat(production.json().get("id").asText()).isNotEqualTo(registered.get("id").asText());

        JsonNode staging = server.get(INTEGRATIONS + "?environment=staging", acme.ownerKey()).json().get("integrations");
        assertThat(staging.findValuesAsText("name")).containsExactly("search");
        // Registered once; the repeat is not a new integration in the audit ledger either.
        long audited = server.get("/api/v1/logs/audit?page_size=1000", acme.ownerKey()).json().get("entries")
                .findValuesAsText("resource_id").stream().filter(r -> r.equals(registered.get("id").asText())).count();
        assertThat(audited).isEqualTo(1);
    }

    @Test
    void heartbeatsRefuseBadInputAndOtherTenantsIntegrations() {
        String id = server.post(REGISTER, "{\"name\":\"hb\"}", ingestKey).json().get("id").asText();
        Reply ok = server.post("/api/v1/customer/integrations/" + id + "/heartbeat",
                               "{\"sdk_version\":\"0.2.0\"}", ingestKey);
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().get("integration").get("sdk_version").asText()).isEqualTo("0.2.0");
        assertThat(ok.json().get("next_heartbeat_in").asText()).isEqualTo("60s");

        Reply otherEnv = server.post("/api/v1/customer/integrations/" + id + "/heartbeat",
                                     "{\"environment\":\"production\"}", ingestKey);
        assertThat(otherEnv.status()).isEqualTo(400);
        assertThat(otherEnv.json().get("message").asText()).startsWith("environment: ");

        Reply badId = server.post("/api/v1/customer/integrations/not-a-uuid/heartbeat", "{}", ingestKey);
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.json().get("message").asText()).startsWith("id: ");

        Reply noName = server.post(REGISTER, "{\"environment\":\"x\"}", ingestKey);
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().get("message").asText()).isEqualTo("name: is required");

        RunningServer.Tenant other = server.newTenant("Integrations Other");
        Reply foreign = server.post("/api/v1/customer/integrations/" + id + "/heartbeat", "{}", other.ownerKey());
        Reply missing = server.post("/api/v1/customer/integrations/" + UUID.randomUUID() + "/heartbeat", "{}",
                                    other.ownerKey());
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(server.get(INTEGRATIONS, other.ownerKey()).json().get("integrations")).isEmpty();
        // Nothing of the foreign attempt reached the integration.
        assertThat(listed(acme.ownerKey(), id).getSdkVersion()).isEqualTo("0.2.0");
    }

    @Test
    void guardChecksShowOnTheIntegrationOnceFlushed() {
        String id = server.post(REGISTER, "{\"name\":\"guarded\"}", ingestKey).json().get("id").asText();
        Instant first = server.clock.instant();
        IntegrationTouches touches = server.server.integrationTouches();
        touches.guardChecked(UUID.fromString(acme.id()), id, first);
        touches.guardChecked(UUID.fromString(acme.id()), id, first.plusSeconds(30));
        // Another tenant naming this id touches nothing of acme's.
        touches.guardChecked(UUID.fromString(server.newTenant("Touch Other").id()), id, first.plusSeconds(90));
        touches.flush();
        Integration i = listed(acme.ownerKey(), id);
        assertThat(Times.instant(i.getLastGuardCheckAt())).isEqualTo(first.plusSeconds(30));
        assertThat(i.getStatus()).as("a guard check alone is not a heartbeat or a run")
                .isEqualTo(IntegrationStatus.NEVER_SEEN);
    }

    @Test
    void aGuardCheckCarryingTheIntegrationHeaderIsRecordedOnThatIntegration() {
        String id = server.post(REGISTER, "{\"name\":\"checked-for-real\"}", ingestKey).json().get("id").asText();
        Reply checked = server.send("POST", "/api/v1/guard/check", "{\"model\":\"gpt-4o\",\"feature\":\"chat\"}",
                                    ingestKey, IntegrationTouches.HEADER, id);
        assertThat(checked.status()).isEqualTo(200);
        server.server.integrationTouches().flush();
        assertThat(Times.instant(listed(acme.ownerKey(), id).getLastGuardCheckAt())).isEqualTo(server.clock.instant());
    }

    @Test
    void rolesAndPaging() {
        String viewer = key(acme.ownerKey(), "VIEWER");
        assertThat(server.post(REGISTER, "{\"name\":\"v\"}", viewer).status()).isEqualTo(403);
        assertThat(server.get(INTEGRATIONS, ingestKey).status()).isEqualTo(403);
        assertThat(server.get(INTEGRATIONS, viewer).status()).isEqualTo(200);

        RunningServer.Tenant paged = server.newTenant("Integrations Paged");
        for (int i = 0; i < 5; i++) {
            assertThat(server.post(REGISTER, "{\"name\":\"app-" + i + "\"}", paged.ownerKey()).status()).isEqualTo(200);
            server.clock.advance(Duration.ofSeconds(1));
        }
        JsonNode page1 = server.get(INTEGRATIONS + "?page_size=3", paged.ownerKey()).json();
        assertThat(page1.get("integrations").findValuesAsText("name")).containsExactly("app-4", "app-3", "app-2");
        JsonNode page2 = server.get(INTEGRATIONS + "?page_size=3&page_token=" + page1.get("next_page_token").asText(),
                                    paged.ownerKey()).json();
        assertThat(page2.get("integrations").findValuesAsText("name")).containsExactly("app-1", "app-0");
        assertThat(page2.get("next_page_token").asText()).isEmpty();
        assertThat(server.get(INTEGRATIONS + "?page_size=-1", paged.ownerKey()).json().get("message").asText())
                .startsWith("page_size: ");
    }
}
