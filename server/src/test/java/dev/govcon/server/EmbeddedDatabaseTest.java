package dev.govcon.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.CreateTenantRequest;
import dev.govcon.server.db.Database;
import dev.govcon.server.db.DatabaseSettings;
import dev.govcon.server.tenancy.TenantMapper;
import dev.govcon.server.tenancy.TenantProvisioner;
import dev.govcon.server.testing.TestDatabase;

/** The embedded PostgreSQL keeps its data in its folder across restarts (and starts as root). */
class EmbeddedDatabaseTest {

    @Test
    void dataSurvivesARestartWithTheSameDataFolder() {
        Path folder = TestDatabase.tempDir("govcon-restart");
        DatabaseSettings settings = new DatabaseSettings(null, null, null, folder, 4);
        String tenantId;
        try (Database first = Database.open(settings, null)) {
            tenantId = new TenantProvisioner(first).create(CreateTenantRequest.newBuilder()
                    .setName("Persistent").setOwnerEmail("owner@persistent.example").build(),
                    Actor.newBuilder().setType(Actor.Type.SYSTEM).setId("test").build()).getTenantId();
        }
        try (Database second = Database.open(settings, null)) {
            var row = second.read(s -> s.getMapper(TenantMapper.class).find(UUID.fromString(tenantId)));
            assertThat(row).isNotNull();
            assertThat(row.name()).isEqualTo("Persistent");
        }
    }
}
