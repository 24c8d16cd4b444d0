package dev.govcon.sdk;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.govcon.proto.v1.AccountsServiceGrpc;
import dev.govcon.proto.v1.ActivityServiceGrpc;
import dev.govcon.proto.v1.AnalyticsServiceGrpc;
import dev.govcon.proto.v1.ConnectivityServiceGrpc;
import dev.govcon.proto.v1.IncidentsServiceGrpc;
import dev.govcon.proto.v1.LogsServiceGrpc;
import dev.govcon.proto.v1.OverviewServiceGrpc;
import dev.govcon.proto.v1.PoliciesServiceGrpc;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RuntimeServiceGrpc;
import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.AbstractStub;

/**
 * The Java client of govcon.
 *
 * <pre>{@code
 * try (GovconClient govcon = GovconClient.builder()
 *         .target("govcon.example.com:443")
 *         .apiKey(System.getenv("GOVCON_API_KEY"))
 *         .build()) {
 *     Profile profile = govcon.accounts().getProfile(GetProfileRequest.getDefaultInstance());
 * }
 * }</pre>
 *
 * <p>Every stub sends the API key, gives each unary call the default deadline unless one is
 * set, and retries UNAVAILABLE with backoff. Blocking stubs are named after the domain
 * ({@link #accounts()}); asynchronous ones (ListenableFuture) end in {@code Async}. One client
 * holds one channel: share it, and close it when done.
 *
 * <p>Run ingestion has typed helpers: {@link #runs()} (blocking start, complete, record) and
 * {@link #newRecorder()}, an asynchronous batching recorder for finished runs. Closing the
 * client closes its open recorders first, so their queued runs are sent. The guard has its
 * own: {@link #guard()} checks a prospective LLM call, and wraps one (check, call, record).
 *
 * <p><b>Integration.</b> Given a name ({@link Builder#integration(String)}), the client
 * registers the application as an integration when built (name, "java", the SDK version, the
 * environment and the host name) and sends a heartbeat every 60 s
 * ({@link Builder#heartbeatInterval}; {@link Builder#heartbeats(boolean) heartbeats(false)}
 * registers only) on a daemon thread, until closed; the console then shows it CONNECTED. It
 * never holds up or breaks the client: a failure is logged and tried again at the next beat.
 * Once registered, every call carries the header {@value #INTEGRATION_HEADER}, and runs that
 * name no integration are given this one ({@link #runs()}, {@link #newRecorder()}). A run
 * completed with {@link Runs} before registration succeeded and retried after it differs in
 * its integration id, which the server reports as a contradicting completion; the recorder
 * retries the very runs it queued, so it never does.
 */
public final class GovconClient implements AutoCloseable {
    /** The metadata header naming the calling integration, once registered. */
    public static final String INTEGRATION_HEADER = "govcon-integration-id";

    private final ManagedChannel channel;
    private final Channel intercepted;
    private final CallCredentials credentials;
    private final Set<RunRecorder> recorders = ConcurrentHashMap.newKeySet();
    private final IntegrationHeartbeat heartbeat;
    /** Retries completions {@link Guard#call} could not deliver; made on first need. */
    private volatile RunRecorder guardRetries;

    private GovconClient(ManagedChannel channel, Builder b) {
        this.channel = channel;
        this.credentials = b.apiKey == null ? null : new ApiKeyCredentials(b.apiKey);
        if (b.integrationName == null) {
            this.heartbeat = null;
            this.intercepted = ClientInterceptors.intercept(channel, new DefaultDeadline(b.deadline));
        } else {
            Holder holder = new Holder();
            this.intercepted = ClientInterceptors.intercept(channel, new DefaultDeadline(b.deadline),
                                                            new IntegrationHeader(holder::id));
            this.heartbeat = new IntegrationHeartbeat(connectivity(), b.integrationName, b.environment,
                                                      b.heartbeatInterval, b.heartbeats);
            holder.heartbeat = heartbeat;
            heartbeat.start();
        }
    }

    /** Lets the header interceptor, built before the heartbeat, read its id. */
    private static final class Holder {
        private volatile IntegrationHeartbeat heartbeat;

