package dev.govcon.server.stats;

import java.util.Arrays;

/**
 * How far an observation lies from a history, in robust standard deviations: the modified
 * z-score of Iglewicz and Hoaglin, {@code (observed - median) / scale}, where the scale is the
 * median absolute deviation (MAD) times 1.4826, so that it equals one standard deviation when
 * the history is normal. Median and MAD ignore a minority of outliers in the history, which a
 * mean and standard deviation would not.
 *
 * <p>The rule when MAD = 0 (more than half of the history is one value, e.g. an hour that
 * is usually zero): the scale falls back to the mean absolute deviation from the median times
 * 1.253314 (√(π/2), again one standard deviation for a normal history). When that is zero too
 * (the history is constant), the scale is the {@code minScale} the caller gives; with no floor
 * the score is 0 for an observation equal to the history and ±{@link #MAX_ABS_SCORE} for any
 * other, so a first change after a constant history always stands out and the score stays a
 * finite number. A caller that knows its unit (one token, one error, one cent) passes it as
 * {@code minScale}, which also keeps tiny wobbles in near-constant series from scoring high.
 */
public record RobustScore(double observed, double median, double scale, double score) {
    /** The MAD of a normal distribution is 0.6745 σ; 1 / 0.6745 = 1.4826. */
    public static final double MAD_SCALE = 1.4826;
    /** The mean absolute deviation of a normal distribution is σ √(2/π); the inverse is this. */
    public static final double MEAN_AD_SCALE = 1.253314;
    /** The score given to any change after a constant history when there is no floor. */
    public static final double MAX_ABS_SCORE = 1_000_000;
    /** Iglewicz and Hoaglin's suggested cut for a modified z-score to call a point an outlier. */
    public static final double OUTLIER_THRESHOLD = 3.5;

    public static RobustScore of(double[] history, double observed) {
        return of(history, observed, 0);
    }

    /**
     * @param history at least one value (not changed)
     * @param minScale the least scale to divide by, in the series' unit; 0 for none
     */
    public static RobustScore of(double[] history, double observed, double minScale) {
        if (history.length == 0) {
            throw new IllegalArgumentException("history is empty");
        }
        if (!(minScale >= 0) || Double.isInfinite(minScale)) {
            throw new IllegalArgumentException("minScale must be a finite number >= 0");
        }
        double median = median(history);
        double[] deviations = new double[history.length];
        double sum = 0;
        for (int i = 0; i < history.length; i++) {
            deviations[i] = Math.abs(history[i] - median);
            sum += deviations[i];
        }
        double scale = MAD_SCALE * median(deviations);
        if (scale == 0) {
            scale = MEAN_AD_SCALE * sum / history.length;
        }
        scale = Math.max(scale, minScale);
        double diff = observed - median;
        double score;
        if (scale > 0) {
            score = Math.max(-MAX_ABS_SCORE, Math.min(MAX_ABS_SCORE, diff / scale));
        } else {
            score = diff == 0 ? 0 : Math.copySign(MAX_ABS_SCORE, diff);
        }
        return new RobustScore(observed, median, scale, score);
    }

    /** True when the score's size reaches {@code threshold} (e.g. {@link #OUTLIER_THRESHOLD}). */
    public boolean exceeds(double threshold) {
        return Math.abs(score) >= threshold;
    }

    /** The middle value; the mean of the two middle values for an even count. */
    public static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
