package dev.govcon.server.jobs;

/** How a job run ended; the names are those stored in {@code jobs} and {@code job_runs}. */
public enum RunOutcome {
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** Another replica held the job's lock, so this one did not run it. */
    SKIPPED
}
