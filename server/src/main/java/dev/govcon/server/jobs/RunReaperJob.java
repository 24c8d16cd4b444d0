package dev.govcon.server.jobs;

import java.time.Duration;
import java.util.Objects;

/**
 * "run-reaper", every 30 s: runs RUNNING for longer than the timeout (default 15 minutes)
 * become TIMED_OUT, through the ingestion side's {@link StaleRunReaper}. It asks for chunks of
 * {@value #CHUNK} until a chunk comes back short, so each transaction stays small; at most
 * {@value #MAX_CHUNKS} chunks per run, the rest waits for the next run. Returns the runs timed out.
 */
public final class RunReaperJob implements Job {
    public static final String NAME = "run-reaper";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);
    public static final Duration INTERVAL = Duration.ofSeconds(30);
    static final int CHUNK = 1000;
    static final int MAX_CHUNKS = 1000;

    private final StaleRunReaper reaper;
    private final Duration timeout;

    public RunReaperJob(StaleRunReaper reaper) {
        this(reaper, DEFAULT_TIMEOUT);
    }

    public RunReaperJob(StaleRunReaper reaper, Duration timeout) {
        this.reaper = Objects.requireNonNull(reaper, "reaper");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("run timeout must be positive, got " + timeout);
        }
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Marks runs RUNNING for longer than " + JobsReads.human(timeout) + " as TIMED_OUT";
    }

    @Override
    public Duration interval() {
        return INTERVAL;
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public long run(JobContext context) {
        long total = 0;
        for (int i = 0; i < MAX_CHUNKS; i++) {
            int n = reaper.timeOutStale(timeout, CHUNK);
            total += n;
            if (n < CHUNK) {
                break;
            }
        }
        return total;
    }
}