        String id() {
            IntegrationHeartbeat h = heartbeat;
            return h == null ? null : h.integrationId().orElse(null);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private <S extends AbstractStub<S>> S withKey(S stub) {
        return credentials == null ? stub : stub.withCallCredentials(credentials);
    }

    public AccountsServiceGrpc.AccountsServiceBlockingStub accounts() {
        return withKey(AccountsServiceGrpc.newBlockingStub(intercepted));
    }

    public AccountsServiceGrpc.AccountsServiceFutureStub accountsAsync() {
        return withKey(AccountsServiceGrpc.newFutureStub(intercepted));
    }

    public ConnectivityServiceGrpc.ConnectivityServiceBlockingStub connectivity() {
        return withKey(ConnectivityServiceGrpc.newBlockingStub(intercepted));
    }

    public ConnectivityServiceGrpc.ConnectivityServiceFutureStub connectivityAsync() {
        return withKey(ConnectivityServiceGrpc.newFutureStub(intercepted));
    }

    /** The SDK hot path: guard checks and run ingestion. */
    public RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
        return withKey(RuntimeServiceGrpc.newBlockingStub(intercepted));
    }

    public RuntimeServiceGrpc.RuntimeServiceFutureStub runtimeAsync() {
        return withKey(RuntimeServiceGrpc.newFutureStub(intercepted));
    }

    /** Streaming ingestion needs the callback stub. */
    public RuntimeServiceGrpc.RuntimeServiceStub runtimeStreaming() {
        return withKey(RuntimeServiceGrpc.newStub(intercepted));
    }

    /** Blocking, typed run ingestion: start, complete and record (batch) runs. */
    public Runs runs() {
        return new Runs(runtime(), this::stamp);
    }

    /**
     * The guard: {@link Guard#check} before an LLM call, or {@link Guard#call} to check, make
     * the call and record its run in one (synchronously, on the calling thread).
     */
    public Guard guard() {
        return new Guard(runtime(), runs(), this::guardRetries);
    }

    private RunRecorder guardRetries() {
        RunRecorder r = guardRetries;
        if (r == null) {
            synchronized (this) {
                r = guardRetries;
                if (r == null) {
                    r = newRecorder();
                    guardRetries = r;
                }
            }
        }
        return r;
    }

    /** The integration id given by the server, once this client has registered. */
    public Optional<String> integrationId() {
        return heartbeat == null ? Optional.empty() : heartbeat.integrationId();
    }

    /**
     * Registers (if not yet done) and sends a heartbeat now, besides the schedule, and waits
     * for it (and for the registration started by {@code build()}); true when it worked. For
     * tests and for a readiness check at start-up.
     *
     * @throws IllegalStateException when the client was built without {@link Builder#integration}
     */
    public boolean heartbeatNow() {
        if (heartbeat == null) {
            throw new IllegalStateException("no integration: build the client with integration(name)");
        }
        return heartbeat.beatNow();
    }

    /** Gives a run that names no integration this client's, once registered. */
    private Run stamp(Run run) {
        Optional<String> id = integrationId();
        if (id.isEmpty() || !run.getIntegrationId().isEmpty()) {
            return run;
        }
        return run.toBuilder().setIntegrationId(id.get()).build();
    }

    /** A new asynchronous batching recorder of finished runs, with default options. */
    public RunRecorder newRecorder() {
        return newRecorder(RecorderOptions.defaults());
    }

    /**
     * A new asynchronous batching recorder of finished runs (see {@link RunRecorder}). Each
     * recorder has its own queue and thread: make one per application and share it. Close it
     * (or this client) at shutdown so queued runs are sent.
     */
    public RunRecorder newRecorder(RecorderOptions options) {
        Objects.requireNonNull(options, "options");
        RunRecorder recorder = new RunRecorder(runtimeAsync(), options, recorders::remove, this::stamp);
        recorders.add(recorder);
        return recorder;
    }

    public OverviewServiceGrpc.OverviewServiceBlockingStub overview() {
        return withKey(OverviewServiceGrpc.newBlockingStub(intercepted));
    }

    public ActivityServiceGrpc.ActivityServiceBlockingStub activity() {
        return withKey(ActivityServiceGrpc.newBlockingStub(intercepted));
    }

    public IncidentsServiceGrpc.IncidentsServiceBlockingStub incidents() {
        return withKey(IncidentsServiceGrpc.newBlockingStub(intercepted));
    }

