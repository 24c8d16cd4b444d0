package dev.govcon.server.connectivity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.govcon.proto.v1.ApiKey;
import dev.govcon.proto.v1.CreateApiKeyRequest;
import dev.govcon.proto.v1.CreatedApiKey;
import dev.govcon.proto.v1.ListApiKeysRequest;
import dev.govcon.proto.v1.ListApiKeysResponse;
import dev.govcon.proto.v1.Role;
import dev.govcon.proto.v1.RotateApiKeyRequest;
import dev.govcon.server.audit.AuditLedger;
import dev.govcon.server.auth.ApiKeyIssuer;
import dev.govcon.server.auth.ApiKeyMapper;
import dev.govcon.server.auth.ApiKeyRow;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.auth.Roles;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.paging.Page;
import dev.govcon.server.tenancy.MemberMapper;
import dev.govcon.server.tenancy.MemberRow;
import dev.govcon.server.wire.Times;

/**
 * API keys: a caller never creates or manages a key that outranks it (so an ADMIN cannot
 * mint, revoke or rotate an OWNER key), and a personal key never outranks its member.
 */
final class ApiKeysLogic {
    static final Duration DEFAULT_GRACE = Duration.ofHours(24);
    static final Duration MAX_GRACE = Duration.ofDays(30);
    private static final int MAX_KEY_NAME = 100;

    private final Database database;
    private final Clock clock;

