package dev.govcon.server.accounts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.proto.v1.Role;
import dev.govcon.server.db.Mapper;

public interface InvitationMapper extends Mapper {

    void insert(@Param("tenantId") UUID tenantId, @Param("invitationId") UUID invitationId,
                @Param("email") String email, @Param("displayName") String displayName,
                @Param("role") Role role, @Param("tokenHash") byte[] tokenHash,
                @Param("invitedByUserId") UUID invitedByUserId, @Param("expiresAt") Instant expiresAt);

    InvitationRow find(@Param("tenantId") UUID tenantId, @Param("invitationId") UUID invitationId);

    InvitationRow lockByToken(@Param("tenantId") UUID tenantId, @Param("tokenHash") byte[] tokenHash);

    InvitationRow lock(@Param("tenantId") UUID tenantId, @Param("invitationId") UUID invitationId);

    /** Pending invitations for this e-mail, expired or not (they block a new one until cancelled or expired). */
    InvitationRow findPendingByEmail(@Param("tenantId") UUID tenantId, @Param("email") String email);

    /** Pending, unexpired invitations, newest first. */
    List<InvitationRow> listPending(@Param("tenantId") UUID tenantId, @Param("now") Instant now,
                                    @Param("afterCreatedAt") Instant afterCreatedAt,
                                    @Param("afterId") UUID afterId, @Param("limit") int limit);

    int markAccepted(@Param("tenantId") UUID tenantId, @Param("invitationId") UUID invitationId,
                     @Param("userId") UUID userId, @Param("at") Instant at);

    int markCancelled(@Param("tenantId") UUID tenantId, @Param("invitationId") UUID invitationId,
                      @Param("at") Instant at);
}
