package dev.govcon.server.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.govcon.server.stats.Forecast.Point;

class ForecastTest {
    @Test
    void flatSeriesForecastsItsValueWithAZeroWidthInterval() {
        double[] flat = new double[21];
        java.util.Arrays.fill(flat, 40);
        Forecast f = Forecast.holt(flat, 5, 0.9);
        assertThat(f.points()).hasSize(5).allSatisfy(p -> {
            assertThat(p.value()).isCloseTo(40, within(1e-9));
            assertThat(p.low()).isCloseTo(40, within(1e-9));
            assertThat(p.high()).isCloseTo(40, within(1e-9));
        });
        assertThat(f.total().value()).isCloseTo(200, within(1e-9));
        assertThat(f.trend()).isCloseTo(0, within(1e-12));
    }

    @Test
    void linearGrowthIsExtrapolatedExactly() {
        double[] line = new double[10];
        for (int t = 0; t < line.length; t++) {
            line[t] = 10 + 2 * t; // last day 28
        }
        Forecast f = Forecast.holt(line, 3, 0.8);
        assertThat(f.trend()).isCloseTo(2, within(1e-9));
        assertThat(f.points().get(0).value()).isCloseTo(30, within(1e-9));
        assertThat(f.points().get(1).value()).isCloseTo(32, within(1e-9));
        assertThat(f.points().get(2).value()).isCloseTo(34, within(1e-9));
        assertThat(f.sigma()).isCloseTo(0, within(1e-9));
        assertThat(f.total().value()).isCloseTo(96, within(1e-9));
    }

    @Test
    void noisyGrowthKeepsItsTrendAndTheTruthInsideThe95Interval() {
        Random random = new Random(7);
        double[] noisy = new double[30];
        for (int t = 0; t < noisy.length; t++) {
            noisy[t] = 100 + 3 * t + random.nextGaussian() * 5;
        }
        Forecast f = Forecast.holt(noisy, 10, 0.95);
        assertThat(f.trend()).isCloseTo(3, within(1.0));
        Point tenth = f.points().get(9);
        assertThat(tenth.step()).isEqualTo(10);
        assertThat(217.0).isBetween(tenth.low(), tenth.high()); // 100 + 3 × 39
        // intervals widen with the horizon
        for (int h = 1; h < 10; h++) {
            Point p = f.points().get(h);
            Point q = f.points().get(h - 1);
            assertThat(p.high() - p.low()).isGreaterThan(q.high() - q.low());
        }
        double trueTotal = 0;
        for (int t = 30; t < 40; t++) {
            trueTotal += 100 + 3 * t;
        }
        assertThat(trueTotal).isBetween(f.total().low(), f.total().high());
        // the total's interval is wider than adding the daily variances would make it
        double independent = 0;
        for (Point p : f.points()) {
            double half = (p.high() - p.low()) / 2;
            independent += half * half;
        }
        assertThat((f.total().high() - f.total().low()) / 2).isGreaterThan(Math.sqrt(independent));
    }

    @Test
    void weeklyCycleIsCoveredByTheIntervalNotModelled() {
        double[] weekly = new double[28]; // four weeks: five days at 100, two at 20
        for (int t = 0; t < weekly.length; t++) {
            weekly[t] = t % 7 < 5 ? 100 : 20;
        }
        Forecast f = Forecast.holt(weekly, 7, 0.8);
        for (int h = 1; h <= 7; h++) {
            double truth = (27 + h) % 7 < 5 ? 100 : 20;
            Point p = f.points().get(h - 1);
            assertThat(truth).as("day %d", h).isBetween(p.low(), p.high());
        }
        assertThat(540.0).isBetween(f.total().low(), f.total().high());
        assertThat(f.nonNegative().points()).allSatisfy(p -> assertThat(p.low()).isGreaterThanOrEqualTo(0));
    }

    @Test
    void aSpikeWidensTheIntervalButBarelyMovesTheForecast() {
        double[] series = new double[14];
        java.util.Arrays.fill(series, 50);
        series[10] = 500;
        Forecast f = Forecast.holt(series, 3, 0.8);
        assertThat(f.points().get(0).value()).isBetween(50.0, 100.0);
        assertThat(f.sigma()).isGreaterThan(0);
        double[] before = java.util.Arrays.copyOf(series, 10);
        assertThat(RobustScore.of(before, series[10]).exceeds(RobustScore.OUTLIER_THRESHOLD)).isTrue();
    }

    @Test
    void shortSeriesStillForecast() {
        Forecast one = Forecast.holt(new double[] {12}, 2, 0.8);
        assertThat(one.points()).extracting(Point::value).containsExactly(12.0, 12.0);
        Forecast two = Forecast.holt(new double[] {10, 14}, 1, 0.8);
        assertThat(two.points().get(0).value()).isCloseTo(18, within(1e-9));
    }

    @Test
    void refusesBadArguments() {
        assertThatThrownBy(() -> Forecast.holt(new double[0], 1, 0.8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Forecast.holt(new double[] {1}, 0, 0.8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Forecast.holt(new double[] {1}, 1, 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Forecast.holt(new double[] {1, Double.NaN}, 1, 0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zIsTheNormalQuantile() {
        assertThat(Forecast.holt(new double[] {1}, 1, 0.95).z()).isCloseTo(1.959964, within(1e-5));
        assertThat(Forecast.holt(new double[] {1}, 1, 0.8).z()).isCloseTo(1.281552, within(1e-5));
    }
}
