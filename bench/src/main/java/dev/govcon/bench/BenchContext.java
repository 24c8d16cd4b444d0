package dev.govcon.bench;

import java.time.Duration;

import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;

import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.CreateTenantRequest;
import dev.govcon.proto.v1.CreateTenantResponse;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.db.Database;
import dev.govcon.server.tenancy.TenantProvisioner;

/**
 * The database and the server process under test, the load's shape, and a fresh tenant for
 * each scenario. {@code database} is the load generator's own pool (tenants, the COPY
 * baseline, the history of the read scenarios).
 *
 * @param callers     threads with one unary call in flight each (no-op, guard, reads)
 * @param rate        target calls per second of the unary scenarios; 0 = as fast as answered
 * @param readsScale  multiplies the history sizes of the read scenarios (the smoke test shrinks them)
 * @param historyDays days of history the read scenarios load
 * @param readers     concurrent readers of the read scenarios, one pass each: the first is the scenario's
 *                    figure, the others (such as a single reader) are reported beside it
 * @param loadThreads concurrent callers of ingestion loading the read scenarios' history
 * @param jit         watches the compilers of the server and the load generator
 * @param settleMax   how much longer than the warm-up a scenario may warm up waiting for the JIT to
 *                    settle; zero for a fixed warm-up
 */
record BenchContext(Database database, int serverPort, CpuMeter cpu, int batchSize, int concurrency, int callers,
                    double rate, double readsScale, int historyDays, java.util.List<Integer> readers,
                    int loadThreads, JitWatch jit, Duration settleMax) {

    record Tenant(String id, String key) {
    }

    Tenant newTenant(String name) {
        CreateTenantResponse created = new TenantProvisioner(database).create(CreateTenantRequest.newBuilder()
                .setName(name).setOwnerEmail("bench@" + name.toLowerCase().replaceAll("[^a-z0-9]", "") + ".example")
                .build(), Actor.newBuilder().setType(Actor.Type.SYSTEM).setId("bench").build());
        return new Tenant(created.getTenantId(), created.getOwnerApiKeySecret());
    }

    GovconClient client(String key) {
        return GovconClient.builder().target("127.0.0.1", serverPort).plaintext().apiKey(key).build();
    }

    /** For the unary scenarios: no retries, so a failed call counts as an error, not as a slow success. */
    GovconClient unaryClient(String key) {
        return GovconClient.builder().target("127.0.0.1", serverPort).plaintext().apiKey(key).maxAttempts(1).build();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + serverPort;
    }

    /**
     * REST over HTTP/1.1 (as a browser's console talks to a load balancer), a pooled keep-alive
     * connection per caller. Armeria's client, not java.net.http, which was the bottleneck of the
     * first REST measurements (see docs/PERFORMANCE.md).
     */
    BlockingWebClient http() {
        return WebClient.builder("h1c://127.0.0.1:" + serverPort).responseTimeout(Duration.ofSeconds(30)).build()
                .blocking();
    }

    /**
     * REST over one HTTP/2 connection (h2c, prior knowledge), the transport the gRPC scenarios
     * use: REST vs gRPC then differs only by what REST adds (JSON and transcoding), not by
     * HTTP/1.1's framing. Browsers reach a TLS-terminated server over HTTP/2 as well.
     */
    BlockingWebClient http2() {
        return WebClient.builder("h2c://127.0.0.1:" + serverPort).responseTimeout(Duration.ofSeconds(30)).build()
                .blocking();
    }

    /** The measured window of a scenario: after the warm-up, once the JIT has settled (up to settleMax more). */
    Window window(Duration warmup, Duration measured) {
        return settleMax.isZero() ? fixedWindow(warmup, measured)
                                  : new Window(warmup, settleMax, measured, cpu, jit);
    }

    /** For scenarios that time their own passes from a known start: exactly {@code warmup}. */
    Window fixedWindow(Duration warmup, Duration measured) {
        return new Window(warmup, measured, cpu);
    }

    String loadNote() {
        return loadNote(callers);
    }

    String loadNote(int threads) {
        return threads + (threads == 1 ? " caller, " : " callers, ")
               + (rate > 0 ? String.format("target %,.0f/s", rate) : "unthrottled");
    }
}
