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

    /**
     * Settings for one minute or concurrency replay, which sorts every run of the window:
     * memory to sort them without spilling, and parallel workers to share the scan and the
     * sort. {@link #replaySettings} undoes them.
     */
    String sortedPassSettings();

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

    /** Requests per minute: the runs over or near the limit (their place in their start minute), per day and feature. */
    List<ReplayRow> replayMinutes(@Param("q") ReplayQuery query);

    /** Concurrent runs: the runs over or near the limit (runs in flight when they started), per day and feature. */
    List<ReplayRow> replayConcurrent(@Param("q") ReplayQuery query);

    /** Minute and concurrency replays: runs and spend per day and feature of the runs reported. */
    List<ReplayRow> replayTotals(@Param("q") ReplayQuery query);
}