    public PoliciesServiceGrpc.PoliciesServiceBlockingStub policies() {
        return withKey(PoliciesServiceGrpc.newBlockingStub(intercepted));
    }

    public LogsServiceGrpc.LogsServiceBlockingStub logs() {
        return withKey(LogsServiceGrpc.newBlockingStub(intercepted));
    }

    public AnalyticsServiceGrpc.AnalyticsServiceBlockingStub analytics() {
        return withKey(AnalyticsServiceGrpc.newBlockingStub(intercepted));
    }

    /** The underlying channel (with the default deadline), for stubs this class does not offer. */
    public Channel channel() {
        return intercepted;
    }

    /** Closes the open recorders (each waiting up to its closeTimeout), stops heartbeats, then the channel. */
    @Override
    public void close() {
        for (RunRecorder recorder : List.copyOf(recorders)) {
            recorder.close();
        }
        if (heartbeat != null) {
            heartbeat.close();
        }
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    public static final class Builder {
        private String target;
        private String apiKey;
        private boolean plaintext;
        private Duration deadline = Duration.ofSeconds(10);
        private int maxAttempts = 4;
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(2);
        private ManagedChannel channel;
        private String integrationName;
        private String environment = "default";
        private Duration heartbeatInterval = Duration.ofSeconds(60);
        private boolean heartbeats = true;

        private Builder() {
        }

        /**
         * Registers this application as the integration {@code name} when the client is built,
         * and sends heartbeats while it is open (see the class comment). Without it, nothing is
         * registered.
         */
        public Builder integration(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("integration name must not be blank");
            }
            this.integrationName = name;
            return this;
        }

        /** The integration's environment, e.g. "production" (default "default"). */
        public Builder environment(String environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** How often the integration sends a heartbeat (default 60 s; the server counts 5 minutes). */
        public Builder heartbeatInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("heartbeat interval must be positive");
            }
            this.heartbeatInterval = interval;
            return this;
        }

        /** False: register only, send no heartbeats (default true). */
        public Builder heartbeats(boolean on) {
            this.heartbeats = on;
            return this;
        }

        /** {@code host:port}, or any grpc-java target URI ({@code dns:///host:port}). */
        public Builder target(String target) {
            this.target = Objects.requireNonNull(target, "target");
            return this;
        }

        public Builder target(String host, int port) {
            return target(host + ":" + port);
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /** Without TLS: for a server on localhost or inside a trusted network only. */
        public Builder plaintext() {
            this.plaintext = true;
            return this;
        }

        /** Deadline of each unary call that does not set its own (default 10 s). */
        public Builder defaultDeadline(Duration deadline) {
            this.deadline = Objects.requireNonNull(deadline, "deadline");
            return this;
        }

        /** Attempts per call for UNAVAILABLE, including the first (default 4; 1 disables retries). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = Objects.requireNonNull(initial, "initial");
            this.maxBackoff = Objects.requireNonNull(max, "max");
            return this;
        }

        /**
         * Uses this channel instead of building one, for tests (an in-process channel) and
         * custom transports. target, plaintext, maxAttempts and backoff are then ignored:
         * configure them on the channel. The API key and default deadline still apply. The
         * client owns the channel and shuts it down on {@link GovconClient#close()}.
         */
        public Builder channel(ManagedChannel channel) {
            this.channel = Objects.requireNonNull(channel, "channel");
            return this;
        }

        public GovconClient build() {
            if (this.channel != null) {
                return new GovconClient(this.channel, this);
            }
            if (target == null) {
                throw new IllegalStateException("target (or channel) is required");
            }
            ManagedChannelBuilder<?> channel = ManagedChannelBuilder.forTarget(target)
                    .userAgent("govcon-java-sdk/" + SdkVersion.CURRENT);
            if (plaintext) {
                channel.usePlaintext();
            } else {
                channel.useTransportSecurity();
            }
            if (maxAttempts > 1) {
                channel.defaultServiceConfig(RetryPolicy.serviceConfig(maxAttempts, initialBackoff, maxBackoff))
                       .enableRetry()
                       .maxRetryAttempts(maxAttempts);
            } else {
                channel.disableRetry();
            }
            return new GovconClient(channel.build(), this);
        }
    }
}
