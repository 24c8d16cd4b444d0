package dev.govcon.server.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The two instants that keep daily rollups exact (the argument is in {@link DailyRollupJob}):
 * ingestion marks a UTC day dirty when a run ends before {@link #lateBefore}, and the job
 * treats as final only hours before {@link #foldBefore}, {@link #SKEW_MARGIN} earlier, so a
 * replica whose clock (when it took its group) is up to that margin behind the job's clock
 * still marks every run the fold could miss.
 */
public final class RollupHorizons {
    /** How old a run's end must be (then rounded down to the hour) for its day to be marked. */
    public static final Duration LATE_AFTER = Duration.ofHours(2);
    /**
     * Clock skew between replicas plus the time a group may stay in flight (taken, not yet
     * committed) across a fold; both seconds in practice.
     */
    public static final Duration SKEW_MARGIN = Duration.ofHours(1);

    private RollupHorizons() {
    }

    /** Runs ending before this (two hours ago, rounded down to the hour) are late: their UTC day is marked. */
    public static Instant lateBefore(Instant now) {
        return now.minus(LATE_AFTER).truncatedTo(ChronoUnit.HOURS);
    }

    /** The fold may treat hours before this ({@link #SKEW_MARGIN} before {@link #lateBefore}) as final. */
    public static Instant foldBefore(Instant now) {
        return lateBefore(now).minus(SKEW_MARGIN);
    }
}
