package dev.govcon.bench;

import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * What one scenario did in its measured window (warm-up excluded): how many units (runs or
 * calls) were acknowledged, how many calls failed, the latency of each acknowledged call or
 * batch, who used the CPU, and the server's memory while the scenario ran (setup included).
 */
record Result(String scenario, String unit, long count, long errors, String firstError, double seconds,
              Histogram latencyMicros, CpuMeter.Split cpu, String note, MemoryMeter.Peak memory,
              Map<String, Histogram> parts) {

    double perSecond() {
        return count / seconds;
    }

    Result withMemory(MemoryMeter.Peak peak) {
        return new Result(scenario, unit, count, errors, firstError, seconds, latencyMicros, cpu, note, peak, parts);
    }

    /** Latencies of the kinds of call a scenario mixes (the console reads), by name. */
    Result withParts(Map<String, Histogram> byName) {
        return new Result(scenario, unit, count, errors, firstError, seconds, latencyMicros, cpu, note, memory,
                          byName);
    }

    /** Microseconds at a percentile, or -1 when nothing was measured. */
    double percentileMicros(double percentile) {
        if (latencyMicros == null || latencyMicros.getTotalCount() == 0) {
            return -1;
        }
        return latencyMicros.getValueAtPercentile(percentile);
    }

    String latency() {
        return latency(latencyMicros);
    }

    static String latency(Histogram micros) {
        if (micros == null || micros.getTotalCount() == 0) {
            return "-";
        }
        return "p50 " + ms(micros.getValueAtPercentile(50)) + ", p95 " + ms(micros.getValueAtPercentile(95)) + ", p99 "
               + ms(micros.getValueAtPercentile(99));
    }

    /** Milliseconds, with two decimals below 10 ms (guard checks take a fraction of one). */
    static String ms(double micros) {
        return micros < 10_000 ? String.format("%.2f ms", micros / 1000.0) : String.format("%,.0f ms", micros / 1000.0);
    }
}
