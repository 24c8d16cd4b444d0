package dev.govcon.server.connectivity;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.google.protobuf.util.Durations;

import dev.govcon.proto.v1.HeartbeatRequest;
import dev.govcon.proto.v1.HeartbeatResponse;
import dev.govcon.proto.v1.Integration;
import dev.govcon.proto.v1.ListIntegrationsRequest;
import dev.govcon.proto.v1.ListIntegrationsResponse;
import dev.govcon.proto.v1.RegisterIntegrationRequest;
import dev.govcon.server.audit.AuditLedger;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.paging.Page;
import dev.govcon.server.wire.Times;

/**
 * Integrations: SDK instances that register (idempotent on name and environment) and send
 * heartbeats. Only a new registration is audited: an SDK registers on every start, and those
 * repeats change nothing a person decided.
 */
final class IntegrationsLogic {
    static final String DEFAULT_ENVIRONMENT = "default";
    private static final int MAX_NAME = 200;
    private static final int MAX_LABEL = 64;
    private static final int MAX_HOST = 255;

    private final Database database;
    private final Clock clock;

    IntegrationsLogic(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    Integration register(Principal caller, RegisterIntegrationRequest req) {
        String name = Validate.required("name", req.getName(), MAX_NAME);
        String language = Validate.optional("sdk_language", req.getSdkLanguage(), MAX_LABEL);
        String version = Validate.optional("sdk_version", req.getSdkVersion(), MAX_LABEL);
        String environment = Validate.optional("environment", req.getEnvironment(), MAX_LABEL);
        String host = Validate.optional("host", req.getHost(), MAX_HOST);
        String env = environment.isEmpty() ? DEFAULT_ENVIRONMENT : environment;
        Instant now = clock.instant();
        return database.inTransaction(s -> {
            IntegrationMapper m = s.getMapper(IntegrationMapper.class);
            IntegrationMapper.Registered registered = m.register(caller.tenantId(), UUID.randomUUID(), name, env,
                                                                 language, version, host, now);
            Integration integration = proto(m.find(caller.tenantId(), registered.integrationId()), now);
            if (registered.created()) {
                AuditLedger.record(s, caller.tenantId(), caller.actor(), "integration.registered", "integration",
                                   integration.getId(), null, integration);
            }
            return integration;
        });
    }

    HeartbeatResponse heartbeat(Principal caller, HeartbeatRequest req) {
        UUID id = Validate.id("id", req.getId());
        String version = Validate.optional("sdk_version", req.getSdkVersion(), MAX_LABEL);
        String environment = Validate.optional("environment", req.getEnvironment(), MAX_LABEL);
        Instant now = clock.instant();
        Integration integration = database.inTransaction(s -> {
            IntegrationMapper m = s.getMapper(IntegrationMapper.class);
            IntegrationRow row = m.find(caller.tenantId(), id);
            if (row == null) {
                throw Errors.notFound("integration", id);
            }
            // The environment is part of what the integration is; another one is another integration.
            if (!environment.isEmpty() && !environment.equals(row.environment())) {
                throw Errors.invalid("environment", "integration " + id + " is registered in '" + row.environment()
                                                    + "'; register again for '" + environment + "'");
            }
            m.heartbeat(caller.tenantId(), id, version, now);
            return proto(m.find(caller.tenantId(), id), now);
        });
        return HeartbeatResponse.newBuilder()
                .setIntegration(integration)
                .setNextHeartbeatIn(Durations.fromMillis(IntegrationLiveness.HEARTBEAT_INTERVAL.toMillis()))
                .build();
    }

    ListIntegrationsResponse list(Principal caller, ListIntegrationsRequest req) {
        int size = Page.size(req.getPageSize());
        Page.Cursor after = Page.cursor(req.getPageToken());
        String environment = Validate.optional("environment", req.getEnvironment(), MAX_LABEL);
        Instant now = clock.instant();
        List<IntegrationRow> rows = database.read(s -> s.getMapper(IntegrationMapper.class).list(
                caller.tenantId(), environment, after == null ? null : after.at(), after == null ? null : after.id(),
                size + 1));
        ListIntegrationsResponse.Builder out = ListIntegrationsResponse.newBuilder()
                .setCurrentSdkVersion(SdkVersions.CURRENT_JAVA);
        rows.stream().limit(size).forEach(r -> out.addIntegrations(proto(r, now)));
        out.setNextPageToken(Page.nextToken(rows, size,
                                            last -> new Page.Cursor(last.registeredAt(), last.integrationId()).encode()));
        return out.build();
    }

    static Integration proto(IntegrationRow r, Instant now) {
        Instant lastRun = r.lastRunAt();
        Integration.Builder b = Integration.newBuilder()
                .setId(r.integrationId().toString())
                .setName(r.name())
                .setSdkLanguage(r.sdkLanguage())
                .setSdkVersion(r.sdkVersion())
                .setEnvironment(r.environment())
                .setHost(r.host())
                .setStatus(IntegrationLiveness.status(r.lastHeartbeatAt(), lastRun, now))
                .setSdkOutdated(SdkVersions.outdated(r.sdkLanguage(), r.sdkVersion()));
        Times.setIfPresent(r.registeredAt(), b::setRegisteredAt);
        Times.setIfPresent(r.lastHeartbeatAt(), b::setLastHeartbeatAt);
        Times.setIfPresent(lastRun, b::setLastRunAt);
        Times.setIfPresent(r.lastGuardCheckAt(), b::setLastGuardCheckAt);
        return b.build();
    }
}
