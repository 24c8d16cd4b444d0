package dev.govcon.server.policies;

import java.time.Instant;

/**
 * What a replay found for one day of the series (1-based index into the day starts) and one
 * feature: the runs and their spend, the runs blocked and warned, what blocking prevented,
 * and the first time a run went over the amount ({@code null} if none did).
 */
record ReplayRow(int day, String feature, long runs, long costMicros, long blocked, long warned,
                 long preventedCostMicros, long preventedTokens, Instant reachedAt) {
}
