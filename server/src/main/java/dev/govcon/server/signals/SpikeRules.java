package dev.govcon.server.signals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.govcon.server.activity.LatencyHistogram;
import dev.govcon.server.stats.RobustScore;

/**
 * Cost spikes, error-rate spikes and latency degradation of the last complete hour, for the
 * tenant and each model, provider and feature that ran in it, against the up to 168 hours
 * before it (hours before the tenant's first rollup are not history). The thresholds
 * combine a relative and an absolute step so that neither a tiny tenant's cents nor a huge
 * tenant's noise raises signals:
 * <ul>
 * <li>COST_SPIKE: robust score of the hour's cost against the baseline hours ≥ 3.5 (scale
 *     floor 1 cent), cost ≥ 2 × the baseline median and ≥ median + 10 cents. Severity by
 *     cost / median: ≥ 10 CRITICAL, ≥ 5 HIGH, ≥ 3 MEDIUM, else LOW.</li>
 * <li>ERROR_RATE_SPIKE: at least 20 runs in the hour; failed share (FAILED, TIMED_OUT) ≥ 2 ×
 *     the baseline share and ≥ baseline + 0.10. Severity by the share: ≥ 0.5 CRITICAL,
 *     ≥ 0.25 HIGH, ≥ 0.15 MEDIUM, else LOW.</li>
 * <li>LATENCY_DEGRADATION: at least 20 succeeded runs in the hour and 100 in the baseline; p95
 *     latency ≥ 1.5 × the baseline p95 and ≥ baseline + 200 ms. Severity by the ratio: ≥ 4
 *     CRITICAL, ≥ 3 HIGH, ≥ 2 MEDIUM, else LOW.</li>
 * </ul>
 * A baseline needs at least 24 hours; with less, nothing is judged.
 */
final class SpikeRules {
    static final int BASELINE_HOURS = 168;
    static final int MIN_BASELINE_HOURS = 24;
    static final double COST_FLOOR_MICROS = 10_000;
    static final double COST_MIN_STEP_MICROS = 100_000;
    static final int MIN_RUNS = 20;
    static final int MIN_BASELINE_RUNS = 100;

    private SpikeRules() {
    }

    /** @param recent the index of the hour judged; its baseline is the hours before it */
    static List<Detected> detect(HourlySeries series, int recent) {
        int baselineStart = Math.max(series.firstDataIndex, recent - BASELINE_HOURS);
        List<Detected> out = new ArrayList<>();
        if (recent - baselineStart < MIN_BASELINE_HOURS) {
            return out;
        }
        for (Map.Entry<Watched, HourlySeries.Hours> e : series.byWatched.entrySet()) {
            Watched w = e.getKey();
            HourlySeries.Hours h = e.getValue();
            if (h.runs[recent] == 0) {
                continue;
            }
            cost(w, h, baselineStart, recent, out);
            errors(w, h, baselineStart, recent, out);
            latency(w, h, baselineStart, recent, out);
        }
        return out;
    }

    private static void cost(Watched w, HourlySeries.Hours h, int from, int recent, List<Detected> out) {
        double[] baseline = Arrays.copyOfRange(h.cost, from, recent);
        double value = h.cost[recent];
        RobustScore s = RobustScore.of(baseline, value, COST_FLOOR_MICROS);
        double median = s.median();
        if (s.score() >= RobustScore.OUTLIER_THRESHOLD && value >= 2 * median
            && value - median >= COST_MIN_STEP_MICROS) {
            double ratio = value / Math.max(median, 1);
            String severity = ratio >= 10 ? "CRITICAL" : ratio >= 5 ? "HIGH" : ratio >= 3 ? "MEDIUM" : "LOW";
            out.add(new Detected("COST_SPIKE", w, null, value, median, "micros_per_hour", severity,
                    String.format("Cost of %s in the last hour was $%.2f, %s the usual $%.2f per hour.",
                                  w.describe(), value / 1e6, times(ratio), median / 1e6)));
        }
    }

    private static void errors(Watched w, HourlySeries.Hours h, int from, int recent, List<Detected> out) {
        double runs = h.runs[recent];
        if (runs < MIN_RUNS) {
            return;
        }
        double baseRuns = 0;
        double baseErrors = 0;
        for (int i = from; i < recent; i++) {
            baseRuns += h.runs[i];
            baseErrors += h.errors[i];
        }
        double rate = h.errors[recent] / runs;
        double baseline = baseRuns == 0 ? 0 : baseErrors / baseRuns;
        if (rate >= 2 * baseline && rate >= baseline + 0.10) {
            String severity = rate >= 0.5 ? "CRITICAL" : rate >= 0.25 ? "HIGH" : rate >= 0.15 ? "MEDIUM" : "LOW";
            out.add(new Detected("ERROR_RATE_SPIKE", w, null, rate, baseline, "ratio", severity,
                    String.format("%.0f%% of runs of %s failed in the last hour, against %.1f%% usually.",
                                  rate * 100, w.describe(), baseline * 100)));
        }
    }

    private static void latency(Watched w, HourlySeries.Hours h, int from, int recent, List<Detected> out) {
        LatencyHistogram now = h.latency(recent, recent + 1);
        LatencyHistogram before = h.latency(from, recent);
        if (now.total() < MIN_RUNS || before.total() < MIN_BASELINE_RUNS) {
            return;
        }
        double p95 = now.percentile(0.95);
        double baseline = before.percentile(0.95);
        if (p95 >= 1.5 * baseline && p95 - baseline >= 200) {
            double ratio = p95 / Math.max(baseline, 1);
            String severity = ratio >= 4 ? "CRITICAL" : ratio >= 3 ? "HIGH" : ratio >= 2 ? "MEDIUM" : "LOW";
            out.add(new Detected("LATENCY_DEGRADATION", w, null, p95, baseline, "ms", severity,
                    String.format("p95 latency of %s was %.0f ms in the last hour, against %.0f ms usually.",
                                  w.describe(), p95, baseline)));
        }
    }

    private static String times(double ratio) {
        return String.format("%.1f times", ratio);
    }
}
