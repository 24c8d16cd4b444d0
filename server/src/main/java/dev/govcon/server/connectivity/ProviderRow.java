package dev.govcon.server.connectivity;

import java.time.Instant;

import dev.govcon.server.activity.LatencyHistogram;

/**
 * One provider's finished runs from the hourly rollups: seen in the listing window
 * ({@code lastHour}, the newest hour with a run), and its totals over the last 24 h with the
 * summed latency histogram as text ({@code {n0,n1,...}}, null when none).
 */
public record ProviderRow(String provider, Instant lastHour, long runs, long errorRuns, long latencyMsMax,
                          String histogram) {

    LatencyHistogram latency() {
        return LatencyHistogram.parse(histogram);
    }
}
