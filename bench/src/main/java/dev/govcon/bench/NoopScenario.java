package dev.govcon.bench;

import java.time.Duration;
import java.util.UUID;

import dev.govcon.proto.v1.PingRequest;
import dev.govcon.proto.v1.RuntimeServiceGrpc;
import dev.govcon.sdk.GovconClient;

/**
 * RuntimeService.Ping: the same channel, transport, authentication and access check as a
 * guard check, and no work. The transport's limit that the guard is measured against.
 */
final class NoopScenario implements Scenario {
    @Override
    public String name() {
        return "noop";
    }

    @Override
    public String description() {
        return "RuntimeService.Ping over gRPC: authenticated no-op, the transport limit";
    }

    @Override
    public Result run(BenchContext ctx, Duration warmup, Duration measured) throws Exception {
        BenchContext.Tenant tenant = ctx.newTenant("Bench Noop " + UUID.randomUUID());
        PingRequest ping = PingRequest.getDefaultInstance();
        try (GovconClient client = ctx.unaryClient(tenant.key())) {
            RuntimeServiceGrpc.RuntimeServiceBlockingStub stub = client.runtime();
            Window window = ctx.window(warmup, measured);
            UnaryLoad.drive(window, ctx.callers(), ctx.rate(), (caller, n) -> stub.ping(ping));
            return window.result(name(), "calls", measured, ctx.loadNote() + ", one HTTP/2 connection");
        }
    }
}
