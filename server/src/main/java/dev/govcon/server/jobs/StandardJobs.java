package dev.govcon.server.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The jobs every govcon server runs. The run reaper needs the ingestion side's
 * {@link StaleRunReaper}; without one (null) it is left out.
 */
public final class StandardJobs {
    private StandardJobs() {
    }

    /** @param runTimeout how long a run may stay RUNNING; null for {@link RunReaperJob#DEFAULT_TIMEOUT} */
    public static List<Job> of(StaleRunReaper reaper, Duration runTimeout) {
        List<Job> jobs = new ArrayList<>();
        if (reaper != null) {
            jobs.add(new RunReaperJob(reaper, runTimeout == null ? RunReaperJob.DEFAULT_TIMEOUT : runTimeout));
        }
        jobs.add(new DailyRollupJob());
        return jobs;
    }
}
