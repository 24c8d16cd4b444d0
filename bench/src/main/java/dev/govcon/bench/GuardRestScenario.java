package dev.govcon.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import com.google.protobuf.util.JsonFormat;

import dev.govcon.proto.v1.CheckGuardRequest;
import dev.govcon.sdk.GovconClient;

/**
 * The guard check over REST ({@code POST /api/v1/guard/check}, transcoded to the same gRPC
 * service) with java.net.http over HTTP/1.1, against 20 active controls as in {@code guard}.
 */
final class GuardRestScenario implements Scenario {
    @Override
    public String name() {
        return "guard-rest";
    }

    @Override
    public String description() {
        return "POST /api/v1/guard/check over HTTP/1.1 (java.net.http), 20 active controls";
    }

    @Override
    public Result run(BenchContext ctx, Duration warmup, Duration measured) throws Exception {
        BenchContext.Tenant tenant = ctx.newTenant("Bench Guard REST " + UUID.randomUUID());
        try (GovconClient client = ctx.unaryClient(tenant.key())) {
            GuardControls.create(client);
            GuardControls.expect(client.runtime().checkGuard(GuardControls.request(0)));
        }
        URI uri = URI.create(ctx.baseUrl() + "/api/v1/guard/check");
        HttpRequest[] requests = new HttpRequest[GuardControls.USERS];
        for (int u = 0; u < requests.length; u++) {
            CheckGuardRequest body = GuardControls.request(u);
            requests[u] = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("authorization", "Bearer " + tenant.key()).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JsonFormat.printer().preservingProtoFieldNames()
                                                                    .omittingInsignificantWhitespace().print(body)))
                    .build();
        }
        HttpClient http = BenchContext.http();
        Window window = ctx.window(warmup, measured);
        UnaryLoad.drive(window, ctx.callers(), ctx.rate(), (caller, n) -> {
            HttpResponse<String> r = http.send(requests[(int) ((n * 31 + caller) % requests.length)],
                                               HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || !r.body().contains("GUARD_DECISION_ALLOW")) {
                throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
            }
        });
        return window.result(name(), "calls", measured, ctx.loadNote() + ", a keep-alive connection each");
    }
}
