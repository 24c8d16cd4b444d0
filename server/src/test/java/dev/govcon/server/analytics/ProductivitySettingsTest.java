package dev.govcon.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.protobuf.Duration;

import dev.govcon.proto.v1.CreateApiKeyRequest;
import dev.govcon.proto.v1.ListProductivitySettingsRequest;
import dev.govcon.proto.v1.ListProductivitySettingsResponse;
import dev.govcon.proto.v1.ProductivitySetting;
import dev.govcon.proto.v1.Role;
import dev.govcon.proto.v1.UpsertProductivitySettingRequest;
import dev.govcon.proto.v1.UpsertProductivitySettingResponse;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The per-feature settings: create, replace, list by feature with paging, audit, roles, tenants. */
class ProductivitySettingsTest {
    static RunningServer server;
    static RunningServer.Tenant acme;
    static GovconClient owner;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        acme = server.newTenant("Productivity Settings");
        owner = server.grpc(acme.ownerKey());
    }

    @AfterAll
    static void stop() {
        owner.close();
        server.close();
    }

    static UpsertProductivitySettingResponse upsert(GovconClient c, String feature, long seconds, String why) {
        return c.analytics().upsertProductivitySetting(UpsertProductivitySettingRequest.newBuilder().setSetting(
                ProductivitySetting.newBuilder().setFeature(feature).setRationale(why)
                        .setTimeSavedPerRun(Duration.newBuilder().setSeconds(seconds))).build());
    }

    @Test
    void createdThenReplacedListedByFeatureAndAudited() {
        UpsertProductivitySettingResponse first = upsert(owner, "search", 120, "a study");
        assertThat(first.getCreated()).isTrue();
        assertThat(first.getSetting().getTimeSavedPerRun().getSeconds()).isEqualTo(120);
        assertThat(first.getSetting().getUpdatedBy().getId()).isNotEmpty();
        UpsertProductivitySettingResponse second = upsert(owner, "search", 90, "a second study");
        assertThat(second.getCreated()).isFalse();
        assertThat(second.getSetting().getRationale()).isEqualTo("a second study");
        upsert(owner, "chat", 30, "");
        upsert(owner, "agent", 600, "");

        ListProductivitySettingsResponse page = owner.analytics().listProductivitySettings(
                ListProductivitySettingsRequest.newBuilder().setPageSize(2).build());
        assertThat(page.getSettingsList()).extracting(ProductivitySetting::getFeature).containsExactly("agent", "chat");
        ListProductivitySettingsResponse rest = owner.analytics().listProductivitySettings(
                ListProductivitySettingsRequest.newBuilder().setPageSize(2).setPageToken(page.getNextPageToken()).build());
        assertThat(rest.getSettingsList()).extracting(s -> s.getFeature() + " " + s.getTimeSavedPerRun().getSeconds())
                .containsExactly("search 90");
        assertThat(rest.getNextPageToken()).isEmpty();

        RunFixtures sql = new RunFixtures(server.database.dataSource());
        UUID tenant = UUID.fromString(acme.id());
        assertThat(sql.queryLong("SELECT count(*) FROM audit_ledger WHERE tenant_id = ? AND resource_type = "
                                 + "'productivity_setting' AND action = 'productivity_setting.created'", tenant)).isEqualTo(3);
        assertThat(sql.queryLong("SELECT count(*) FROM audit_ledger WHERE tenant_id = ? AND resource_id = 'search' AND "
                                 + "action = 'productivity_setting.updated' AND (before_state ->> 'time_saved_per_run') = "
                                 + "'120s' AND (after_state ->> 'time_saved_per_run') = '90s'", tenant)).isEqualTo(1);
    }

    @Test
    void aViewerReadsButCannotWriteAndTenantsSeeOnlyTheirOwn() {
        upsert(owner, "translate", 45, "");
        String viewerKey = owner.connectivity().createApiKey(CreateApiKeyRequest.newBuilder().setName("viewer")
                .setRole(Role.VIEWER).build()).getSecret();
        try (GovconClient viewer = server.grpc(viewerKey)) {
            assertThat(viewer.analytics().listProductivitySettings(ListProductivitySettingsRequest.getDefaultInstance())
                               .getSettingsList()).extracting(ProductivitySetting::getFeature).contains("translate");
            assertThatThrownBy(() -> upsert(viewer, "translate", 10, ""))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        }
        RunningServer.Tenant other = server.newTenant("Productivity Settings Other");
        try (GovconClient c = server.grpc(other.ownerKey())) {
            assertThat(c.analytics().listProductivitySettings(ListProductivitySettingsRequest.getDefaultInstance())
                               .getSettingsList()).isEmpty();
        }
    }
}
