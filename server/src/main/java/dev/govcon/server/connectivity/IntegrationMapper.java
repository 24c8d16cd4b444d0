package dev.govcon.server.connectivity;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

public interface IntegrationMapper extends Mapper {

    /** What registering did: the integration's id, and whether the row is new. */
    record Registered(UUID integrationId, boolean created) {
    }

    /**
     * Inserts the integration, or, when (name, environment) is registered already, refreshes
     * its SDK language, version and host (those sent non-empty) and keeps its id.
     */
    Registered register(@Param("tenantId") UUID tenantId, @Param("integrationId") UUID integrationId,
                        @Param("name") String name, @Param("environment") String environment,
                        @Param("sdkLanguage") String sdkLanguage, @Param("sdkVersion") String sdkVersion,
                        @Param("host") String host, @Param("now") Instant now);

    IntegrationRow find(@Param("tenantId") UUID tenantId, @Param("integrationId") UUID integrationId);

    /** Records a heartbeat; the SDK version only when sent. Returns the rows updated (0: unknown id). */
    int heartbeat(@Param("tenantId") UUID tenantId, @Param("integrationId") UUID integrationId,
                  @Param("sdkVersion") String sdkVersion, @Param("at") Instant at);

    /** Newest registered first, after the (registeredAt, id) cursor when given. */
    List<IntegrationRow> list(@Param("tenantId") UUID tenantId, @Param("environment") String environment,
                              @Param("afterAt") Instant afterAt, @Param("afterId") UUID afterId,
                              @Param("limit") int limit);

    /** Guard checks of one integration in a flush interval: the first and the last. */
    record GuardTouch(UUID tenantId, UUID integrationId, Instant first, Instant last) {
    }

    int touchGuardChecks(@Param("touches") Collection<GuardTouch> touches);

    /** The first guard check of a tenant, with or without an integration. */
    record TenantFirstCheck(UUID tenantId, Instant at) {
    }

    int recordFirstGuardChecks(@Param("firsts") Collection<TenantFirstCheck> firsts);
}
