package dev.govcon.sdk;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.govcon.proto.v1.ConnectivityServiceGrpc;
import dev.govcon.proto.v1.HeartbeatRequest;
import dev.govcon.proto.v1.RegisterIntegrationRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Registers the application as an integration and keeps it CONNECTED: on
 * {@link #start()} (from {@link GovconClient.Builder#build()}) a daemon thread
 * ({@value #THREAD_NAME}) registers at once (name, "java", {@link SdkVersion#CURRENT},
 * environment, host name) and sends a first heartbeat, then a heartbeat every interval until
 * the client is closed. With heartbeats switched off it registers only.
 *
 * <p>Nothing here can break the client: a failed registration or heartbeat is logged (WARNING
 * the first time, FINE while it keeps failing) and tried again at the next beat. A heartbeat
 * answered NOT_FOUND registers again. Once registered, the id is what {@link IntegrationHeader}
 * sends with every call and what runs that name no integration are given.
 */
final class IntegrationHeartbeat implements AutoCloseable {
    static final String THREAD_NAME = "govcon-heartbeat";
    private static final Logger log = Logger.getLogger(IntegrationHeartbeat.class.getName());

    private final ConnectivityServiceGrpc.ConnectivityServiceBlockingStub stub;
    private final String name;
    private final String environment;
    private final Duration interval;
    private final boolean heartbeats;
    private final ScheduledExecutorService timer;
    private volatile String integrationId;
    /** Only touched on the heartbeat thread. */
    private boolean failing;

    IntegrationHeartbeat(ConnectivityServiceGrpc.ConnectivityServiceBlockingStub stub, String name,
                         String environment, Duration interval, boolean heartbeats) {
        this.stub = stub;
        this.name = name;
        this.environment = environment;
        this.interval = interval;
        this.heartbeats = heartbeats;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        long millis = interval.toMillis();
        timer.scheduleWithFixedDelay(this::beatQuietly, 0, millis, TimeUnit.MILLISECONDS);
    }

    Optional<String> integrationId() {
        return Optional.ofNullable(integrationId);
    }

    /**
     * One beat as soon as the heartbeat thread is free, waiting for it: queued behind the beat
     * of start-up, so after it returns that one is done too. False when it failed or the client
     * is closed.
     */
    boolean beatNow() {
        try {
            return timer.submit(this::beat).get();
        } catch (RejectedExecutionException e) {
            return false;
        } catch (ExecutionException e) {
            log.log(Level.WARNING, "govcon integration " + name + ": heartbeat failed", e.getCause());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Registers if not yet registered, then (heartbeats on) sends a heartbeat; only ever on the
     * heartbeat thread. True when all of it succeeded.
     */
    private boolean beat() {
        try {
            if (integrationId == null) {
                register();
            }
            if (heartbeats) {
                heartbeat();
            }
            if (failing) {
                log.info("govcon integration " + name + " reaches the server again");
            }
            failing = false;
            return true;
        } catch (StatusRuntimeException e) {
            log.log(failing ? Level.FINE : Level.WARNING,
                    "govcon integration " + name + ": " + (integrationId == null ? "registration" : "heartbeat")
                    + " failed (" + e.getStatus().getCode() + "); trying again in " + interval, e);
            failing = true;
            return false;
        }
    }

    private void register() {
        integrationId = stub.registerIntegration(RegisterIntegrationRequest.newBuilder()
                .setName(name)
                .setSdkLanguage("java")
                .setSdkVersion(SdkVersion.CURRENT)
                .setEnvironment(environment)
                .setHost(hostName())
                .build()).getId();
    }

    private void heartbeat() {
        HeartbeatRequest req = HeartbeatRequest.newBuilder().setId(integrationId).setSdkVersion(SdkVersion.CURRENT)
                .setEnvironment(environment).build();
        try {
            stub.heartbeat(req);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
            register();
            stub.heartbeat(req.toBuilder().setId(integrationId).build());
        }
    }

    private void beatQuietly() {
        try {
            beat();
        } catch (RuntimeException e) {
            log.log(Level.WARNING, "govcon integration " + name + ": heartbeat failed", e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "";
        }
    }

    /** Stops the schedule, interrupting a beat in flight, and waits (up to a second) for the thread to end. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
