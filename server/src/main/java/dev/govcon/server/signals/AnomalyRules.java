package dev.govcon.server.signals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.govcon.server.stats.RobustScore;

/**
 * Anomalous hours of cost, tokens and failed runs, for the tenant and each model, provider
 * and feature: the hour's value is scored ({@link RobustScore}) against the same hour of up to
 * {@value #BASELINE_DAYS} previous days (days before the tenant's first rollup are not
 * history; at least {@value #MIN_BASELINE_DAYS} are needed). An hour is anomalous when
 * |score| ≥ 3.5, in either direction. Scale floors (1 cent, 100 tokens, 1 failed run) keep a
 * constant history from turning every small wobble into an anomaly. Severity by |score|:
 * ≥ 20 CRITICAL, ≥ 10 HIGH, ≥ 6 MEDIUM, else LOW.
 */
public final class AnomalyRules {
    public static final int BASELINE_DAYS = 7;
    public static final int MIN_BASELINE_DAYS = 3;
    static final String[] METRICS = {"COST", "TOKENS", "ERRORS"};

    private AnomalyRules() {
    }

    /** The scale floor of a metric ("COST" in micro-dollars, "TOKENS", "ERRORS" in runs). */
    public static double floor(String metric) {
        return switch (metric) {
            case "COST" -> 10_000;
            case "TOKENS" -> 100;
            default -> 1;
        };
    }

    public static String severity(double score) {
        double s = Math.abs(score);
        return s >= 20 ? "CRITICAL" : s >= 10 ? "HIGH" : s >= 6 ? "MEDIUM" : "LOW";
    }

    /** The anomalies of hours [fromIndex, toIndex) of the series. */
    static List<AnomalyRow> detect(UUID tenantId, HourlySeries series, int fromIndex, int toIndex, Instant now) {
        List<AnomalyRow> out = new ArrayList<>();
        for (int i = Math.max(0, fromIndex); i < toIndex; i++) {
            List<Integer> baseline = new ArrayList<>();
            for (int d = 1; d <= BASELINE_DAYS; d++) {
                int j = i - 24 * d;
                if (j >= series.firstDataIndex && j >= 0) {
                    baseline.add(j);
                }
            }
            if (baseline.size() < MIN_BASELINE_DAYS) {
                continue;
            }
            for (Map.Entry<Watched, HourlySeries.Hours> e : series.byWatched.entrySet()) {
                for (String metric : METRICS) {
                    double[] values = e.getValue().metric(metric);
                    double[] history = baseline.stream().mapToDouble(j -> values[j]).toArray();
                    RobustScore s = RobustScore.of(history, values[i], floor(metric));
                    if (s.exceeds(RobustScore.OUTLIER_THRESHOLD)) {
                        Instant hour = series.hourAt(i);
                        Watched w = e.getKey();
                        out.add(new AnomalyRow(tenantId, id(tenantId, metric, w, hour), metric, w.dimension(),
                                w.key(), hour, values[i], s.median(), s.scale() / RobustScore.MAD_SCALE,
                                s.score(), severity(s.score()), history.length, now));
                    }
                }
            }
        }
        return out;
    }

    /** The same (metric, watched, hour) always has the same id. */
    static UUID id(UUID tenantId, String metric, Watched w, Instant hour) {
        String key = tenantId + "|" + metric + "|" + w.dimension() + "|" + w.key() + "|" + hour.getEpochSecond();
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
    }
}
