package dev.govcon.server.logs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.audit.AuditRow;
import dev.govcon.server.db.Mapper;

/**
 * System records and the audit ledger. System record queries read the tenant's rows and the
 * nil tenant's (events about no tenant in particular); every query starts with tenant_id.
 */
public interface LogsMapper extends Mapper {

    /** Counts per (component, level) in [start, end), with the last time and last ERROR message. */
    List<CountRow> systemCounts(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                                @Param("end") Instant end);

    List<SystemRecordRow> systemRecords(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                                        @Param("end") Instant end, @Param("levels") List<String> levels,
                                        @Param("component") String component, @Param("event") String event,
                                        @Param("afterAt") Instant afterAt, @Param("afterId") UUID afterId,
                                        @Param("limit") int limit);

    SystemRecordRow systemRecord(@Param("tenantId") UUID tenantId, @Param("recordId") UUID recordId);

    List<AuditRow> auditEntries(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                                @Param("end") Instant end, @Param("actorId") String actorId,
                                @Param("actorType") String actorType, @Param("action") String action,
                                @Param("actionPrefix") String actionPrefix,
                                @Param("resourceType") String resourceType,
                                @Param("resourceId") String resourceId, @Param("beforeSeq") Long beforeSeq,
                                @Param("limit") int limit);

    AuditRow auditEntry(@Param("tenantId") UUID tenantId, @Param("auditId") UUID auditId);

    /**
     * Actors (key = type, sub = id) by entries descending, then type and id; after the cursor
     * (count, type, id) when given.
     */
    List<CountRow> auditActors(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                               @Param("end") Instant end, @Param("afterCount") Long afterCount,
                               @Param("afterType") String afterType, @Param("afterId") String afterId,
                               @Param("limit") int limit);

    /** Per action counts of the given actors (key = type + '\n' + id, sub = action). */
    List<CountRow> auditActions(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                                @Param("end") Instant end, @Param("actors") List<CountRow> actors);
}
