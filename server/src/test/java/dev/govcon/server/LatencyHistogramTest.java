package dev.govcon.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.govcon.server.activity.LatencyHistogram;

class LatencyHistogramTest {

    @Test
    void bucketsAreInclusiveUpperBoundsWithAnOverflowBucket() {
        assertThat(LatencyHistogram.BUCKETS).isEqualTo(17);
        assertThat(LatencyHistogram.bucketOf(0)).isEqualTo(0);
        assertThat(LatencyHistogram.bucketOf(49)).isEqualTo(0);
        assertThat(LatencyHistogram.bucketOf(50)).isEqualTo(1);
        assertThat(LatencyHistogram.bucketOf(999)).isEqualTo(6);
        assertThat(LatencyHistogram.bucketOf(1000)).isEqualTo(7);
        assertThat(LatencyHistogram.bucketOf(59999)).isEqualTo(15);
        assertThat(LatencyHistogram.bucketOf(60000)).isEqualTo(16);
    }

    @Test
    void percentilesInterpolateInsideTheBucket() {
        // 100 runs evenly in (100, 200]: the median is at the middle of that bucket.
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 100; i++) {
            h.add(150);
        }
        assertThat(h.percentile(0.5)).isEqualTo(150);
        assertThat(h.percentile(0.95)).isEqualTo(195);
        assertThat(h.percentile(1.0)).isEqualTo(200);
        assertThat(h.percentile(0.0)).isEqualTo(100);
    }

    @Test
    void percentilesAcrossBuckets() {
        LatencyHistogram h = LatencyHistogram.of(10, 20, 30, 40, 60, 70, 80, 90, 400, 70000);
        assertThat(h.total()).isEqualTo(10);
        // rank 5 of 10 is the last of bucket 0 (four runs) plus one of bucket 1 (four runs, 50..100).
        assertThat(h.percentile(0.5)).isEqualTo(Math.round(50 + 0.25 * 50));
        // rank 9.5 falls in the overflow bucket, which has no upper bound: its lower bound.
        assertThat(h.percentile(0.95)).isEqualTo(60000);
        assertThat(h.percentile(0.9)).isEqualTo(500);
        assertThat(new LatencyHistogram().percentile(0.5)).isZero();
        assertThatThrownBy(() -> h.percentile(1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesSumsAndRoundTrips() {
        LatencyHistogram a = LatencyHistogram.parse("{1,0,2,0,0,0,0,0,0,0,0,0,0,0,0,0,3}");
        LatencyHistogram b = LatencyHistogram.parse("1,1");
        LatencyHistogram sum = a.plus(b);
        assertThat(sum.counts()).startsWith(2, 1, 2);
        assertThat(sum.counts()[16]).isEqualTo(3);
        assertThat(sum.total()).isEqualTo(8);
        assertThat(LatencyHistogram.parse(null).total()).isZero();
        assertThat(LatencyHistogram.parse("{}").total()).isZero();
        assertThat(LatencyHistogram.ranges()).hasSize(17);
    }
}
