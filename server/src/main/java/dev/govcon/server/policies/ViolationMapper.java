package dev.govcon.server.policies;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

/** Writes and reads of {@code limit_violations}. Every query starts with tenant_id. */
public interface ViolationMapper extends Mapper {

    /**
     * Writes a batch of violations (any tenants) in one statement; a violation id already
     * written is skipped, so a retried batch writes nothing twice. Returns how many were new.
     */
    default int insertBatch(List<ViolationRow> rows) {
        return rows.isEmpty() ? 0 : insertColumns(ViolationColumns.of(rows));
    }

    /** The statement behind {@link #insertBatch}. */
    int insertColumns(@Param("c") ViolationColumns columns);

    /** Newest first, after the (occurred_at, violation_id) cursor when given. */
    List<ViolationRow> list(@Param("tenantId") UUID tenantId, @Param("f") ViolationFilter filter);

    /** How many rows {@link #list} would answer without cursor and limit. */
    long count(@Param("tenantId") UUID tenantId, @Param("f") ViolationFilter filter);

    ViolationRow find(@Param("tenantId") UUID tenantId, @Param("violationId") UUID violationId);

    /** Violations of [start, end) per control, most first. */
    List<ControlViolationsRow> byControl(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                                         @Param("end") Instant end, @Param("controlKind") String controlKind,
                                         @Param("action") String action);
}
