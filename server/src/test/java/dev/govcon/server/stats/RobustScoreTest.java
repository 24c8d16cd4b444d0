package dev.govcon.server.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RobustScoreTest {
    @Test
    void scoreIsDistanceFromMedianInScaledMads() {
        // median 10; deviations 2,1,0,1,2 → MAD 1 → scale 1.4826
        RobustScore s = RobustScore.of(new double[] {8, 9, 10, 11, 12}, 16);
        assertThat(s.median()).isEqualTo(10);
        assertThat(s.scale()).isCloseTo(1.4826, within(1e-12));
        assertThat(s.score()).isCloseTo(6 / 1.4826, within(1e-9));
        assertThat(s.exceeds(RobustScore.OUTLIER_THRESHOLD)).isTrue();
        assertThat(RobustScore.of(new double[] {8, 9, 10, 11, 12}, 7).score()).isCloseTo(-3 / 1.4826, within(1e-9));
    }

    @Test
    void anOutlierInTheHistoryDoesNotMaskTheNextOne() {
        double[] history = {100, 102, 98, 101, 99, 5000, 100};
        RobustScore spike = RobustScore.of(history, 400);
        assertThat(spike.median()).isEqualTo(100);
        assertThat(spike.exceeds(RobustScore.OUTLIER_THRESHOLD)).isTrue();
        assertThat(RobustScore.of(history, 101).exceeds(RobustScore.OUTLIER_THRESHOLD)).isFalse();
    }

    @Test
    void flatHistoryScoresZeroForTheSameValue() {
        RobustScore s = RobustScore.of(new double[] {7, 7, 7, 7}, 7);
        assertThat(s.score()).isZero();
        assertThat(s.scale()).isZero();
    }

    @Test
    void madZeroFallsBackToTheMeanAbsoluteDeviation() {
        // median 0, MAD 0 (most hours idle), mean |dev| = 12/6 = 2 → scale 2.506628
        RobustScore s = RobustScore.of(new double[] {0, 0, 0, 0, 4, 8}, 10);
        assertThat(s.median()).isZero();
        assertThat(s.scale()).isCloseTo(1.253314 * 2, within(1e-9));
        assertThat(s.score()).isCloseTo(10 / (1.253314 * 2), within(1e-9));
    }

    @Test
    void constantHistoryUsesTheFloorOrTheCap() {
        double[] zeros = {0, 0, 0, 0, 0, 0, 0};
        assertThat(RobustScore.of(zeros, 3).score()).isEqualTo(RobustScore.MAX_ABS_SCORE);
        assertThat(RobustScore.of(zeros, -3).score()).isEqualTo(-RobustScore.MAX_ABS_SCORE);
        RobustScore floored = RobustScore.of(zeros, 3, 1);
        assertThat(floored.scale()).isEqualTo(1);
        assertThat(floored.score()).isEqualTo(3);
        // the floor only ever widens the scale
        assertThat(RobustScore.of(new double[] {8, 9, 10, 11, 12}, 16, 0.5).scale()).isCloseTo(1.4826, within(1e-12));
    }

    @Test
    void medianOfEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(RobustScore.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(RobustScore.median(new double[] {5})).isEqualTo(5);
    }

    @Test
    void refusesAnEmptyHistoryOrABadFloor() {
        assertThatThrownBy(() -> RobustScore.of(new double[0], 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RobustScore.of(new double[] {1}, 1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
