package dev.govcon.server;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.CreateTenantRequest;
import dev.govcon.proto.v1.CreateTenantResponse;
import dev.govcon.server.activity.ingest.RunIngestor;
import dev.govcon.server.activity.pricing.PriceBook;
import dev.govcon.server.config.DatabaseOptions;
import dev.govcon.server.config.ServerSettings;
import dev.govcon.server.db.Database;
import dev.govcon.server.demo.DemoData;
import dev.govcon.server.tenancy.TenantProvisioner;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code govcon-server [options]} serves; {@code govcon-server tenant create ...} bootstraps. */
@Command(name = "govcon-server", mixinStandardHelpOptions = true, version = "govcon 0.1.0",
         description = "Serves govcon: gRPC, REST, /docs and /metrics on one port.",
         subcommands = Main.TenantCommand.class)
public final class Main implements Callable<Integer> {
    static final Actor COMMAND_LINE = Actor.newBuilder().setType(Actor.Type.SERVER_ADMIN)
            .setId("cli").setLabel("govcon-server command line").build();

    /**
     * PostgreSQL keeps microseconds and rounds finer times, so a time computed in Java could be
     * stored later than it was; a clock that ticks in microseconds keeps the two equal.
     */
    static final Clock DATABASE_PRECISION_CLOCK = Clock.tick(Clock.systemUTC(), java.time.Duration.ofNanos(1000));

    @Mixin
    DatabaseOptions database;

    @Option(names = "--port", defaultValue = "${env:GOVCON_PORT:-8080}",
            description = "Port for gRPC, REST, /docs and /metrics (env GOVCON_PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--admin-token", defaultValue = "${env:GOVCON_ADMIN_TOKEN}",
            description = "Bearer token of the gRPC AdminService for internal services (env "
                          + "GOVCON_ADMIN_TOKEN). Without it the admin service refuses every call.")
    String adminToken;

    @Option(names = "--cors-origin", split = ",", defaultValue = "${env:GOVCON_CORS_ORIGINS:-*}",
            description = "Origins a browser console may call from, comma-separated "
                          + "(env GOVCON_CORS_ORIGINS, default any).")
    List<String> corsOrigins;

    @Option(names = "--run-timeout", defaultValue = "${env:GOVCON_RUN_TIMEOUT:-PT15M}",
            description = "How long a run may stay RUNNING before the reaper marks it TIMED_OUT, as an "
                          + "ISO-8601 duration (env GOVCON_RUN_TIMEOUT, default ${DEFAULT-VALUE}).")
    java.time.Duration runTimeout;

    @Option(names = "--demo", description = "Create the demo tenant with a week of runs (once) and print an OWNER key for it.")
    boolean demo;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrometheusMeterRegistry meters = GovconServer.newMeterRegistry();
        Database db = Database.open(database.settings(), meters);
        if (demo) {
            TenantProvisioner.DemoAccess access = new TenantProvisioner(db).ensureDemo(COMMAND_LINE);
            System.out.println((access.createdNow() ? "Created the demo tenant " : "Demo tenant ")
                               + access.tenantId());
            if (access.createdNow()) {
                try (RunIngestor ingestor = new RunIngestor(db, DATABASE_PRECISION_CLOCK, new PriceBook(db))) {
                    long runs = new DemoData(ingestor, DATABASE_PRECISION_CLOCK).load(access.tenantId(), 7, 2000, 42);
                    System.out.println("Loaded " + runs + " demo runs over the last 7 days");
                }
            }
            System.out.println("Demo OWNER key (shown once): " + access.apiKey());
        }
        GovconServer server = GovconServer.start(
                new ServerSettings(port, adminToken, corsOrigins, 5, runTimeout), db, DATABASE_PRECISION_CLOCK, meters);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            db.close();
            stopped.countDown();
        }, "govcon-shutdown"));
        System.out.println("govcon listening on http://localhost:" + server.port()
                           + "  (REST /api/v1/..., gRPC, /docs, /metrics)");
        stopped.await();
        return 0;
    }

    @Command(name = "tenant", mixinStandardHelpOptions = true, description = "Manage tenants.",
             subcommands = CreateTenantCommand.class)
    static final class TenantCommand {
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
             description = "Create a tenant and print its id and an OWNER key (shown once).")
    static final class CreateTenantCommand implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Option(names = "--name", required = true, description = "The organisation's name.")
        String name;

        @Option(names = "--owner-email", required = true, description = "E-mail of the first OWNER.")
        String ownerEmail;

        @Option(names = "--time-zone", defaultValue = "UTC",
                description = "IANA time zone for day and month boundaries (default ${DEFAULT-VALUE}).")
        String timeZone;

        @Override
        public Integer call() {
            try (Database db = Database.open(database.settings(), null)) {
                CreateTenantResponse created = new TenantProvisioner(db).create(
                        CreateTenantRequest.newBuilder().setName(name).setOwnerEmail(ownerEmail)
                                .setTimeZone(timeZone).build(), COMMAND_LINE);
                System.out.println("tenant_id: " + created.getTenantId());
                System.out.println("owner_user_id: " + created.getOwnerUserId());
                System.out.println("owner_api_key (shown once): " + created.getOwnerApiKeySecret());
                return 0;
            } catch (io.grpc.StatusRuntimeException e) {
                System.err.println("error: " + e.getStatus().getDescription());
                return 2;
            }
        }
    }
}
