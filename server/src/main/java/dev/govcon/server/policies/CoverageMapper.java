package dev.govcon.server.policies;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

/** The reads behind policy coverage. Every query starts with tenant_id. */
interface CoverageMapper extends Mapper {

    /** Scopes of the controls that govern: ACTIVE rules with enforcement ENFORCED, ACTIVE limits. */
    List<ControlScope> activeScopes(@Param("tenantId") UUID tenantId);

    /** Rollup totals of the hours in [start, end) per (model, provider, feature, environment). */
    List<CoverageGroupRow> rollupGroups(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                                        @Param("end") Instant end);

    /**
     * The same totals from run records ending in [start, end), of only the runs that at least
     * one of {@code scopes} matches.
     */
    List<CoverageGroupRow> matchedGroups(@Param("tenantId") UUID tenantId, @Param("start") Instant start,
                                         @Param("end") Instant end, @Param("scopes") List<ControlScope> scopes);
}
