package dev.govcon.server.stats;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * A forecast of a daily series by Holt's linear trend method (double exponential smoothing,
 * additive trend, no seasonality), with prediction intervals from its state-space form
 * ETS(A,A,N) (Hyndman and Athanasopoulos, <i>Forecasting: Principles and Practice</i>, 8.7).
 *
 * <p>The method, exactly:
 * <ul>
 * <li>level {@code l} and trend {@code b} start at {@code l0 = y[0]}, {@code b0 = y[1] - y[0]}
 *     (trend 0 for a series of one value);</li>
 * <li>for each later day: {@code l = α y + (1-α)(l' + b')}, {@code b = β* (l - l') + (1-β*) b'};</li>
 * <li>α and β* are the pair on the grid 0.05, 0.10, …, 0.95 that minimises the sum of squared
 *     one-step errors {@code y[t] - (l[t-1] + b[t-1])} for t ≥ 2 (the error at t = 1 is zero by
 *     construction); ties keep the smaller α, then the smaller β*;</li>
 * <li>the point forecast h days ahead is {@code l + h b};</li>
 * <li>σ² is the mean of those squared one-step errors (0 for fewer than three days, so a
 *     series too short to judge gets a zero-width interval);</li>
 * <li>the h-day error variance is {@code σ² (1 + Σ_{k=1}^{h-1} (α + β k)²)} with
 *     {@code β = α β*}, and an interval of confidence c is the point ± z σ_h, z the normal
 *     quantile at (1 + c) / 2;</li>
 * <li>the total over the horizon ({@link #total()}) has variance {@code σ² Σ_{i=1}^{H} c_i²} with
 *     {@code c_i = 1 + α (H - i) + β (H - i)(H - i + 1) / 2}: the errors of later days share the
 *     earlier shocks, so this is wider than adding the days' variances.</li>
 * </ul>
 * Values are not clamped: for a series that cannot be negative (spend), call
 * {@link #nonNegative()}. Holt's method follows a trend and ignores weekly cycles; on a series
 * with one, the cycle shows up as a wider interval, not as a cycle in the forecast.
 */
public final class Forecast {
    /** One forecast day: {@code step} days after the last observed day (1 = the next day). */
    public record Point(int step, double value, double low, double high) {
    }

    private static final double GRID_STEP = 0.05;

    private final double alpha;
    private final double betaStar;
    private final double level;
    private final double trend;
    private final double sigma;
    private final double z;
    private final double confidence;
    private final List<Point> points;
    private final Point total;

    private Forecast(double alpha, double betaStar, double level, double trend, double sigma,
                     double confidence, List<Point> points, Point total) {
        this.alpha = alpha;
        this.betaStar = betaStar;
        this.level = level;
        this.trend = trend;
        this.sigma = sigma;
        this.confidence = confidence;
        this.z = quantile(confidence);
        this.points = List.copyOf(points);
        this.total = total;
    }

    /**
     * @param daily the observed days, oldest first; at least one
     * @param horizonDays how many days to forecast; at least one
     * @param confidence the interval's coverage, strictly between 0 and 1 (e.g. 0.8, 0.95)
     */
    public static Forecast holt(double[] daily, int horizonDays, double confidence) {
        if (daily.length == 0) {
            throw new IllegalArgumentException("daily is empty");
        }
        for (double v : daily) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("daily holds a value that is not a finite number");
            }
        }
        if (horizonDays < 1) {
            throw new IllegalArgumentException("horizonDays must be at least 1");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be strictly between 0 and 1");
        }
        Fit best = null;
        for (int a = 1; a <= 19; a++) {
            for (int b = 1; b <= 19; b++) {
                Fit fit = Fit.run(daily, a * GRID_STEP, b * GRID_STEP);
                if (best == null || fit.sse < best.sse - 1e-9 * Math.max(1, best.sse)) {
                    best = fit;
                }
            }
        }
        double sigma = best.errors > 0 ? Math.sqrt(best.sse / best.errors) : 0;
        double z = quantile(confidence);
        double beta = best.alpha * best.betaStar;
        List<Point> points = new ArrayList<>(horizonDays);
        double sumSquares = 0; // Σ_{k=1}^{h-1} (α + β k)²
        for (int h = 1; h <= horizonDays; h++) {
            if (h > 1) {
                double c = best.alpha + beta * (h - 1);
                sumSquares += c * c;
            }
            double value = best.level + h * best.trend;
            double half = z * sigma * Math.sqrt(1 + sumSquares);
            points.add(new Point(h, value, value - half, value + half));
        }
        double totalValue = 0;
        double totalSquares = 0;
        for (int i = 1; i <= horizonDays; i++) {
            totalValue += points.get(i - 1).value();
            int rest = horizonDays - i;
            double c = 1 + best.alpha * rest + beta * rest * (rest + 1) / 2.0;
            totalSquares += c * c;
        }
        double totalHalf = z * sigma * Math.sqrt(totalSquares);
        Point total = new Point(horizonDays, totalValue, totalValue - totalHalf, totalValue + totalHalf);
        return new Forecast(best.alpha, best.betaStar, best.level, best.trend, sigma, confidence,
                            points, total);
    }

    /** The same forecast with every value, low and high raised to at least 0. */
    public Forecast nonNegative() {
        List<Point> clamped = points.stream().map(Forecast::clamp).toList();
        return new Forecast(alpha, betaStar, level, trend, sigma, confidence, clamped, clamp(total));
    }

    /** One point per day of the horizon, step 1 first. */
    public List<Point> points() {
        return points;
    }

    /** The sum over the horizon, with its interval; {@code step} is the horizon. */
    public Point total() {
        return total;
    }

    public double alpha() {
        return alpha;
    }

    /** The trend smoothing β* of the error-correction form (β = α β* in the state-space form). */
    public double betaStar() {
        return betaStar;
    }

    /** The smoothed level at the last observed day. */
    public double level() {
        return level;
    }

    /** The smoothed change per day at the last observed day. */
    public double trend() {
        return trend;
    }

    /** The standard deviation of one-step errors. */
    public double sigma() {
        return sigma;
    }

    public double confidence() {
        return confidence;
    }

    /** The normal quantile the intervals use. */
    public double z() {
        return z;
    }

    private static Point clamp(Point p) {
        return new Point(p.step(), Math.max(0, p.value()), Math.max(0, p.low()), Math.max(0, p.high()));
    }

    private static double quantile(double confidence) {
        return new NormalDistribution(null, 0, 1).inverseCumulativeProbability((1 + confidence) / 2);
    }

    private record Fit(double alpha, double betaStar, double level, double trend, double sse, int errors) {
        static Fit run(double[] y, double alpha, double betaStar) {
            double level = y[0];
            double trend = y.length > 1 ? y[1] - y[0] : 0;
            double sse = 0;
            int errors = 0;
            for (int t = 1; t < y.length; t++) {
                double predicted = level + trend;
                if (t >= 2) {
                    double e = y[t] - predicted;
                    sse += e * e;
                    errors++;
                }
                double previous = level;
                level = alpha * y[t] + (1 - alpha) * predicted;
                trend = betaStar * (level - previous) + (1 - betaStar) * trend;
            }
            return new Fit(alpha, betaStar, level, trend, sse, errors);
        }
    }
}
