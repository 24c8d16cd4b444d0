package dev.govcon.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.GetProfileRequest;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunningServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Who gets in: no key, a wrong key, revoked and rotated keys, on REST and gRPC, across replicas. */
class AuthenticationTest {
    static RunningServer server;
    static RunningServer.Tenant acme;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        acme = server.newTenant("Auth Acme");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void noKeyIsUnauthenticated() {
        var reply = server.get("/api/v1/accounts/profile", null);
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().get("message").asText()).contains("authorization");
        assertGrpcCode(null, Status.Code.UNAUTHENTICATED);
    }

    @Test
    void wrongKeysAreUnauthenticated() {
        String real = acme.ownerKey();
        String tampered = real.substring(0, real.length() - 1) + (real.endsWith("A") ? "B" : "A");
        for (String bad : new String[] {"nonsense", "gck_" + "0".repeat(32) + "_" + "A".repeat(40), tampered}) {
            assertThat(server.get("/api/v1/accounts/profile", bad).status()).as(bad).isEqualTo(401);
            assertGrpcCode(bad, Status.Code.UNAUTHENTICATED);
        }
        assertThat(server.send("GET", "/api/v1/accounts/profile", null, null, "authorization", "Basic abc").status())
                .isEqualTo(401);
    }

    @Test
    void theOwnerKeyReadsItsOwnTenant() {
        JsonNode profile = server.get("/api/v1/accounts/profile", acme.ownerKey()).json();
        assertThat(profile.get("tenant_id").asText()).isEqualTo(acme.id());
        assertThat(profile.get("name").asText()).isEqualTo("Auth Acme");
        try (GovconClient client = server.grpc(acme.ownerKey())) {
            assertThat(client.accounts().getProfile(GetProfileRequest.getDefaultInstance()).getTenantId())
                    .isEqualTo(acme.id());
        }
    }

    @Test
    void aRevokedKeyStopsWorkingAtOnce() {
        JsonNode created = createKey("to revoke", "ADMIN");
        String secret = created.get("secret").asText();
        assertThat(server.get("/api/v1/accounts/profile", secret).status()).isEqualTo(200);

        String id = created.get("api_key").get("id").asText();
        JsonNode revoked = server.delete("/api/v1/connectivity/api-keys/" + id, acme.ownerKey()).json();
        assertThat(revoked.get("active").asBoolean()).isFalse();
        assertThat(revoked.has("revoked_at")).isTrue();

        awaitStatus(server, secret, 401, Duration.ofSeconds(2));
        assertGrpcCode(secret, Status.Code.UNAUTHENTICATED);
    }

    @Test
    void aRevocationReachesAnotherReplicaWithinASecond() {
        try (RunningServer replica = RunningServer.start(server.database)) {
            JsonNode created = createKey("two replicas", "VIEWER");
            String secret = created.get("secret").asText();
            // Both replicas have the key cached.
            assertThat(server.get("/api/v1/accounts/profile", secret).status()).isEqualTo(200);
            assertThat(replica.get("/api/v1/accounts/profile", secret).status()).isEqualTo(200);

            server.delete("/api/v1/connectivity/api-keys/" + created.get("api_key").get("id").asText(), acme.ownerKey());
            long started = System.nanoTime();
            awaitStatus(replica, secret, 401, Duration.ofSeconds(2));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void aRotatedKeyKeepsWorkingThroughItsGracePeriodThenStops() {
        JsonNode created = createKey("to rotate", "MEMBER");
        String oldSecret = created.get("secret").asText();
        String oldId = created.get("api_key").get("id").asText();

        JsonNode rotated = server.post("/api/v1/connectivity/api-keys/" + oldId + "/rotate", "{}", acme.ownerKey()).json();
        String newSecret = rotated.get("secret").asText();
        assertThat(newSecret).isNotEqualTo(oldSecret);
        assertThat(rotated.get("api_key").get("rotated_from_id").asText()).isEqualTo(oldId);
        assertThat(rotated.get("api_key").get("role").asText()).isEqualTo("MEMBER");

        // Inside the default 24 h grace period both secrets work.
        server.clock.advance(Duration.ofHours(23));
        assertThat(server.get("/api/v1/accounts/profile", oldSecret).status()).isEqualTo(200);
        assertThat(server.get("/api/v1/accounts/profile", newSecret).status()).isEqualTo(200);

        // After it, only the new one does.
        server.clock.advance(Duration.ofHours(2));
        assertThat(server.get("/api/v1/accounts/profile", oldSecret).status()).isEqualTo(401);
        assertThat(server.get("/api/v1/accounts/profile", newSecret).status()).isEqualTo(200);
        assertGrpcCode(oldSecret, Status.Code.UNAUTHENTICATED);
    }

    @Test
    void aRotationWithZeroGraceStopsTheOldSecretImmediately() {
        JsonNode created = createKey("rotate now", "VIEWER");
        String oldSecret = created.get("secret").asText();
        JsonNode rotated = server.post("/api/v1/connectivity/api-keys/" + created.get("api_key").get("id").asText()
                                       + "/rotate", "{\"grace_period\":\"0s\"}", acme.ownerKey()).json();
        awaitStatus(server, oldSecret, 401, Duration.ofSeconds(2));
        assertThat(server.get("/api/v1/accounts/profile", rotated.get("secret").asText()).status()).isEqualTo(200);
    }

    @Test
    void lastUsedIsRecordedWithoutAWritePerRequest() throws Exception {
        JsonNode created = createKey("usage", "VIEWER");
        String id = created.get("api_key").get("id").asText();
        for (int i = 0; i < 5; i++) {
            server.get("/api/v1/accounts/profile", created.get("secret").asText());
        }
        // Flushed in the background every second (in tests); poll the list until it shows.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        JsonNode key = null;
        while (System.nanoTime() < deadline) {
            for (JsonNode k : server.get("/api/v1/connectivity/api-keys?page_size=1000", acme.ownerKey()).json().get("api_keys")) {
                if (k.get("id").asText().equals(id) && k.has("last_used_at")) {
                    key = k;
                }
            }
            if (key != null) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(key).as("last_used_at recorded").isNotNull();
        assertThat(Instant.parse(key.get("last_used_at").asText())).isAfter(Instant.now().minusSeconds(3600));
    }

    private static JsonNode createKey(String name, String role) {
        var reply = server.post("/api/v1/connectivity/api-keys",
                                "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}", acme.ownerKey());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    static void awaitStatus(RunningServer target, String key, int status, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        int last;
        do {
            last = target.get("/api/v1/accounts/profile", key).status();
            if (last == status) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        } while (System.nanoTime() < deadline);
        assertThat(last).as("status within " + within).isEqualTo(status);
    }

    private static void assertGrpcCode(String key, Status.Code code) {
        try (GovconClient client = server.grpc(key)) {
            assertThatThrownBy(() -> client.accounts().getProfile(GetProfileRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                                            e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
        }
    }
}
