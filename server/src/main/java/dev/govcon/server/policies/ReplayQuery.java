package dev.govcon.server.policies;

import java.time.Instant;
import java.util.UUID;

import dev.govcon.server.db.SqlArray;

/**
 * The parameters of one replay statement. Runs are reported when they ended in
 * [{@code start}, {@code end)}; a run is over when its usage mark exceeds {@code amount} and
 * near when it exceeds {@code warnAt} (null: no early warning). Day starts and segment bounds
 * travel as microseconds since the epoch.
 *
 * @param tokens     usage is input + output tokens (else spend in micro-dollars)
 * @param block      the action is BLOCK: over runs are blocked
 * @param warnOnOver the action is WARN: over runs are warned
 * @param scanStart  for minute and concurrency replays: runs that ended from here on are read
 * @param scanEnd    ... and before here (run_marks: runs that started before here)
 * @param overPlaces for minute and concurrency replays: a run is over when its (integer) mark
 *                   exceeds this, the amount capped to an int
 * @param nearPlaces ... and near when it exceeds this, the early-warning mark rounded down
 *                   (null: no early warning)
 * @param hoursFrom  replay totals: the whole rollup hours [hoursFrom, hoursTo) come from the
 *                   rollups, the rest of [start, end) from the run records
 * @param hoursTo    ...
 * @param markedFrom tenant-wide minute and concurrency replays split at {@code scanStart}: the
 *                   runs that started in [markedFrom, scanStart) were read from run_marks, and
 *                   those of them still running count as in flight (null: not split)
 * @param hourBins   every day start is a whole UTC hour: run_marks replays sum their flagged
 *                   runs per hour of their end before summing per day (SimulationMapper.xml)
 */
record ReplayQuery(UUID tenantId, ControlScope scope, boolean tokens, Instant start, Instant end, long amount,
                   Double warnAt, boolean block, boolean warnOnOver, SqlArray dayMicros,
                   SqlArray segmentStarts, SqlArray segmentEnds, SqlArray seeds, Instant scanStart,
                   Instant scanEnd, int overPlaces,
                   Integer nearPlaces, Instant hoursFrom, Instant hoursTo, Instant markedFrom,
                   boolean hourBins) {
}
