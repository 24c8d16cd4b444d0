package dev.govcon.server.jobs;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The two instants that keep daily rollups exact (the argument is in {@link DailyRollupJob}):
 * ingestion marks a UTC day dirty when a run ends before {@link #lateBefore}, and the job
 * treats as final only hours before {@link #foldBefore}, a whole day earlier, so a replica
 * whose clock is up to a day behind the job's still marks every run the fold could miss.
 */
public final class RollupHorizons {
    private RollupHorizons() {
    }

    /** Runs ending before this (the start of yesterday, UTC) are late: their UTC day is marked. */
    public static Instant lateBefore(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The fold may treat hours before this (the start of the day before yesterday, UTC) as final. */
    public static Instant foldBefore(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
