package dev.govcon.server.audit;

import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

public interface AuditMapper extends Mapper {

    /** seq, prev_hash and hash are filled in by the table's chaining trigger. */
    void append(@Param("tenantId") UUID tenantId, @Param("auditId") UUID auditId,
                @Param("actorType") String actorType, @Param("actorId") String actorId,
                @Param("actorLabel") String actorLabel, @Param("action") String action,
                @Param("resourceType") String resourceType, @Param("resourceId") String resourceId,
                @Param("beforeJson") String beforeJson, @Param("afterJson") String afterJson,
                @Param("requestId") String requestId);

    ChainCheck verify(@Param("tenantId") UUID tenantId);

    java.util.List<AuditRow> latest(@Param("tenantId") UUID tenantId, @Param("limit") int limit);

    /** The result of re-computing a tenant's chain: how many rows, and the first broken one. */
    record ChainCheck(long entries, Long firstBrokenSeq) {
    }
}
