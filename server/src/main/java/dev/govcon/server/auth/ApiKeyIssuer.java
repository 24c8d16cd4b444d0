package dev.govcon.server.auth;

import java.time.Instant;
import java.util.UUID;

import org.apache.ibatis.session.SqlSession;

import dev.govcon.proto.v1.Role;

/** Creates keys inside the caller's transaction; the secret exists only in the return value. */
public final class ApiKeyIssuer {
    private ApiKeyIssuer() {
    }

    public record NewKey(ApiKeyRow row, String secret) {
    }

    public static NewKey issue(SqlSession session, UUID tenantId, String name, Role role,
                               UUID userId, Instant expiresAt, UUID rotatedFrom) {
        Secrets.Issued issued = Secrets.issue(Secrets.API_KEY_KIND, tenantId);
        UUID keyId = UUID.randomUUID();
        ApiKeyMapper keys = session.getMapper(ApiKeyMapper.class);
        keys.insert(tenantId, keyId, name, issued.prefix(), issued.hash(), role, userId, expiresAt,
                    rotatedFrom);
        return new NewKey(keys.findById(tenantId, keyId), issued.secret());
    }
}
