package dev.govcon.server.policies;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

public interface PolicyRuleMapper extends Mapper {

    PolicyRuleRow findById(@Param("tenantId") UUID tenantId, @Param("ruleId") UUID ruleId);

    /** Locks the row for the rest of the transaction. */
    PolicyRuleRow lockById(@Param("tenantId") UUID tenantId, @Param("ruleId") UUID ruleId);

    /** {@code ruleIds} as UUID strings; order unspecified. */
    List<PolicyRuleRow> findByIds(@Param("tenantId") UUID tenantId, @Param("ruleIds") String[] ruleIds);

    void insert(PolicyRuleRow row);

    /** Writes every writable column, version, update time and updater of {@code row}. */
    int update(PolicyRuleRow row);

    /** Newest first, after the (createdAt, ruleId) cursor when given. */
    List<PolicyRuleRow> list(@Param("tenantId") UUID tenantId, @Param("f") ControlFilter filter,
                             @Param("afterAt") Instant afterAt, @Param("afterId") UUID afterId,
                             @Param("limit") int limit);

    long count(@Param("tenantId") UUID tenantId, @Param("f") ControlFilter filter);

    /**
     * For each ethical constraint the tenant has adopted, the rule that adopts it: an ACTIVE
     * one before a DRAFT before a DISABLED, the newest among equals.
     */
    List<PolicyRuleRow> ethicalAdoptions(@Param("tenantId") UUID tenantId);
}