    ApiKeysLogic(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    ListApiKeysResponse list(Principal caller, ListApiKeysRequest req) {
        int size = Page.size(req.getPageSize());
        Page.Cursor after = Page.cursor(req.getPageToken());
        Instant now = clock.instant();
        List<ApiKeyRow> rows = database.read(s -> s.getMapper(ApiKeyMapper.class).list(
                caller.tenantId(), req.getIncludeInactive(), now, after == null ? null : after.at(),
                after == null ? null : after.id(), size + 1));
        ListApiKeysResponse.Builder out = ListApiKeysResponse.newBuilder();
        rows.stream().limit(size).forEach(r -> out.addApiKeys(proto(r, now)));
        out.setNextPageToken(Page.nextToken(rows, size, last -> new Page.Cursor(last.createdAt(), last.keyId()).encode()));
        return out.build();
    }

    CreatedApiKey create(Principal caller, CreateApiKeyRequest req) {
        String name = Validate.required("name", req.getName(), MAX_KEY_NAME);
        Role role = Validate.enumValue("role", req.getRole(), true);
        requireMayManage(caller, role);
        UUID userId = Validate.optionalId("user_id", req.getUserId());
        Instant now = clock.instant();
        Instant expiresAt = null;
        if (req.hasExpiresAt()) {
            if (!Times.valid(req.getExpiresAt()) || !Times.instant(req.getExpiresAt()).isAfter(now)) {
                throw Errors.invalid("expires_at", "must be a valid time in the future");
            }
            expiresAt = Times.instant(req.getExpiresAt());
        }
        Instant expiry = expiresAt;
        return database.inTransaction(s -> {
            if (userId != null) {
                MemberRow member = s.getMapper(MemberMapper.class).findActive(caller.tenantId(), userId);
                if (member == null) {
                    throw Errors.notFound("user", userId);
                }
                if (role != Role.INGEST && Roles.rank(role) > Roles.rank(member.roleEnum())) {
                    throw Errors.invalid("role", "a personal key cannot outrank its member ("
                                                 + member.roleEnum() + ")");
                }
            }
            ApiKeyIssuer.NewKey key = ApiKeyIssuer.issue(s, caller.tenantId(), name, role, userId, expiry, null);
            ApiKey created = proto(key.row(), now);
            AuditLedger.record(s, caller.tenantId(), caller.actor(), "api_key.created", "api_key",
                               created.getId(), null, created);
            return CreatedApiKey.newBuilder().setApiKey(created).setSecret(key.secret()).build();
        });
    }

    ApiKey revoke(Principal caller, String idText) {
        UUID keyId = Validate.id("id", idText);
        Instant now = clock.instant();
        return database.inTransaction(s -> {
            ApiKeyMapper keys = s.getMapper(ApiKeyMapper.class);
            ApiKeyRow row = keys.lockById(caller.tenantId(), keyId);
            if (row == null) {
                throw Errors.notFound("api key", keyId);
            }
            requireMayManage(caller, row.roleEnum());
            if (row.revokedAt() != null) {
                return proto(row, now);
            }
            keys.revoke(caller.tenantId(), keyId, now);
            ApiKey after = proto(keys.findById(caller.tenantId(), keyId), now);
            AuditLedger.record(s, caller.tenantId(), caller.actor(), "api_key.revoked", "api_key",
                               keyId.toString(), proto(row, now), after);
            return after;
        });
    }

    CreatedApiKey rotate(Principal caller, RotateApiKeyRequest req) {
        UUID keyId = Validate.id("id", req.getId());
        Duration grace = DEFAULT_GRACE;
        if (req.hasGracePeriod()) {
            grace = Times.duration(req.getGracePeriod());
            if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
                throw Errors.invalid("grace_period", "must be between 0s and " + MAX_GRACE.toDays() + " days");
            }
        }
        Instant now = clock.instant();
        Instant oldStops = now.plus(grace);
        return database.inTransaction(s -> {
            ApiKeyMapper keys = s.getMapper(ApiKeyMapper.class);
            ApiKeyRow old = keys.lockById(caller.tenantId(), keyId);
            if (old == null) {
                throw Errors.notFound("api key", keyId);
            }
            requireMayManage(caller, old.roleEnum());
            if (!old.activeAt(now)) {
                throw Errors.failedPrecondition("api key " + keyId + " is revoked or expired; create a new key");
            }
            ApiKeyIssuer.NewKey fresh = ApiKeyIssuer.issue(s, caller.tenantId(), old.name(), old.roleEnum(),
                                                           old.userId(), old.expiresAt(), keyId);
            keys.expireBy(caller.tenantId(), keyId, oldStops);
            ApiKey before = proto(old, now);
            ApiKey oldAfter = proto(keys.findById(caller.tenantId(), keyId), now);
            ApiKey created = proto(fresh.row(), now);
            AuditLedger.record(s, caller.tenantId(), caller.actor(), "api_key.rotated", "api_key",
                               keyId.toString(), before, oldAfter);
            AuditLedger.record(s, caller.tenantId(), caller.actor(), "api_key.created", "api_key",
                               created.getId(), null, created);
            return CreatedApiKey.newBuilder().setApiKey(created).setSecret(fresh.secret()).build();
        });
    }

    private static void requireMayManage(Principal caller, Role keyRole) {
        if (keyRole != Role.INGEST && Roles.rank(keyRole) > Roles.rank(caller.role())) {
            throw Errors.permissionDenied("a " + caller.role() + " cannot manage " + keyRole + " keys");
        }
    }

    static ApiKey proto(ApiKeyRow r, Instant now) {
        ApiKey.Builder b = ApiKey.newBuilder()
                .setId(r.keyId().toString())
                .setName(r.name())
                .setPrefix(r.prefix())
                .setRole(r.roleEnum())
                .setActive(r.activeAt(now));
        if (r.userId() != null) {
            b.setUserId(r.userId().toString());
        }
        if (r.rotatedFromKeyId() != null) {
            b.setRotatedFromId(r.rotatedFromKeyId().toString());
        }
        Times.setIfPresent(r.createdAt(), b::setCreatedAt);
        Times.setIfPresent(r.lastUsedAt(), b::setLastUsedAt);
        Times.setIfPresent(r.expiresAt(), b::setExpiresAt);
        Times.setIfPresent(r.revokedAt(), b::setRevokedAt);
        return b.build();
    }
}
