package dev.govcon.bench;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import com.google.protobuf.util.Durations;

import dev.govcon.proto.v1.CheckGuardRequest;
import dev.govcon.proto.v1.CheckGuardResponse;
import dev.govcon.proto.v1.GuardDecision;
import dev.govcon.proto.v1.RuntimeServiceGrpc;
import dev.govcon.sdk.GovconClient;

/** RuntimeService.CheckGuard over gRPC against a tenant with 20 active controls ({@link GuardControls}). */
final class GuardScenario implements Scenario {
    /** The part of the result holding the server-side evaluation times. */
    static final String EVALUATION = "server-side evaluation";

    @Override
    public String name() {
        return "guard";
    }

    @Override
    public String description() {
        return "RuntimeService.CheckGuard over gRPC, 20 active controls (" + GuardControls.MATCHING + " apply)";
    }

    @Override
    public Result run(BenchContext ctx, Duration warmup, Duration measured) throws Exception {
        BenchContext.Tenant tenant = ctx.newTenant("Bench Guard " + UUID.randomUUID());
        try (GovconClient client = ctx.unaryClient(tenant.key())) {
            GuardControls.create(client);
            RuntimeServiceGrpc.RuntimeServiceBlockingStub stub = client.runtime();
            CheckGuardRequest[] requests = new CheckGuardRequest[GuardControls.USERS];
            for (int u = 0; u < requests.length; u++) {
                requests[u] = GuardControls.request(u);
            }
            GuardControls.expect(stub.checkGuard(requests[0]));
            Window window = ctx.window(warmup, measured);
            // The server's own time per decision (the response's evaluation_time): the guard's
            // work without the transport, beside the end-to-end latency.
            Histogram evaluation = new ConcurrentHistogram(60_000_000L, 3);
            UnaryLoad.drive(window, ctx.callers(), ctx.rate(), (caller, n) -> {
                CheckGuardResponse r = stub.checkGuard(requests[(int) ((n * 31 + caller) % requests.length)]);
                if (r.getDecision() != GuardDecision.GUARD_DECISION_ALLOW) {
                    throw new IllegalStateException("decision " + r.getDecision() + ": " + r.getReason());
                }
                if (window.measuring()) {
                    evaluation.recordValue(Math.min(60_000_000L, Durations.toMicros(r.getEvaluationTime())));
                }
            });
            return window.result(name(), "calls", measured, ctx.loadNote() + ", one HTTP/2 connection")
                    .withParts(Map.of(EVALUATION, evaluation));
        }
    }
}
