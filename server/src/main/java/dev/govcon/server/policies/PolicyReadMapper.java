package dev.govcon.server.policies;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

/** Reads across rules and limits (one id space) and their violations. */
public interface PolicyReadMapper extends Mapper {

    /**
     * ACTIVE rules and limits, newest first, after the (createdAt, id) cursor when given.
     * {@code kind} is "RULE", "LIMIT" or null for both; the filter's status is ignored.
     */
    List<ControlRef> active(@Param("tenantId") UUID tenantId, @Param("kind") String kind,
                            @Param("f") ControlFilter filter, @Param("afterAt") Instant afterAt,
                            @Param("afterId") UUID afterId, @Param("limit") int limit);

    long countActive(@Param("tenantId") UUID tenantId, @Param("kind") String kind,
                     @Param("f") ControlFilter filter);

    /** Violations of each of {@code controlIds} (UUID strings) since {@code since}. */
    List<ViolationStat> violationStats(@Param("tenantId") UUID tenantId,
                                       @Param("controlIds") String[] controlIds,
                                       @Param("since") Instant since);

    /** Controls counted by kind ("RULE"/"LIMIT"), type and status. */
    List<TypeCount> typeCounts(@Param("tenantId") UUID tenantId);

    /** Violations since {@code since} counted by control kind and type (status is null). */
    List<TypeCount> typeViolations(@Param("tenantId") UUID tenantId, @Param("since") Instant since);

    /** Rules and limits created from each template (any status). */
    List<TemplateUse> templateUses(@Param("tenantId") UUID tenantId);

    record ControlRef(String kind, UUID id, Instant createdAt) {
    }

    record ViolationStat(UUID controlId, long count, Instant lastAt) {
    }

    record TypeCount(String kind, String type, String status, long count) {
    }

    record TemplateUse(String templateId, long count) {
    }
}
