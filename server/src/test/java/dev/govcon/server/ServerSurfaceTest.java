package dev.govcon.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.ListApiKeysRequest;
import dev.govcon.proto.v1.ListApiKeysResponse;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;

/** What every caller sees of the server as a whole: transports, docs, metrics, CORS */
class ServerSurfaceTest {
    static RunningServer server;
    static RunningServer.Tenant acme;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        acme = server.newTenant("Surface Acme");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void restAnswersWithProtoFieldNamesAndAcceptsSnakeOrCamelQueryParameters() {
        for (int i = 0; i < 2; i++) {
            server.post("/api/v1/connectivity/api-keys", "{\"name\":\"k" + i + "\",\"role\":\"VIEWER\"}", acme.ownerKey());
        }
        Reply snake = server.get("/api/v1/connectivity/api-keys?page_size=1", acme.ownerKey());
        assertThat(snake.status()).isEqualTo(200);
        JsonNode body = snake.json();
        assertThat(body.get("api_keys")).hasSize(1);
        assertThat(body.get("api_keys").get(0).has("created_at")).isTrue();
        assertThat(body.get("next_page_token").asText()).isNotEmpty();

        Reply camel = server.get("/api/v1/connectivity/api-keys?pageSize=2", acme.ownerKey());
        assertThat(camel.json().get("api_keys")).hasSize(2);
    }

    @Test
    void grpcAndRestServeTheSameData() {
        try (GovconClient client = server.grpc(acme.ownerKey())) {
            ListApiKeysResponse keys = client.connectivity().listApiKeys(ListApiKeysRequest.getDefaultInstance());
            JsonNode rest = server.get("/api/v1/connectivity/api-keys", acme.ownerKey()).json();
            assertThat(rest.get("api_keys")).hasSize(keys.getApiKeysCount());
            assertThat(rest.get("api_keys").get(0).get("id").asText()).isEqualTo(keys.getApiKeys(0).getId());
        }
    }

    @Test
    void healthNeedsNoKeyAndReportsServing() {
        try (GovconClient client = server.grpc(null)) {
            HealthCheckResponse health = HealthGrpc.newBlockingStub(client.channel())
                    .check(HealthCheckRequest.getDefaultInstance());
            assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        }
        assertThat(server.get("/internal/healthcheck", null).status()).isEqualTo(200);
    }

    @Test
    void reflectionListsTheGovconServices() throws Exception {
        try (GovconClient client = server.grpc(null)) {
            java.util.concurrent.CompletableFuture<ServerReflectionResponse> answer = new java.util.concurrent.CompletableFuture<>();
            StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(client.channel())
                    .serverReflectionInfo(new StreamObserver<>() {
                        @Override
                        public void onNext(ServerReflectionResponse value) {
                            answer.complete(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            answer.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
            requests.onCompleted();
            var names = answer.get(10, java.util.concurrent.TimeUnit.SECONDS).getListServicesResponse()
                    .getServiceList().stream().map(s -> s.getName()).toList();
            assertThat(names).contains("govcon.v1.AccountsService", "govcon.v1.RuntimeService",
                                       "govcon.v1.PoliciesService", "grpc.health.v1.Health");
        }
    }

    @Test
    void docsAndMetricsAreServed() {
        assertThat(server.get("/docs/", null).status()).isEqualTo(200);
        Reply specification = server.get("/docs/specification.json", null);
        assertThat(specification.status()).isEqualTo(200);
        assertThat(specification.body()).contains("govcon.v1.AccountsService");

        server.get("/api/v1/accounts/profile", acme.ownerKey());
        Reply metrics = server.get("/metrics", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("govcon_server");
    }

    @Test
    void corsPreflightAllowsABrowserConsole() {
        Reply preflight = server.send("OPTIONS", "/api/v1/accounts/profile", null, null,
                "origin", "https://console.example", "access-control-request-method", "GET",
                "access-control-request-headers", "authorization");
        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.headers().get("access-control-allow-origin")).isNotEmpty();
        assertThat(String.join(",", preflight.headers().get("access-control-allow-headers")))
                .containsIgnoringCase("authorization");

        Reply actual = server.send("GET", "/api/v1/accounts/profile", null, acme.ownerKey(),
                "origin", "https://console.example");
        assertThat(actual.status()).isEqualTo(200);
        assertThat(actual.headers().get("access-control-allow-origin")).isNotEmpty();
    }
}
