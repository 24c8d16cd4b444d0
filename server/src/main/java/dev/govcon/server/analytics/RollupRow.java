package dev.govcon.server.analytics;

import java.time.Instant;

/**
 * Totals of rollup rows (hourly and daily): per bucket and per key when the query grouped by
 * them (null otherwise). Tokens are all five classes; successful runs are SUCCEEDED ones;
 * retries are runs that named an earlier run they retried.
 */
record RollupRow(Instant bucket, String model, String provider, String feature, String environment,
                 long runs, long successfulRuns, long inputTokens, long outputTokens, long totalTokens,
                 long costMicros, long latencyMsSum, long retries) {

    RollupRow plus(RollupRow o) {
        return new RollupRow(bucket, model, provider, feature, environment, runs + o.runs,
                             successfulRuns + o.successfulRuns, inputTokens + o.inputTokens,
                             outputTokens + o.outputTokens, totalTokens + o.totalTokens,
                             costMicros + o.costMicros, latencyMsSum + o.latencyMsSum, retries + o.retries);
    }

    static RollupRow empty(Instant bucket) {
        return new RollupRow(bucket, null, null, null, null, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    static RollupRow sum(Iterable<RollupRow> rows) {
        RollupRow t = empty(null);
        for (RollupRow r : rows) {
            t = t.plus(r);
        }
        return t;
    }
}
