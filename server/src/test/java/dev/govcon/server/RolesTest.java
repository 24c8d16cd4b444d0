package dev.govcon.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
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

import dev.govcon.proto.v1.ChangeBillingPlanRequest;
import dev.govcon.proto.v1.Role;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunningServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Each role against each kind of RPC: allowed calls get past the gate (200, 400 or 501),
 * refused ones are 403. The expected sets are written out here,
 * independently of the server's table.
 */
class RolesTest {
    static RunningServer server;
    static RunningServer.Tenant acme;
    static final Map<Role, String> keys = new EnumMap<>(Role.class);

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        acme = server.newTenant("Roles Acme");
        keys.put(Role.OWNER, acme.ownerKey());
        for (Role role : new Role[] {Role.ADMIN, Role.MEMBER, Role.VIEWER, Role.INGEST}) {
            var reply = server.post("/api/v1/connectivity/api-keys",
                                    "{\"name\":\"" + role + " key\",\"role\":\"" + role + "\"}", acme.ownerKey());
            keys.put(role, reply.json().get("secret").asText());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static final Set<Role> READERS = Set.of(Role.OWNER, Role.ADMIN, Role.MEMBER, Role.VIEWER);
    static final Set<Role> MEMBERS = Set.of(Role.OWNER, Role.ADMIN, Role.MEMBER);
    static final Set<Role> ADMINS = Set.of(Role.OWNER, Role.ADMIN);
    static final Set<Role> INGESTERS = Set.of(Role.OWNER, Role.ADMIN, Role.MEMBER, Role.INGEST);

    static Stream<Arguments> matrix() {
        return Stream.of(
                Arguments.of("GET", "/api/v1/accounts/profile", null, READERS),
                Arguments.of("GET", "/api/v1/accounts/users", null, READERS),
                Arguments.of("GET", "/api/v1/connectivity/api-keys", null, READERS),
                Arguments.of("PUT", "/api/v1/accounts/profile", "{\"display_name\":\"Acme\"}", ADMINS),
                Arguments.of("POST", "/api/v1/connectivity/api-keys", "{\"name\":\"n\",\"role\":\"INGEST\"}", ADMINS),
                Arguments.of("POST", "/api/v1/accounts/users/invite", "{\"email\":\"EMAIL\",\"role\":\"VIEWER\"}", ADMINS),
                Arguments.of("GET", "/api/v1/accounts/billing/plan", null, ADMINS),
                Arguments.of("POST", "/api/v1/incidents/not-an-id/acknowledge", "{}", MEMBERS),
                Arguments.of("POST", "/api/v1/accounts/support/tickets", "{}", MEMBERS),
                Arguments.of("POST", "/api/v1/activity/runs", "{}", INGESTERS),
                Arguments.of("POST", "/api/v1/guard/check", "{}", INGESTERS));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void eachRoleIsAllowedOrRefused(String method, String path, String body, Set<Role> allowed) {
        for (Role role : keys.keySet()) {
            String b = body == null ? null : body.replace("EMAIL", "p" + UUID.randomUUID() + "@acme.example");
            int status = server.send(method, path, b, keys.get(role)).status();
            if (allowed.contains(role)) {
                // Past the gate: answered by the RPC itself (200, a 400 for the empty body, 501
                // for a domain not built yet), never 401/403 and never a server failure.
                assertThat(status).as("%s %s as %s", method, path, role).isIn(200, 400, 501);
            } else {
                assertThat(status).as("%s %s as %s", method, path, role).isEqualTo(403);
            }
        }
    }

    @Test
    void onlyAnOwnerChangesTheBillingPlanOverGrpc() {
        for (Role role : keys.keySet()) {
            try (GovconClient client = server.grpc(keys.get(role))) {
                ChangeBillingPlanRequest toTeam = ChangeBillingPlanRequest.newBuilder().setPlanId("team").build();
                if (role == Role.OWNER) {
                    assertThat(client.accounts().changeBillingPlan(toTeam).getScheduledPlanId()).isEqualTo("team");
                    continue;
                }
                assertThatThrownBy(() -> client.accounts().changeBillingPlan(toTeam))
                        .as(role.name())
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                                .isEqualTo(Status.Code.PERMISSION_DENIED));
            }
        }
    }

    @Test
    void anAdminCannotMintOrManageKeysAboveItsOwnRole() {
        String admin = keys.get(Role.ADMIN);
        var minted = server.post("/api/v1/connectivity/api-keys", "{\"name\":\"o\",\"role\":\"OWNER\"}", admin);
        assertThat(minted.status()).isEqualTo(403);

        var ownerKeys = server.get("/api/v1/connectivity/api-keys?page_size=1000", admin).json().get("api_keys");
        String ownerKeyId = null;
        for (var k : ownerKeys) {
            if (k.get("role").asText().equals("OWNER")) {
                ownerKeyId = k.get("id").asText();
            }
        }
        assertThat(server.delete("/api/v1/connectivity/api-keys/" + ownerKeyId, admin).status()).isEqualTo(403);
        assertThat(server.post("/api/v1/connectivity/api-keys/" + ownerKeyId + "/rotate", "{}", admin).status())
                .isEqualTo(403);
        // The owner key still works.
        assertThat(server.get("/api/v1/accounts/profile", acme.ownerKey()).status()).isEqualTo(200);
    }

    @Test
    void refusalsSayWhatRoleWasMissing() {
        var reply = server.post("/api/v1/connectivity/api-keys", "{\"name\":\"n\",\"role\":\"INGEST\"}", keys.get(Role.VIEWER));
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().get("message").asText()).contains("VIEWER").contains("ADMIN");
    }
}
