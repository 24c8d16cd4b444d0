package dev.govcon.server.guard;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

/** The guard's reads of active controls and its writes to the budget ledger and check counts. */
public interface GuardMapper extends Mapper {

    String tenantTimeZone(@Param("tenantId") UUID tenantId);

    List<RuleRow> activeRules(@Param("tenantId") UUID tenantId);

    List<LimitRow> activeLimits(@Param("tenantId") UUID tenantId);

    LeaseResult lease(@Param("tenantId") UUID tenantId, @Param("limitId") UUID limitId,
                      @Param("windowStart") Instant windowStart, @Param("windowEnd") Instant windowEnd,
                      @Param("replicaId") UUID replicaId, @Param("amount") long amount,
                      @Param("needed") long needed, @Param("wanted") long wanted);

    long release(@Param("tenantId") UUID tenantId, @Param("limitId") UUID limitId,
                 @Param("windowStart") Instant windowStart, @Param("replicaId") UUID replicaId,
                 @Param("amount") long amount);

    /** Adds completed usage to a window; returns the window's committed total after it. */
    long addCommitted(@Param("tenantId") UUID tenantId, @Param("limitId") UUID limitId,
                      @Param("windowStart") Instant windowStart, @Param("windowEnd") Instant windowEnd,
                      @Param("delta") long delta);

    void notifySettle(@Param("payload") String payload);

    boolean heartbeat(@Param("replicaId") UUID replicaId);

    int forgetReplica(@Param("replicaId") UUID replicaId);

    int reclaimDeadReplicas(@Param("seconds") long seconds);

    /** Adds each row's checks to its hourly row (created at zero), never overwriting a count; returns rows. */
    default int addCheckCounts(List<CheckCountRow> rows) {
        return rows.isEmpty() ? 0 : addCheckCountColumns(CheckCountColumns.of(rows));
    }

    /** The statement behind {@link #addCheckCounts}. */
    int addCheckCountColumns(@Param("c") CheckCountColumns columns);

    record RuleRow(UUID ruleId, String name, String ruleType, String enforcement, String scopeFeature,
                   String scopeModel, String scopeEndUser, String scopeApiKeyId, String scopeProvider,
                   String scopeEnvironment, String action, String modelsJson, String providersJson,
                   long maxTokens, String requiredKeysJson, String requiredMetadata) {
    }

    record LimitRow(UUID limitId, String name, String limitKind, long amount, double warnAtRatio,
                    String scopeFeature, String scopeModel, String scopeEndUser, String scopeApiKeyId,
                    String scopeProvider, String scopeEnvironment, String action) {
    }

    record LeaseResult(long granted, long committed, long leased) {
    }
}
