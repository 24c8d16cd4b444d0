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
import dev.govcon.server.accounts.InvoiceJob;
import dev.govcon.server.accounts.PlanCatalogue;
import dev.govcon.server.activity.ActivityService;
import dev.govcon.server.activity.ingest.RunIngestor;
import dev.govcon.server.activity.pricing.PriceBook;
import dev.govcon.server.admin.AdminService;
import dev.govcon.server.analytics.AnalyticsService;
import dev.govcon.server.auth.AccessTable;
import dev.govcon.server.auth.ApiKeyAuthenticator;
import dev.govcon.server.auth.AuthInterceptor;
import dev.govcon.server.auth.LastUsedRecorder;
import dev.govcon.server.config.ServerSettings;
import dev.govcon.server.connectivity.ConnectivityService;
import dev.govcon.server.connectivity.IntegrationTouches;
import dev.govcon.server.db.ChangeListener;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.UnexpectedErrors;
import dev.govcon.server.guard.Guard;
import dev.govcon.server.incidents.IncidentEngineJob;
import dev.govcon.server.incidents.IncidentsService;
import dev.govcon.server.jobs.Job;
import dev.govcon.server.jobs.JobScheduler;
import dev.govcon.server.jobs.JobsReads;
import dev.govcon.server.jobs.StandardJobs;
import dev.govcon.server.lessons.LessonMinerJob;
import dev.govcon.server.logs.LogsService;
import dev.govcon.server.overview.OverviewService;
import dev.govcon.server.signals.SignalsDetectJob;
import dev.govcon.server.policies.PoliciesService;
import dev.govcon.server.policies.RunMarksJob;
import dev.govcon.server.runtime.RuntimeService;
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
    private final JobScheduler jobs;
    private final JobsReads jobsReads;
    private final Guard guard;
    private final IntegrationTouches integrationTouches;
    /** Closed in reverse order of creation when the server stops. */
    private final List<AutoCloseable> parts;

    private GovconServer(Server server, JobScheduler jobs, JobsReads jobsReads, Guard guard,
                         IntegrationTouches integrationTouches,
                         List<AutoCloseable> parts) {
        this.server = server;
        this.guard = guard;
        this.jobs = jobs;
        this.jobsReads = jobsReads;
        this.integrationTouches = integrationTouches;
        this.parts = parts;
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
        List<AutoCloseable> parts = new ArrayList<>();
        LastUsedRecorder lastUsed = add(parts, new LastUsedRecorder(database, settings.lastUsedFlushSeconds()));
        ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(database, clock, lastUsed);
        PriceBook prices = new PriceBook(database);
        RunIngestor ingestor = add(parts, new RunIngestor(database, clock, prices));
        ChangeListener changes = add(parts, new ChangeListener(database));
        changes.subscribe(authenticator::onChange);
        changes.subscribe(prices::onChange);
        Guard guard = add(parts, new Guard(database, clock, prices, settings.runTimeout()));
        guard.start(changes, ingestor);
        changes.start();
        // Connectivity and billing (issue 8).
        IntegrationTouches integrationTouches =
                add(parts, new IntegrationTouches(database, settings.lastUsedFlushSeconds()));
        PlanCatalogue plans = PlanCatalogue.shipped();

        List<BindableService> services = new ArrayList<>();
        services.add(new AccountsService(database, clock, plans));
        services.add(new ConnectivityService(database, clock));
        services.add(new AdminService(new TenantProvisioner(database)));
        services.add(new RuntimeService(ingestor, guard, integrationTouches, clock));
        JobsReads jobsReads = new JobsReads(database, clock);
        services.add(new ActivityService(database, clock, prices, jobsReads));
        services.add(new LogsService(database, clock));
        services.add(new PoliciesService(database, clock));
        services.add(new IncidentsService(database, clock));
        services.add(new OverviewService(database, clock, jobsReads));
        services.add(new AnalyticsService(database, clock));

        ServerBuilder sb = Server.builder().http(settings.port()).meterRegistry(meters);
        configureServices(sb, settings, services, authenticator, meters);
        Server server = sb.build();
        server.start().join();

        List<Job> jobList = new ArrayList<>(StandardJobs.of(ingestor::timeOutStale, settings.runTimeout()));
        jobList.add(new InvoiceJob(plans));
        jobList.add(new SignalsDetectJob());
        jobList.add(new IncidentEngineJob());
        jobList.add(new LessonMinerJob());
        jobList.add(new RunMarksJob());
        jobList.removeIf(j -> extraJobs.stream().anyMatch(e -> e.name().equals(j.name())));
        jobList.addAll(extraJobs);
        JobScheduler jobs = new JobScheduler(database, clock, jobList, jobSettings).start();
        log.info("govcon serving gRPC, REST, /docs and /metrics on port {}", server.activeLocalPort());
        return new GovconServer(server, jobs, jobsReads, guard, integrationTouches, parts);
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> parts, T part) {
        parts.add(part);
        return part;
    }

    static void configureServices(ServerBuilder sb, ServerSettings settings, List<BindableService> services,
                                  ApiKeyAuthenticator authenticator, PrometheusMeterRegistry meters) {

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

    /** The background job scheduler ({@code runNow} for tests and operators). */
    /** The guard, for tests that expire reservations or flush violations without waiting. */
    public Guard guard() {
        return guard;
    }

    public JobScheduler jobs() {
        return jobs;
    }

    /** What ListJobs and GetWorkerHealth answer. */
    public JobsReads jobsReads() {
        return jobsReads;
    }

    /** Where the guard reports checks per integration (header {@value IntegrationTouches#HEADER}). */
    public IntegrationTouches integrationTouches() {
        return integrationTouches;
    }

    public static PrometheusMeterRegistry newMeterRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    @Override
    public void close() {
        jobs.close();
        server.stop().join();
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                log.warn("Could not close {}", parts.get(i), e);
            }
        }
    }
}
