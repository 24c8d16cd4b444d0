package dev.govcon.sdk;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
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
 * client closes its open recorders first, so their queued runs are sent.
 */
public final class GovconClient implements AutoCloseable {
    private final ManagedChannel channel;
    private final Channel intercepted;
    private final CallCredentials credentials;
    private final Set<RunRecorder> recorders = ConcurrentHashMap.newKeySet();

    private GovconClient(ManagedChannel channel, Duration deadline, String apiKey) {
        this.channel = channel;
        this.intercepted = ClientInterceptors.intercept(channel, new DefaultDeadline(deadline));
        this.credentials = apiKey == null ? null : new ApiKeyCredentials(apiKey);
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
        return new Runs(runtime());
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
        RunRecorder recorder = new RunRecorder(runtimeAsync(), options, recorders::remove);
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

    /** Closes the open recorders (each waiting up to its closeTimeout), then the channel. */
    @Override
    public void close() {
        for (RunRecorder recorder : List.copyOf(recorders)) {
            recorder.close();
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

        private Builder() {
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
                return new GovconClient(this.channel, deadline, apiKey);
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
            return new GovconClient(channel.build(), deadline, apiKey);
        }
    }
}
