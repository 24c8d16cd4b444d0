package dev.govcon.server.tenancy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.proto.v1.Role;
import dev.govcon.server.db.Mapper;

public interface MemberMapper extends Mapper {

    void insert(@Param("tenantId") UUID tenantId, @Param("userId") UUID userId,
                @Param("email") String email, @Param("displayName") String displayName,
                @Param("role") Role role);

    /** An active (not removed) member. */
    MemberRow findActive(@Param("tenantId") UUID tenantId, @Param("userId") UUID userId);

    MemberRow findActiveByEmail(@Param("tenantId") UUID tenantId, @Param("email") String email);

    /** Active members oldest first, after the (joinedAt, userId) cursor when given. */
    List<MemberRow> list(@Param("tenantId") UUID tenantId, @Param("role") Role role,
                         @Param("afterJoinedAt") Instant afterJoinedAt,
                         @Param("afterUserId") UUID afterUserId, @Param("limit") int limit);

    /** Active OWNERs, locked: taking an OWNER away must see every other OWNER. */
    List<MemberRow> lockOwners(@Param("tenantId") UUID tenantId);

    List<MemberRow> listWithRoles(@Param("tenantId") UUID tenantId, @Param("roles") List<String> roles);

    int updateRole(@Param("tenantId") UUID tenantId, @Param("userId") UUID userId, @Param("role") Role role);

    int remove(@Param("tenantId") UUID tenantId, @Param("userId") UUID userId, @Param("at") Instant at);

    int countActive(@Param("tenantId") UUID tenantId);
}
