package dev.govcon.server.policies;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.govcon.server.jobs.Job;
import dev.govcon.server.jobs.JobContext;

/**
 * "run-marks", every minute: copies the runs recorded since the last round into run_marks and
 * marks them (place in their start minute, runs in flight at their start), with the runs whose
 * marks they change, so that tenant-wide minute and concurrency replays read marks in start
 * order instead of sorting every run of their window ({@link LimitReplay}). The ingestion path
 * is untouched: it writes nothing more than before.
 *
 * <p>One round copies at most about {@value #ROUND_CAP} runs (more only when one transaction
 * recorded more), so that under heavy ingestion the job takes a bounded share of the database;
 * what is left waits for the next round, and replays read it from the run records meanwhile.
 * Returns the runs copied.
 */
public final class RunMarksJob implements Job {
    public static final String NAME = "run-marks";
    static final Duration INTERVAL = Duration.ofMinutes(1);
    static final int ROUND_CAP = 250_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Copies recorded runs, in start order with their minute and concurrency marks, for limit simulations";
    }

    @Override
    public Duration interval() {
        return INTERVAL;
    }

    @Override
    public long run(JobContext context) {
        return context.database().inTransaction(s -> {
            RunMarksMapper m = s.getMapper(RunMarksMapper.class);
            Instant from = m.lockWatermark();
            Instant to = m.cappedWatermark(from, m.safeWatermark(from), ROUND_CAP);
            if (!to.isAfter(from)) {
                return 0L;
            }
            long copied = 0;
            for (MarkRegion r : m.regions(from, to)) {
                copied += m.copyAndMark(r.tenantId(), from, to, r.from(), r.to());
            }
            m.moveWatermark(to);
            return copied;
        });
    }
}
