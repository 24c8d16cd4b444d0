package dev.govcon.bench;

import org.HdrHistogram.Histogram;

/** What one scenario did in its measured window (warm-up excluded). */
record Result(String scenario, long runs, double seconds, Histogram latencyMicros, CpuMeter.Split cpu, String note) {
    double runsPerSecond() {
        return runs / seconds;
    }

    String latency() {
        if (latencyMicros == null || latencyMicros.getTotalCount() == 0) {
            return "-";
        }
        return String.format("p50 %.0f ms, p99 %.0f ms", latencyMicros.getValueAtPercentile(50) / 1000.0,
                             latencyMicros.getValueAtPercentile(99) / 1000.0);
    }
}
