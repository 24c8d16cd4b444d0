package dev.govcon.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.govcon.proto.v1.ConnectivityServiceGrpc;
import dev.govcon.proto.v1.HeartbeatRequest;
import dev.govcon.proto.v1.HeartbeatResponse;
import dev.govcon.proto.v1.Integration;
import dev.govcon.proto.v1.RegisterIntegrationRequest;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;

/**
 * Registration and heartbeats against an in-process server that fails on demand: a failing
 * server never breaks the client, registration is retried at the next beat, and once
 * registered every call names the integration. (The server module tests the same SDK against
 * a real govcon server.)
 */
@Timeout(20)
class IntegrationHeartbeatTest {
    private static final Metadata.Key<String> HEADER =
            Metadata.Key.of(GovconClient.INTEGRATION_HEADER, Metadata.ASCII_STRING_MARSHALLER);

    private final FakeRuntimeService runtime = new FakeRuntimeService();
    private final List<RegisterIntegrationRequest> registrations = new CopyOnWriteArrayList<>();
    private final List<HeartbeatRequest> heartbeats = new CopyOnWriteArrayList<>();
    /** The integration header of each call, by method ("" when absent). */
    private final List<String> headers = new CopyOnWriteArrayList<>();
    private final AtomicInteger failRegistrations = new AtomicInteger();
    private final AtomicInteger notFoundHeartbeats = new AtomicInteger();
    private Server server;
    private String name;

    private final ConnectivityServiceGrpc.ConnectivityServiceImplBase connectivity =
            new ConnectivityServiceGrpc.ConnectivityServiceImplBase() {
                @Override
                public void registerIntegration(RegisterIntegrationRequest request, StreamObserver<Integration> response) {
                    registrations.add(request);
                    if (failRegistrations.getAndDecrement() > 0) {
                        response.onError(Status.UNAVAILABLE.withDescription("down").asRuntimeException());
                        return;
                    }
                    response.onNext(Integration.newBuilder().setId("id-" + registrations.size())
                                            .setName(request.getName()).build());
                    response.onCompleted();
                }

                @Override
                public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
                    heartbeats.add(request);
                    if (notFoundHeartbeats.getAndDecrement() > 0) {
                        response.onError(Status.NOT_FOUND.asRuntimeException());
                        return;
                    }
                    response.onNext(HeartbeatResponse.getDefaultInstance());
                    response.onCompleted();
                }
            };

    @BeforeEach
    void start() throws Exception {
        name = "govcon-heartbeat-" + UUID.randomUUID();
        ServerInterceptor capture = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata h,
                                                              ServerCallHandler<Q, R> next) {
                headers.add(call.getMethodDescriptor().getBareMethodName() + "=" + (h.containsKey(HEADER) ? h.get(HEADER) : ""));
                return next.startCall(call, h);
            }
        };
        server = InProcessServerBuilder.forName(name)
                .addService(ServerInterceptors.intercept(connectivity, capture))
                .addService(ServerInterceptors.intercept(runtime, capture))
                .build().start();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private GovconClient.Builder client() {
        return GovconClient.builder().channel(InProcessChannelBuilder.forName(name).disableRetry().build())
                .apiKey("k").heartbeatInterval(Duration.ofHours(1));
    }

    @Test
    void registersOnBuildThenHeartbeatsAndNamesItselfOnEveryCall() {
        try (GovconClient client = client().integration("checkout").environment("production").build()) {
            assertThat(client.heartbeatNow()).isTrue();
            assertThat(client.integrationId()).contains("id-1");
            assertThat(registrations).hasSize(1);
            RegisterIntegrationRequest r = registrations.get(0);
            assertThat(r.getName()).isEqualTo("checkout");
            assertThat(r.getSdkLanguage()).isEqualTo("java");
            assertThat(r.getSdkVersion()).isEqualTo(SdkVersion.CURRENT);
            assertThat(r.getEnvironment()).isEqualTo("production");
            // The start-up beat and the one asked for: two heartbeats, one registration.
            assertThat(heartbeats).hasSize(2).allSatisfy(h -> assertThat(h.getId()).isEqualTo("id-1"));

            client.runs().complete("r-1", Run.newBuilder().setModel("gpt-4o").setStatus(RunStatus.SUCCEEDED).build());
            assertThat(runtime.stored.get("r-1").getIntegrationId()).as("stamped").isEqualTo("id-1");
            client.runs().complete("r-2", Run.newBuilder().setModel("gpt-4o").setIntegrationId("mine")
                    .setStatus(RunStatus.SUCCEEDED).build());
            assertThat(runtime.stored.get("r-2").getIntegrationId()).as("the caller's wins").isEqualTo("mine");
            assertThat(headers).contains("RegisterIntegration=", "CompleteRun=id-1");
        }
    }

    @Test
    void aServerThatFailsNeverBreaksTheClientAndRegistrationIsRetried() {
        failRegistrations.set(2);
        try (GovconClient client = client().integration("flaky").build()) {
            assertThat(client.heartbeatNow()).as("second attempt still refused").isFalse();
            assertThat(client.integrationId()).isEmpty();
            // The client works meanwhile, and its runs name no integration.
            client.runs().complete("early", Run.newBuilder().setModel("gpt-4o").setStatus(RunStatus.SUCCEEDED).build());
            assertThat(runtime.stored.get("early").getIntegrationId()).isEmpty();
            assertThat(headers).contains("CompleteRun=");

            assertThat(client.heartbeatNow()).isTrue();
            assertThat(client.integrationId()).contains("id-3");
            assertThat(registrations).hasSize(3);
        }
    }

    @Test
    void aHeartbeatForAnUnknownIntegrationRegistersAgain() {
        try (GovconClient client = client().integration("forgotten").build()) {
            assertThat(client.heartbeatNow()).isTrue();
            notFoundHeartbeats.set(1);
            assertThat(client.heartbeatNow()).isTrue();
            assertThat(registrations).hasSize(2);
            assertThat(client.integrationId()).contains("id-2");
            assertThat(heartbeats.get(heartbeats.size() - 1).getId()).isEqualTo("id-2");
        }
    }

    @Test
    void withHeartbeatsOffItRegistersOnlyAndWithoutANameNothingAtAll() {
        try (GovconClient client = client().integration("quiet").heartbeats(false).build()) {
            assertThat(client.heartbeatNow()).isTrue();
            assertThat(client.heartbeatNow()).isTrue();
            assertThat(registrations).hasSize(1);
            assertThat(heartbeats).isEmpty();
        }
        try (GovconClient plain = client().build()) {
            assertThat(plain.integrationId()).isEmpty();
            plain.runs().complete("plain", Run.newBuilder().setModel("gpt-4o").setStatus(RunStatus.SUCCEEDED).build());
        }
        assertThat(registrations).hasSize(1);
        assertThat(headers).contains("CompleteRun=");
        assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(IntegrationHeartbeat.THREAD_NAME) && t.isAlive()))
                .as("closed clients stop their heartbeat thread").isEmpty();
    }
}
