package dev.govcon.server.signals;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.govcon.server.activity.LatencyHistogram;

/**
 * The hourly rollups of one tenant over [from, from + hours), per watched thing: cost, tokens,
 * runs and failed runs per hour (0 where no row), and the latency histogram of succeeded runs.
 */
final class HourlySeries {
    /** One watched thing's hours, index 0 = {@code from}. */
    static final class Hours {
        final double[] cost;
        final double[] tokens;
        final double[] runs;
        final double[] errors;
        final LatencyHistogram[] latency;

        Hours(int hours) {
            cost = new double[hours];
            tokens = new double[hours];
            runs = new double[hours];
            errors = new double[hours];
            latency = new LatencyHistogram[hours];
        }

        double[] metric(String metric) {
            return switch (metric) {
                case "COST" -> cost;
                case "TOKENS" -> tokens;
                case "ERRORS" -> errors;
                default -> throw new IllegalArgumentException(metric);
            };
        }

        /** The succeeded runs' latencies over [fromIndex, toIndex). */
        LatencyHistogram latency(int fromIndex, int toIndex) {
            LatencyHistogram sum = new LatencyHistogram();
            for (int i = Math.max(0, fromIndex); i < toIndex; i++) {
                if (latency[i] != null) {
                    sum = sum.plus(latency[i]);
                }
            }
            return sum;
        }
    }

    final Instant from;
    final int hours;
    /** The index of the tenant's first hour with any rollup (hours before it are not history). */
    final int firstDataIndex;
    final Map<Watched, Hours> byWatched;
    private final List<HourRow> rows;

    private HourlySeries(Instant from, int hours, int firstDataIndex, Map<Watched, Hours> byWatched,
                         List<HourRow> rows) {
        this.from = from;
        this.hours = hours;
        this.firstDataIndex = firstDataIndex;
        this.byWatched = byWatched;
        this.rows = rows;
    }

    /** Spend per hour of a limit's scope, which may cross the watched things (feature and model). */
    double[] spend(SpendLimitRow scope) {
        double[] out = new double[hours];
        for (HourRow r : rows) {
            int i = index(from, r.hour());
            if (i >= 0 && i < hours && scope.matches(r)) {
                out[i] += r.costMicros();
            }
        }
        return out;
    }

    static HourlySeries of(Instant from, int hours, List<HourRow> rows) {
        Map<Watched, Hours> by = new LinkedHashMap<>();
        by.put(Watched.TENANT, new Hours(hours));
        int first = hours;
        for (HourRow r : rows) {
            int i = index(from, r.hour());
            if (i < 0 || i >= hours) {
                continue;
            }
            first = Math.min(first, i);
            LatencyHistogram latency = r.status().equals("SUCCEEDED") && r.latencyHistogram() != null
                    ? LatencyHistogram.parse(r.latencyHistogram()) : null;
            for (Watched w : Watched.of(r)) {
                Hours h = by.computeIfAbsent(w, k -> new Hours(hours));
                h.cost[i] += r.costMicros();
                h.tokens[i] += r.tokens();
                h.runs[i] += r.runs();
                if (r.failed()) {
                    h.errors[i] += r.runs();
                }
                if (latency != null) {
                    h.latency[i] = h.latency[i] == null ? latency : h.latency[i].plus(latency);
                }
            }
        }
        return new HourlySeries(from, hours, first, by, rows);
    }

    static int index(Instant from, Instant hour) {
        return (int) Duration.between(from, hour).toHours();
    }

    Instant hourAt(int index) {
        return from.plus(Duration.ofHours(index));
    }
}
