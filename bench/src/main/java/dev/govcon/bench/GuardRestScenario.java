package dev.govcon.bench;

import java.time.Duration;
import java.util.UUID;

import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.MediaType;

import dev.govcon.sdk.GovconClient;

/**
 * The guard check over REST ({@code POST /api/v1/guard/check}, transcoded to the same gRPC
 * service) with Armeria's client over one HTTP/2 connection (h2c), as the gRPC scenarios, against
 * 20 active controls as in {@code guard}.
 */
final class GuardRestScenario implements Scenario {
    @Override
    public String name() {
        return "guard-rest";
    }

    @Override
    public String description() {
        return "POST /api/v1/guard/check over HTTP/2 (h2c), 20 active controls";
    }

    @Override
    public Result run(BenchContext ctx, Duration warmup, Duration measured) throws Exception {
        BenchContext.Tenant tenant = ctx.newTenant("Bench Guard REST " + UUID.randomUUID());
        try (GovconClient client = ctx.unaryClient(tenant.key())) {
            GuardControls.create(client);
            GuardControls.expect(client.runtime().checkGuard(GuardControls.request(0)));
        }
        String[] bodies = new String[GuardControls.USERS];
        for (int u = 0; u < bodies.length; u++) {
            bodies[u] = JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace()
                    .print(GuardControls.request(u));
        }
        BlockingWebClient http = ctx.http2();
        String auth = "Bearer " + tenant.key();
        Window window = ctx.window(warmup, measured);
        UnaryLoad.drive(window, ctx.callers(), ctx.rate(), (caller, n) -> {
            AggregatedHttpResponse r = http.prepare().post("/api/v1/guard/check")
                    .header(HttpHeaderNames.AUTHORIZATION, auth)
                    .content(MediaType.JSON_UTF_8, bodies[(int) ((n * 31 + caller) % bodies.length)]).execute();
            if (r.status().code() != 200 || !r.contentUtf8().contains("GUARD_DECISION_ALLOW")) {
                throw new IllegalStateException("HTTP " + r.status() + ": " + r.contentUtf8());
            }
        });
        return window.result(name(), "calls", measured, ctx.loadNote() + ", one HTTP/2 connection (h2c)");
    }
}
