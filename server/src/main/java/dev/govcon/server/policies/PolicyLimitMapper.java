package dev.govcon.server.policies;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

public interface PolicyLimitMapper extends Mapper {

    PolicyLimitRow findById(@Param("tenantId") UUID tenantId, @Param("limitId") UUID limitId);

    /** Locks the row for the rest of the transaction. */
    PolicyLimitRow lockById(@Param("tenantId") UUID tenantId, @Param("limitId") UUID limitId);

    /** {@code limitIds} as UUID strings; order unspecified. */
    List<PolicyLimitRow> findByIds(@Param("tenantId") UUID tenantId, @Param("limitIds") String[] limitIds);

    void insert(PolicyLimitRow row);

    /** Writes every writable column, version, update time and updater of {@code row}. */
    int update(PolicyLimitRow row);

    /** Newest first, after the (createdAt, limitId) cursor when given. */
    List<PolicyLimitRow> list(@Param("tenantId") UUID tenantId, @Param("f") ControlFilter filter,
                              @Param("afterAt") Instant afterAt, @Param("afterId") UUID afterId,
                              @Param("limit") int limit);

    long count(@Param("tenantId") UUID tenantId, @Param("f") ControlFilter filter);

    /**
     * The guard's budget ledger rows of the given limits' current windows: {@code limitIds}
     * and {@code windowStarts} are parallel (UUID strings, and the start of each limit's window
     * as ISO-8601 text).
     */
    List<WindowRow> windows(@Param("tenantId") UUID tenantId, @Param("limitIds") String[] limitIds,
                            @Param("windowStarts") String[] windowStarts);

    /** What the guard has counted against a limit in one window (a row of {@code guard_windows}). */
    record WindowRow(UUID limitId, Instant windowStart, long committed, long leased) {
    }
}
