package dev.govcon.server.auth;

import java.time.Instant;
import java.util.UUID;

import dev.govcon.proto.v1.Role;

/** A row of {@code api_keys}, with the e-mail of its member when it is a personal key. */
public record ApiKeyRow(UUID tenantId, UUID keyId, String name, String prefix, byte[] keyHash,
                        String role, UUID userId, Instant createdAt, Instant lastUsedAt,
                        Instant expiresAt, Instant revokedAt, UUID rotatedFromKeyId,
                        String userEmail) {

    public Role roleEnum() {
        return Role.valueOf(role);
    }

    public boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
