package dev.govcon.bench;

import java.time.Duration;

import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.CreateTenantRequest;
import dev.govcon.proto.v1.CreateTenantResponse;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.db.Database;
import dev.govcon.server.tenancy.TenantProvisioner;

/**
 * The database and the server process under test, and a fresh tenant for each scenario.
 * {@code database} is the load generator's own pool (tenants, the COPY baseline).
 */
record BenchContext(Database database, int serverPort, CpuMeter cpu, int batchSize, int concurrency) {

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

    Window window(Duration warmup, Duration measured) {
        return new Window(warmup, measured, cpu);
    }
}
