package dev.govcon.server.activity;

import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.analytics.RollupPlan;
import dev.govcon.server.db.Mapper;

/**
 * Reads of runs, run records, traces and hourly rollups. Every query starts with tenant_id.
 * {@code column} parameters are chosen by {@link ActivityReads} from a fixed list, never taken
 * from a request.
 */
public interface ActivityReadMapper extends Mapper {

    /** Live runs, newest start first, after the (start_time, run_id) cursor. */
    List<RunRow> liveRuns(@Param("tenantId") UUID tenantId, @Param("f") RunFilter filter);

    /** Live runs counted per value of {@code column}, largest first. */
    List<LiveBucketRow> liveByColumn(@Param("tenantId") UUID tenantId, @Param("column") String column,
                                     @Param("environment") String environment, @Param("limit") int limit);

    /** All live runs (value null): count and oldest start. */
    LiveBucketRow liveTotal(@Param("tenantId") UUID tenantId, @Param("environment") String environment);

    /** Run records, newest end first, after the (end_time, run_id) cursor. */
    List<RunRow> records(@Param("tenantId") UUID tenantId, @Param("f") RunFilter filter);

    RunRow recordByRunId(@Param("tenantId") UUID tenantId, @Param("runId") String runId);

    RunRow recordById(@Param("tenantId") UUID tenantId, @Param("recordId") UUID recordId);

    RunRow liveRun(@Param("tenantId") UUID tenantId, @Param("runId") String runId);

    /** Whether the run has a trace row (a trace may arrive before or without its run). */
    boolean traceExists(@Param("tenantId") UUID tenantId, @Param("runId") String runId);

    /** Steps in step order, after {@code afterIndex} when given. */
    List<TraceStepRow> traceSteps(@Param("tenantId") UUID tenantId, @Param("runId") String runId,
                                  @Param("afterIndex") Long afterIndex, @Param("limit") int limit);

    /**
     * Rollup totals per value of {@code column} (a rollup column, or {@code ''} for one group)
     * over the hours of {@code plan} (the filter's [start, end): whole folded local days from
     * the daily rollups, the rest from the hourly ones), most cost first.
     */
    List<GroupRow> rollupGroups(@Param("tenantId") UUID tenantId, @Param("column") String column,
                                @Param("f") RunFilter filter, @Param("plan") RollupPlan plan);

    /** The same figures from raw run records (for dimensions the rollups do not keep). */
    List<GroupRow> recordGroups(@Param("tenantId") UUID tenantId, @Param("column") String column,
                                @Param("f") RunFilter filter,
                                @Param("ranges") List<LatencyHistogram.Range> ranges);
}
