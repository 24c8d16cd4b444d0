package dev.govcon.server.jobs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

/** {@code jobs} and {@code job_runs}: server-wide tables, so no tenant_id here. */
public interface JobMapper extends Mapper {

    /** Creates the job's row, or refreshes its description and interval; keeps {@code enabled}. */
    void register(@Param("jobName") String jobName, @Param("description") String description,
                  @Param("intervalMillis") long intervalMillis, @Param("registeredAt") Instant registeredAt);

    List<JobRow> all();

    JobRow find(@Param("jobName") String jobName);

    JobRow lock(@Param("jobName") String jobName);

    void setEnabled(@Param("jobName") String jobName, @Param("enabled") boolean enabled);

    /** Marks RUNNING rows left by a replica that died mid-run; returns how many. */
    int abandonRunning(@Param("jobName") String jobName, @Param("at") Instant at);

    void markStarted(@Param("jobName") String jobName, @Param("startedAt") Instant startedAt,
                     @Param("instance") String instance);

    void markFinished(@Param("jobName") String jobName, @Param("finishedAt") Instant finishedAt,
                      @Param("outcome") String outcome, @Param("error") String error,
                      @Param("items") long items, @Param("lastSuccessAt") Instant lastSuccessAt,
                      @Param("consecutiveFailures") int consecutiveFailures,
                      @Param("unhealthySince") Instant unhealthySince);

    void insertRun(@Param("jobName") String jobName, @Param("runId") UUID runId,
                   @Param("startedAt") Instant startedAt, @Param("finishedAt") Instant finishedAt,
                   @Param("outcome") String outcome, @Param("error") String error,
                   @Param("items") long items, @Param("instance") String instance);

    void finishRun(@Param("jobName") String jobName, @Param("runId") UUID runId,
                   @Param("finishedAt") Instant finishedAt, @Param("outcome") String outcome,
                   @Param("error") String error, @Param("items") long items);

    /** Newest first. */
    List<JobRunRow> recentRuns(@Param("jobName") String jobName, @Param("limit") int limit);

    /** FAILED runs per job that started at or after {@code since}. */
    List<JobCount> failuresSince(@Param("since") Instant since);

    int pruneRuns(@Param("jobName") String jobName, @Param("before") Instant before);

    record JobCount(String jobName, int count) {
    }
}
