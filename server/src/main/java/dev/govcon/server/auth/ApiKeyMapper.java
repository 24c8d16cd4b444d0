package dev.govcon.server.auth;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.proto.v1.Role;
import dev.govcon.server.db.Mapper;

public interface ApiKeyMapper extends Mapper {

    ApiKeyRow findByPrefix(@Param("tenantId") UUID tenantId, @Param("prefix") String prefix);

    ApiKeyRow findById(@Param("tenantId") UUID tenantId, @Param("keyId") UUID keyId);

    /** Locks the row for the rest of the transaction. */
    ApiKeyRow lockById(@Param("tenantId") UUID tenantId, @Param("keyId") UUID keyId);

    void insert(@Param("tenantId") UUID tenantId, @Param("keyId") UUID keyId,
                @Param("name") String name, @Param("prefix") String prefix,
                @Param("keyHash") byte[] keyHash, @Param("role") Role role,
                @Param("userId") UUID userId, @Param("expiresAt") Instant expiresAt,
                @Param("rotatedFromKeyId") UUID rotatedFromKeyId);

    /** Newest first, after the (createdAt, keyId) cursor when given. */
    List<ApiKeyRow> list(@Param("tenantId") UUID tenantId,
                         @Param("includeInactive") boolean includeInactive,
                         @Param("now") Instant now,
                         @Param("afterCreatedAt") Instant afterCreatedAt,
                         @Param("afterKeyId") UUID afterKeyId,
                         @Param("limit") int limit);

    int revoke(@Param("tenantId") UUID tenantId, @Param("keyId") UUID keyId, @Param("at") Instant at);

    /** Moves the expiry earlier (never later). */
    int expireBy(@Param("tenantId") UUID tenantId, @Param("keyId") UUID keyId, @Param("at") Instant at);

    int revokeMemberKeys(@Param("tenantId") UUID tenantId, @Param("userId") UUID userId,
                         @Param("at") Instant at);

    /**
     * A member's keys follow the member's role: those that had the old role take the new one,
     * and none keeps more than the new role. INGEST keys stay INGEST.
     */
    int followMemberRole(@Param("tenantId") UUID tenantId, @Param("userId") UUID userId,
                         @Param("oldRole") Role oldRole, @Param("newRole") Role newRole);

    int countActive(@Param("tenantId") UUID tenantId, @Param("now") Instant now);

    /** Writes many last-used times in one statement; a time only ever moves forward. */
    int touchLastUsed(@Param("uses") List<KeyUse> uses);

    record KeyUse(UUID tenantId, UUID keyId, Instant at) {
    }
}
