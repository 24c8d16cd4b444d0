package dev.govcon.server.accounts;

import java.time.Instant;
import java.util.UUID;

import dev.govcon.proto.v1.Role;

public record InvitationRow(UUID tenantId, UUID invitationId, String email, String displayName,
                            String role, byte[] tokenHash, String status, UUID invitedByUserId,
                            Instant createdAt, Instant expiresAt, Instant acceptedAt,
                            UUID acceptedUserId, Instant cancelledAt) {
    public Role roleEnum() {
        return Role.valueOf(role);
    }
}
