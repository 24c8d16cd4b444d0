package dev.govcon.server.tenancy;

import java.util.UUID;

import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.CreateTenantRequest;
import dev.govcon.proto.v1.CreateTenantResponse;
import dev.govcon.proto.v1.Role;
import dev.govcon.server.audit.AuditLedger;
import dev.govcon.server.auth.ApiKeyIssuer;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Validate;

/**
 * Creates a tenant with its first OWNER and that OWNER's key, in one transaction. Used by
 * the command line, the admin gRPC service and {@code --demo}, so all three create tenants
 * the same way.
 */
public final class TenantProvisioner {
    private final Database database;

    public TenantProvisioner(Database database) {
        this.database = database;
    }

    public CreateTenantResponse create(CreateTenantRequest request, Actor actor) {
        return create(request, actor, false);
    }

    CreateTenantResponse create(CreateTenantRequest request, Actor actor, boolean demo) {
        String name = Validate.required("name", request.getName(), Validate.MAX_NAME);
        String ownerEmail = Validate.email("owner_email", request.getOwnerEmail(), true);
        String timeZone = Validate.timeZone("time_zone", request.getTimeZone());
        UUID tenantId = UUID.randomUUID();
        UUID ownerId = UUID.randomUUID();
        return database.inTransaction(session -> {
            session.getMapper(TenantMapper.class).insert(tenantId, name,
                    timeZone.isEmpty() ? "UTC" : timeZone, demo);
            session.getMapper(MemberMapper.class).insert(tenantId, ownerId, ownerEmail, "", Role.OWNER);
            ApiKeyIssuer.NewKey key = ApiKeyIssuer.issue(session, tenantId, "owner key (" + ownerEmail + ")",
                                                         Role.OWNER, ownerId, null, null);
            CreateTenantResponse created = CreateTenantResponse.newBuilder()
                    .setTenantId(tenantId.toString())
                    .setOwnerUserId(ownerId.toString())
                    .setOwnerApiKeyId(key.row().keyId().toString())
                    .setOwnerApiKeySecret(key.secret())
                    .build();
            AuditLedger.record(session, tenantId, actor, "tenant.created", "tenant", tenantId.toString(),
                               null, created.toBuilder().clearOwnerApiKeySecret());
            return created;
        });
    }

    /**
     * The demo tenant is created once; each later start issues a fresh OWNER key for it (only
     * hashes are stored, so an earlier key cannot be shown again).
     */
    public DemoAccess ensureDemo(Actor actor) {
        TenantRow existing = database.read(s -> s.getMapper(TenantMapper.class).findDemo());
        if (existing == null) {
            CreateTenantResponse created = create(CreateTenantRequest.newBuilder()
                    .setName("Demo Org").setOwnerEmail("owner@demo.govcon.example").build(), actor, true);
            return new DemoAccess(UUID.fromString(created.getTenantId()), created.getOwnerApiKeySecret(), true);
        }
        String secret = database.inTransaction(session -> {
            ApiKeyIssuer.NewKey key = ApiKeyIssuer.issue(session, existing.tenantId(),
                    "demo key", Role.OWNER, null, null, null);
            AuditLedger.record(session, existing.tenantId(), actor, "api_key.created", "api_key",
                               key.row().keyId().toString(), null, null);
            return key.secret();
        });
        return new DemoAccess(existing.tenantId(), secret, false);
    }

    public record DemoAccess(UUID tenantId, String apiKey, boolean createdNow) {
    }
}
