package dev.govcon.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.govcon.proto.v1.PingRequest;
import dev.govcon.proto.v1.PingResponse;
import dev.govcon.proto.v1.Role;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunningServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * RuntimeService.Ping, the benchmark's no-op: the same gate as CheckGuard (a key with INGEST,
 * or MEMBER and higher), gRPC only.
 */
class PingTest {
    static RunningServer server;
    static final Map<Role, String> keys = new EnumMap<>(Role.class);

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        RunningServer.Tenant t = server.newTenant("Ping Co");
        keys.put(Role.OWNER, t.ownerKey());
        for (Role role : new Role[] {Role.ADMIN, Role.MEMBER, Role.VIEWER, Role.INGEST}) {
            keys.put(role, server.post("/api/v1/connectivity/api-keys",
                                       "{\"name\":\"" + role + " key\",\"role\":\"" + role + "\"}", t.ownerKey())
                    .json().get("secret").asText());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void answersEveryRoleThatMayCheckTheGuardAndRefusesTheOthers() {
        for (Map.Entry<Role, String> key : keys.entrySet()) {
            try (GovconClient client = server.grpc(key.getValue())) {
                if (key.getKey() == Role.VIEWER) {
                    assertThatThrownBy(() -> client.runtime().ping(PingRequest.getDefaultInstance()))
                            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(
                                    e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
                    // The guard refuses a VIEWER the same way.
                    assertThat(server.post("/api/v1/guard/check", "{}", key.getValue()).status()).isEqualTo(403);
                } else {
                    assertThat(client.runtime().ping(PingRequest.getDefaultInstance()))
                            .as(key.getKey().name()).isEqualTo(PingResponse.getDefaultInstance());
                }
            }
        }
    }

    @Test
    void needsAKey() {
        try (GovconClient anonymous = server.grpc(null)) {
            assertThatThrownBy(() -> anonymous.runtime().ping(PingRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                            .isEqualTo(Status.Code.UNAUTHENTICATED));
        }
        try (GovconClient wrong = server.grpc("gck_not-a-real-key")) {
            assertThatThrownBy(() -> wrong.runtime().ping(PingRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                            .isEqualTo(Status.Code.UNAUTHENTICATED));
        }
    }

    @Test
    void hasNoRestPath() {
        int status = server.post("/api/v1/runtime/ping", "{}", keys.get(Role.OWNER)).status();
        assertThat(status).isEqualTo(404);
    }
}
