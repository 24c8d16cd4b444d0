package dev.govcon.server.tenancy;

import java.time.Instant;
import java.util.UUID;

import dev.govcon.proto.v1.Role;

public record MemberRow(UUID tenantId, UUID userId, String email, String displayName, String role,
                        Instant joinedAt, Instant removedAt) {
    public Role roleEnum() {
        return Role.valueOf(role);
    }
}
