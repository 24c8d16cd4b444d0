package dev.govcon.server.activity.ingest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

/** The write side of runs; every statement handles a whole group of runs at once. */
interface IngestMapper extends Mapper {

    /** Creates this session's staging table of completions (see {@link StagingTable}). */
    void createStaging();

    /**
     * Writes the staged completions that are new, adds them to the hourly rollups and removes
     * their live rows, in one statement; returns how many it wrote.
     */
    int recordStaged();

    /** Marks days that may have been folded into daily rollups as dirty (see DailyRollupJob). */
    void markDirtyDays(@Param("days") List<DirtyDay> days);

    /** The staged completions that were not written, each with its run's recorded content hash. */
    List<StagedRecord> findStagedRecorded();

    /** Inserts a live run unless it is live or recorded already; returns 1 if inserted. */
    int startRun(@Param("r") StartedRun run);

    /**
     * Completes runs that have been RUNNING since before {@code cutoff} as TIMED_OUT (all
     * tenants: the reaper is a server job), at most {@code limit} of them; returns how many.
     */
    int timeOutStaleRuns(@Param("cutoff") Instant cutoff, @Param("now") Instant now, @Param("limit") int limit);

    void ensureTrace(@Param("tenantId") UUID tenantId, @Param("runId") String runId);

    /** Appends steps, skipping indexes already present; returns how many were new. */
    int appendSteps(@Param("tenantId") UUID tenantId, @Param("runId") String runId,
                    @Param("steps") List<TraceStepRow> steps);

    void countSteps(@Param("tenantId") UUID tenantId, @Param("runId") String runId);

    boolean runExists(@Param("tenantId") UUID tenantId, @Param("runId") String runId);
}
