package dev.govcon.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.govcon.proto.v1.AdminServiceGrpc;
import dev.govcon.proto.v1.CreateTenantRequest;
import dev.govcon.proto.v1.CreateTenantResponse;
import dev.govcon.proto.v1.Actor;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.tenancy.TenantProvisioner;
import dev.govcon.server.testing.RunningServer;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import picocli.CommandLine;

/** The ways a tenant comes to exist: the command line, the admin gRPC service, --demo. */
class BootstrapTest {
    static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theCommandLineCreatesATenantAndPrintsAWorkingOwnerKeyOnce() {
        List<String> args = new ArrayList<>(List.of("tenant", "create", "--name", "ACME",
                "--owner-email", "a@acme.example", "--time-zone", "Europe/Berlin",
                "--db-url", server.database.jdbcUrl(), "--db-user", server.database.user()));
        if (!server.database.password().isEmpty()) {
            args.addAll(List.of("--db-password", server.database.password()));
        }
        Run run = run(args.toArray(String[]::new));
        assertThat(run.exitCode).as(run.out).isZero();
        Matcher key = Pattern.compile("owner_api_key \\(shown once\\): (\\S+)").matcher(run.out);
        assertThat(key.find()).as(run.out).isTrue();
        Matcher tenant = Pattern.compile("tenant_id: (\\S+)").matcher(run.out);
        assertThat(tenant.find()).isTrue();

        var profile = server.get("/api/v1/accounts/profile", key.group(1)).json();
        assertThat(profile.get("tenant_id").asText()).isEqualTo(tenant.group(1));
        assertThat(profile.get("name").asText()).isEqualTo("ACME");
        assertThat(profile.get("time_zone").asText()).isEqualTo("Europe/Berlin");
        var users = server.get("/api/v1/accounts/users", key.group(1)).json().get("users");
        assertThat(users).hasSize(1);
        assertThat(users.get(0).get("role").asText()).isEqualTo("OWNER");
        assertThat(users.get(0).get("email").asText()).isEqualTo("a@acme.example");
    }

    @Test
    void theCommandLineExplainsItselfAndRejectsBadInput() {
        Run help = run("--help");
        assertThat(help.exitCode).isZero();
        assertThat(help.out).contains("--db-url", "--data-dir", "--demo", "--port", "GOVCON_DB_URL");

        Run bad = run("tenant", "create", "--name", "X", "--owner-email", "not-an-email",
                      "--db-url", server.database.jdbcUrl(), "--db-user", server.database.user());
        assertThat(bad.exitCode).isEqualTo(2);
        assertThat(bad.err).contains("owner_email");
    }

    @Test
    void theAdminServiceCreatesTenantsForTheAdminTokenOnly() {
        CreateTenantRequest request = CreateTenantRequest.newBuilder().setName("Internal Co")
                .setOwnerEmail("root@internal.example").build();
        try (GovconClient client = server.grpc(null)) {
            CreateTenantResponse created = admin(client, RunningServer.ADMIN_TOKEN).createTenant(request);
            assertThat(server.get("/api/v1/accounts/profile", created.getOwnerApiKeySecret()).json()
                               .get("name").asText()).isEqualTo("Internal Co");

            String tenantOwnerKey = created.getOwnerApiKeySecret();
            for (String wrong : new String[] {"wrong-token", tenantOwnerKey}) {
                assertThatThrownBy(() -> admin(client, wrong).createTenant(request))
                        .isInstanceOfSatisfying(StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
            }
            assertThatThrownBy(() -> admin(client, RunningServer.ADMIN_TOKEN)
                    .createTenant(request.toBuilder().clearName().build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).startsWith("name");
                    });
        }
    }

    @Test
    void theDemoTenantIsCreatedOnceAndEachStartGetsAFreshKey() {
        TenantProvisioner provisioner = new TenantProvisioner(server.database);
        Actor cli = Actor.newBuilder().setType(Actor.Type.SERVER_ADMIN).setId("test").build();
        TenantProvisioner.DemoAccess first = provisioner.ensureDemo(cli);
        TenantProvisioner.DemoAccess second = provisioner.ensureDemo(cli);
        assertThat(second.tenantId()).isEqualTo(first.tenantId());
        assertThat(second.createdNow()).isFalse();
        assertThat(second.apiKey()).isNotEqualTo(first.apiKey());
        for (String key : List.of(first.apiKey(), second.apiKey())) {
            assertThat(server.get("/api/v1/accounts/profile", key).json().get("tenant_id").asText())
                    .isEqualTo(first.tenantId().toString());
        }
    }

    @Test
    void demoDataIsAWeekOfRunsWrittenThroughIngestion() {
        var t = server.newTenant("Demo Data Co");
        long loaded;
        try (var ingestor = new dev.govcon.server.activity.ingest.RunIngestor(server.database, server.clock,
                new dev.govcon.server.activity.pricing.PriceBook(server.database))) {
            loaded = new dev.govcon.server.demo.DemoData(ingestor, server.clock)
                    .load(java.util.UUID.fromString(t.id()), 7, 100, 7);
        }
        // About 100 runs a weekday, fewer at weekends and in today's remaining hours.
        assertThat(loaded).isBetween(300L, 800L);
        var summary = server.get("/api/v1/activity/runs/completed/summary?start_time="
                                 + server.clock.instant().minus(java.time.Duration.ofDays(8)) + "&end_time="
                                 + server.clock.instant().plusSeconds(3600), t.ownerKey()).json();
        assertThat(summary.get("runs").asLong()).isEqualTo(loaded);
        assertThat(summary.get("failed_runs").asLong()).isPositive();
        assertThat(summary.get("cost_micros").asLong()).isPositive();
        assertThat(server.get("/api/v1/activity/runs/live/count", t.ownerKey()).json().get("count").asLong())
                .isEqualTo(5);
    }

    private static AdminServiceGrpc.AdminServiceBlockingStub admin(GovconClient client, String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return AdminServiceGrpc.newBlockingStub(client.channel())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = new CommandLine(new Main());
            int code = cli.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
