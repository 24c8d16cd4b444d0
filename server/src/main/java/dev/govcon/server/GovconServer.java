package dev.govcon.server;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.common.grpc.GrpcMeterIdPrefixFunction;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.docs.DocService;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.healthcheck.HealthCheckService;
import com.linecorp.armeria.server.metric.MetricCollectingService;
import com.linecorp.armeria.server.prometheus.PrometheusExpositionService;

import dev.govcon.proto.GovconApi;
import dev.govcon.restbridge.RestTranscoding;
import dev.govcon.server.accounts.AccountsService;
import dev.govcon.server.admin.AdminService;
import dev.govcon.server.auth.AccessTable;
import dev.govcon.server.auth.ApiKeyAuthenticator;
import dev.govcon.server.auth.AuthInterceptor;
import dev.govcon.server.auth.LastUsedRecorder;
import dev.govcon.server.config.ServerSettings;
import dev.govcon.server.connectivity.ConnectivityService;
import dev.govcon.server.db.ChangeListener;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.UnexpectedErrors;
import dev.govcon.server.jobs.Job;
import dev.govcon.server.jobs.JobScheduler;
import dev.govcon.server.jobs.JobsReads;
import dev.govcon.server.jobs.StaleRunReaper;
import dev.govcon.server.jobs.StandardJobs;
import dev.govcon.server.pending.PendingDomains;
import dev.govcon.server.tenancy.TenantProvisioner;
import io.grpc.BindableService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * One Armeria server on one port: native gRPC, the REST paths transcoded from the same
 * services, gRPC health and reflection, DocService at /docs, Prometheus metrics at /metrics.
 * {@link Main} and the tests both start it through {@link #start}, so tests run the
 * production wiring.
 */
public final class GovconServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GovconServer.class);
    private static final int MAX_REQUEST_BYTES = 8 * 1024 * 1024;


    private final Server server;
    private final ChangeListener changes;
    private final LastUsedRecorder lastUsed;
    private final JobScheduler jobs;     // JOBS
    private final JobsReads jobsReads;   // JOBS

    private GovconServer(Server server, ChangeListener changes, LastUsedRecorder lastUsed,
                         JobScheduler jobs, JobsReads jobsReads) {
        this.server = server;
        this.changes = changes;
        this.lastUsed = lastUsed;
        this.jobs = jobs;
        this.jobsReads = jobsReads;
    }

    /**
     * Starts serving on {@code settings.port()} (0 for a free port); the database stays the
     * caller's. Background jobs run on their own timer (production).
     */
    public static GovconServer start(ServerSettings settings, Database database, Clock clock,
                                     PrometheusMeterRegistry meters) {
        return start(settings, database, clock, meters, JobScheduler.Settings.automatic(), List.of());
    }

    /**
     * As {@link #start(ServerSettings, Database, Clock, PrometheusMeterRegistry)}, choosing how
     * background jobs run: {@link JobScheduler.Settings#manual()} lets tests run them by hand
     * ({@code server.jobs().runNow("rollup-daily")}); {@code extraJobs} are scheduled beside the
     * standard ones ({@link StandardJobs}), replacing any of the same name.
     */
    public static GovconServer start(ServerSettings settings, Database database, Clock clock,
                                     PrometheusMeterRegistry meters, JobScheduler.Settings jobSettings,
                                     List<Job> extraJobs) {
        LastUsedRecorder lastUsed = new LastUsedRecorder(database, settings.lastUsedFlushSeconds());
        ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(database, clock, lastUsed);
        ChangeListener changes = new ChangeListener(database);
        changes.subscribe(authenticator::onChange);
        changes.start();

        // ---- JOBS (dev.govcon.server.jobs): background jobs, one replica at a time ----
        // INTEGRATOR: set the reaper to the ingestion side's, e.g. runIngestor::timeOutStale
        // (and the run timeout from configuration; null is 15 minutes); while it is null the
        // run-reaper job is not scheduled. Hand jobsReads to ActivityService (ListJobs,
        // GetWorkerHealth).
        StaleRunReaper reaper = null;
        List<Job> jobList = new ArrayList<>(StandardJobs.of(reaper, null));
        // An extra job replaces a standard one of the same name (tests pass a fake reaper).
        jobList.removeIf(j -> extraJobs.stream().anyMatch(e -> e.name().equals(j.name())));
        jobList.addAll(extraJobs);
        JobsReads jobsReads = new JobsReads(database, clock);
        // ---- end JOBS (the scheduler starts below, once the server is serving) ----

        ServerBuilder sb = Server.builder().http(settings.port()).meterRegistry(meters);
        configureServices(sb, settings, database, clock, authenticator, meters);
        Server server = sb.build();
        server.start().join();
        JobScheduler jobs = new JobScheduler(database, clock, jobList, jobSettings).start(); // JOBS
        log.info("govcon serving gRPC, REST, /docs and /metrics on port {}", server.activeLocalPort());
        return new GovconServer(server, changes, lastUsed, jobs, jobsReads);
    }

    static void configureServices(ServerBuilder sb, ServerSettings settings, Database database,
                                  Clock clock, ApiKeyAuthenticator authenticator,
                                  PrometheusMeterRegistry meters) {
        List<BindableService> services = new ArrayList<>();
        services.add(new AccountsService(database, clock));
        services.add(new ConnectivityService(database, clock));
        services.add(new AdminService(new TenantProvisioner(database)));
        services.addAll(PendingDomains.services());

        var grpc = RestTranscoding.configure(GrpcService.builder())
                .useBlockingTaskExecutor(true)
                .maxRequestMessageLength(MAX_REQUEST_BYTES)
                .exceptionHandler(new UnexpectedErrors())
                .intercept(new AuthInterceptor(new AccessTable(GovconApi.services()), authenticator,
                                               settings.serverAdminToken()))
                .addService(ProtoReflectionServiceV1.newInstance())
                .enableHealthCheckService(true);
        services.forEach(grpc::addService);

        // Decorators apply inside out: CORS is outermost so that every answer, errors included,
        // carries its headers.
        sb.service(grpc.build(),
                   RestTranscoding.queryParameterCheck(GovconApi.services()),
                   MetricCollectingService.newDecorator(GrpcMeterIdPrefixFunction.of("govcon.server")),
                   RestTranscoding.cors(settings.corsOrigins()));
        sb.errorHandler(RestTranscoding.errorHandler());
        sb.serviceUnder("/docs", DocService.builder().build());
        sb.service("/metrics", PrometheusExpositionService.of(meters.getPrometheusRegistry()));
        sb.service("/internal/healthcheck", HealthCheckService.of());
    }

    public int port() {
        return server.activeLocalPort();
    }

    /** JOBS: the background job scheduler ({@code runNow} for tests and operators). */
    public JobScheduler jobs() {
        return jobs;
    }

    /** JOBS: ListJobs / GetWorkerHealth answers. */
    public JobsReads jobsReads() {
        return jobsReads;
    }

    public static PrometheusMeterRegistry newMeterRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    @Override
    public void close() {
        jobs.close(); // JOBS
        server.stop().join();
        changes.close();
        lastUsed.close();
    }
}
