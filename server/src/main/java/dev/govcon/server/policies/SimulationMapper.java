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

    /** Runs, spend and tokens per rollup hour in [from, to) and feature, of the scope (feature, model, provider, environment), in hour order. */
    List<HourRow> hours(@Param("tenantId") UUID tenantId, @Param("scope") ControlScope scope,
                        @Param("from") Instant from, @Param("to") Instant to);

    /** Spend and token limits: runs of each segment in end-time order, from the segment's seed. */
    List<ReplayRow> replaySegments(@Param("q") ReplayQuery query);

    /** Requests per minute: the runs over or near the limit (their place in their start minute), per day and feature. */
    List<ReplayRow> replayMinutes(@Param("q") ReplayQuery query);

    /** Concurrent runs: the runs over or near the limit (runs in flight when they started), per day and feature. */
    List<ReplayRow> replayConcurrent(@Param("q") ReplayQuery query);

    /** The watermark of run_marks: it holds every run recorded before it (and not BLOCKED). */
    Instant marksWatermark();

    /**
     * Where a tenant-wide minute or concurrency replay of runs that started in [scanStart, end)
     * stops reading run_marks: the minute of the earliest start of the tenant's runs recorded
     * since {@code watermark}, at least scanStart; {@code end} when there is none.
     */
    Instant marksSplit(@Param("tenantId") UUID tenantId, @Param("watermark") Instant watermark,
                       @Param("scanStart") Instant scanStart, @Param("end") Instant end);

    /** Requests per minute, tenant-wide: the flagged runs of run_marks that started in [scanStart, scanEnd). */
    List<ReplayRow> markedMinutes(@Param("q") ReplayQuery query);

    /** Concurrent runs, tenant-wide: the flagged runs of run_marks that started in [scanStart, scanEnd). */
    List<ReplayRow> markedConcurrent(@Param("q") ReplayQuery query);

    /** Makes the read one snapshot: run_marks, its watermark and the run records agree. */
    void oneSnapshot();

    /** Minute and concurrency replays: runs and spend per day and feature of the runs reported. */
    List<ReplayRow> replayTotals(@Param("q") ReplayQuery query);
}
