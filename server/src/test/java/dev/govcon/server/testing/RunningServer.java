package dev.govcon.server.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.govcon.proto.v1.CreateTenantRequest;
import dev.govcon.proto.v1.CreateTenantResponse;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.GovconServer;
import dev.govcon.server.config.ServerSettings;
import dev.govcon.server.db.Database;
import dev.govcon.server.jobs.JobScheduler;
import dev.govcon.server.tenancy.TenantProvisioner;

/**
 * A real govcon server on a free port, wired exactly as in production, with a clock the test
 * controls, plus real clients: the SDK over gRPC and java.net.http over REST.
 */
public final class RunningServer implements AutoCloseable {
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    public final Database database;
    public final MutableClock clock;
    public final GovconServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private RunningServer(Database database, MutableClock clock, GovconServer server) {
        this.database = database;
        this.clock = clock;
        this.server = server;
    }

    public static RunningServer start() {
        return start(TestDatabase.shared());
    }

    public static RunningServer start(Database database) {
        return start(database, MutableClock.ofNow());
    }

    /** Several servers on one database with one clock behave as replicas of one cluster. */
    public static RunningServer start(Database database, MutableClock clock) {
        return start(database, clock, List.of());
    }

    /** With {@code extraJobs} scheduled beside the standard ones. */
    public static RunningServer start(Database database, MutableClock clock, List<dev.govcon.server.jobs.Job> extraJobs) {
        // Background jobs run only when a test asks (server.jobs().runNow(...)).
        GovconServer server = GovconServer.start(new ServerSettings(0, ADMIN_TOKEN, List.of("*"), 1),
                                                 database, clock, GovconServer.newMeterRegistry(),
                                                 JobScheduler.Settings.manual(), extraJobs);
        return new RunningServer(database, clock, server);
    }

    public int port() {
        return server.port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** A fresh tenant with its OWNER. */
    public Tenant newTenant(String name) {
        CreateTenantResponse created = new TenantProvisioner(database).create(
                CreateTenantRequest.newBuilder().setName(name)
                        .setOwnerEmail("owner@" + name.toLowerCase().replaceAll("[^a-z0-9]", "") + ".example")
                        .build(),
                dev.govcon.proto.v1.Actor.newBuilder().setType(dev.govcon.proto.v1.Actor.Type.SYSTEM)
                        .setId("test").build());
        return new Tenant(created.getTenantId(), created.getOwnerUserId(), created.getOwnerApiKeySecret());
    }

    public record Tenant(String id, String ownerUserId, String ownerKey) {
    }

    public GovconClient grpc(String apiKey) {
        GovconClient.Builder b = GovconClient.builder().target("127.0.0.1", port()).plaintext().maxAttempts(1);
        if (apiKey != null) {
            b.apiKey(apiKey);
        }
        return b.build();
    }

    public Reply get(String path, String apiKey) {
        return send("GET", path, null, apiKey);
    }

    public Reply post(String path, String body, String apiKey) {
        return send("POST", path, body, apiKey);
    }

    public Reply put(String path, String body, String apiKey) {
        return send("PUT", path, body, apiKey);
    }

    public Reply delete(String path, String apiKey) {
        return send("DELETE", path, null, apiKey);
    }

    /** {@code headers} are name, value pairs. */
    public Reply send(String method, String path, String body, String apiKey, String... headers) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                             : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            req.header("content-type", "application/json");
        }
        if (apiKey != null) {
            req.header("authorization", "Bearer " + apiKey);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            req.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(res.statusCode(), res.body(), res.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Reply(int status, String body, java.util.Map<String, List<String>> headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body.isEmpty() ? "{}" : body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (" + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
