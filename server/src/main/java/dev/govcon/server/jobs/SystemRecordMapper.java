package dev.govcon.server.jobs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

/** Appends to {@code system_records} (rows are immutable: trg_system_records_immutable). */
public interface SystemRecordMapper extends Mapper {

    void insert(@Param("tenantId") UUID tenantId, @Param("recordId") UUID recordId,
                @Param("occurredAt") Instant occurredAt, @Param("level") String level,
                @Param("component") String component, @Param("event") String event,
                @Param("message") String message, @Param("detailsJson") String detailsJson,
                @Param("instance") String instance, @Param("requestId") String requestId);

    /** Newest first; {@code component} null for any. */
    List<SystemRecordRow> latest(@Param("tenantId") UUID tenantId, @Param("component") String component,
                                 @Param("limit") int limit);

    SystemRecordRow find(@Param("tenantId") UUID tenantId, @Param("recordId") UUID recordId);
}
