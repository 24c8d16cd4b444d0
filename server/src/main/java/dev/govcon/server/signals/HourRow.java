package dev.govcon.server.signals;

import java.time.Instant;

/**
 * One row of {@code run_rollups_hourly} as detection reads it: tokens are input + output,
 * the latency histogram is PostgreSQL's text of its bigint[].
 */
public record HourRow(Instant hour, String model, String provider, String feature, String environment,
                      String status, long runs, long tokens, long costMicros, String latencyHistogram) {
    boolean failed() {
        return status.equals("FAILED") || status.equals("TIMED_OUT");
    }
}
