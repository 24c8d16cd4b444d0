package dev.govcon.server.activity;

/**
 * Totals of finished runs for one value of a dimension (or of the whole window, value ""),
 * with the slowest run's latency and the summed latency histogram as text ({@code {n0,n1,...}}).
 */
public record GroupRow(String value, long runs, long succeededRuns, long failedRuns, long blockedRuns,
                       long cancelledRuns, long timedOutRuns, long inputTokens, long outputTokens,
                       long cachedInputTokens, long cacheWriteTokens, long reasoningTokens,
                       long costMicros, long costUnknownRuns, long latencyMsMax, String histogram) {

    public long totalTokens() {
        return inputTokens + outputTokens + cachedInputTokens + cacheWriteTokens + reasoningTokens;
    }

    public LatencyHistogram latency() {
        return LatencyHistogram.parse(histogram);
    }
}
