package dev.govcon.server.policies;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

/**
 * The statements of a limit simulation (see {@link LimitSimulator} for what they compute).
 * Every query starts with tenant_id.
 */
interface SimulationMapper extends Mapper {

    /** Settings for the replay statements of this transaction (see the XML for why). */
    String replaySettings();

    LimitRow limit(@Param("tenantId") UUID tenantId, @Param("limitId") UUID limitId);

    /** Usage per rollup hour in [from, to) of the scope (feature, model, provider, environment). */
    List<HourRow> hours(@Param("tenantId") UUID tenantId, @Param("scope") ControlScope scope,
                        @Param("tokens") boolean tokens, @Param("from") Instant from, @Param("to") Instant to);

    /**
     * Spend and token limits: the rollup hours decided whole ({@code q.resolvedHours}, each with
     * its outcome in {@code q.resolvedOutcomes}), summed per day and feature.
     */
    List<ReplayRow> resolvedHours(@Param("q") ReplayQuery query);

    /** Spend and token limits: runs of each segment in end-time order, from the segment's seed. */
    List<ReplayRow> replaySegments(@Param("q") ReplayQuery query);

    /** Requests per minute: runs of each minute (of their start) in start order. */
    List<ReplayRow> replayMinutes(@Param("q") ReplayQuery query);

    /** Concurrent runs: each run against the runs in flight when it started. */
    List<ReplayRow> replayConcurrent(@Param("q") ReplayQuery query);
}
