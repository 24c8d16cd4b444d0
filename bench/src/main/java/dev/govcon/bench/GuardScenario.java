package dev.govcon.bench;

import java.time.Duration;
import java.util.UUID;

import dev.govcon.proto.v1.CheckGuardRequest;
import dev.govcon.proto.v1.CheckGuardResponse;
import dev.govcon.proto.v1.GuardDecision;
import dev.govcon.proto.v1.RuntimeServiceGrpc;
import dev.govcon.sdk.GovconClient;

/** RuntimeService.CheckGuard over gRPC against a tenant with 20 active controls ({@link GuardControls}). */
final class GuardScenario implements Scenario {
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
            UnaryLoad.drive(window, ctx.callers(), ctx.rate(), (caller, n) -> {
                CheckGuardResponse r = stub.checkGuard(requests[(int) ((n * 31 + caller) % requests.length)]);
                if (r.getDecision() != GuardDecision.GUARD_DECISION_ALLOW) {
                    throw new IllegalStateException("decision " + r.getDecision() + ": " + r.getReason());
                }
            });
            return window.result(name(), "calls", measured, ctx.loadNote() + ", one HTTP/2 connection");
        }
    }
}
