package dev.govcon.server.jobs;

import java.time.Duration;

/**
 * A background job of the server. {@link JobScheduler} runs it every {@link #interval()},
 * on at most one replica of the cluster at a time.
 */
public interface Job {

    /** Stable id, e.g. {@code "run-reaper"}: the key of its {@code jobs} row and its lock. */
    String name();

    /** One line for a person (shown by ListJobs). */
    String description();

    /** How often it is due, cluster-wide. */
    Duration interval();

    /**
     * Does one round of work and returns how many items it handled (runs timed out, rows
     * written, ...). An exception makes the run FAILED; the next one is due an interval later.
     */
    long run(JobContext context) throws Exception;
}
