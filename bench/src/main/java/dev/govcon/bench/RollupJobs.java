package dev.govcon.bench;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.govcon.server.db.Database;
import dev.govcon.server.jobs.Job;
import dev.govcon.server.jobs.JobRunResult;
import dev.govcon.server.jobs.JobScheduler;
import dev.govcon.server.jobs.RunOutcome;
import dev.govcon.server.jobs.StandardJobs;

/**
 * Brings the rollups to the steady state a running deployment has before a read scenario
 * measures: the server's standard jobs (those that fold rollups; the run reaper is left out,
 * there are no live runs) run once now, by this JVM acting as one more replica — the same job
 * classes, the same advisory lock and bookkeeping as the server's own scheduler, which would
 * otherwise fold the loaded history only on its next tick, up to an interval later. A job the
 * server's replica is running at that moment is waited for and run again.
 */
final class RollupJobs {
    private static final Duration PATIENCE = Duration.ofMinutes(15);

    /** Each job's outcome, items and duration. */
    record Settled(List<JobRunResult> runs) {
        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            for (JobRunResult r : runs) {
                parts.add(String.format("%s %,d items in %.1f s", r.jobName(), r.items(),
                                        r.duration().toMillis() / 1000.0));
            }
            return "jobs run after the load: " + String.join(", ", parts);
        }
    }

    private RollupJobs() {
    }

    static Settled settle(Database database) throws InterruptedException {
        List<Job> jobs = StandardJobs.of(null, null);
        List<JobRunResult> runs = new ArrayList<>();
        try (JobScheduler replica = new JobScheduler(database, Clock.systemUTC(), jobs,
                                                     JobScheduler.Settings.manual().withInstance("bench-loader"))
                .start()) {
            for (Job job : jobs) {
                long giveUp = System.nanoTime() + PATIENCE.toNanos();
                JobRunResult r = replica.runNow(job.name());
                while (r.outcome() == RunOutcome.SKIPPED && System.nanoTime() < giveUp) {
                    Thread.sleep(500);
                    r = replica.runNow(job.name());
                }
                if (r.outcome() != RunOutcome.SUCCEEDED) {
                    throw new IllegalStateException(job.name() + " after the load: " + r.outcome() + " " + r.error());
                }
                runs.add(r);
            }
        }
        return new Settled(runs);
    }
}
