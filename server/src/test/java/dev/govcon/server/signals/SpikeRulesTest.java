package dev.govcon.server.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.govcon.server.activity.LatencyHistogram;

/** The spike rules on constructed hours, without a database. */
class SpikeRulesTest {
    static final Instant FROM = Instant.parse("2031-01-01T00:00:00Z");

    static HourRow row(int hour, String status, long runs, long cost, long latencyMs) {
        long[] counts = new long[LatencyHistogram.BUCKETS];
        counts[LatencyHistogram.bucketOf(latencyMs)] = runs;
        return new HourRow(FROM.plus(Duration.ofHours(hour)), "m", "p", "f", "production", status, runs, runs * 100,
                           cost, Arrays.stream(counts).mapToObj(Long::toString).collect(Collectors.joining(",", "{", "}")));
    }

    static List<HourRow> flat(int hours) {
        List<HourRow> rows = new ArrayList<>();
        for (int h = 0; h < hours; h++) {
            rows.add(row(h, "SUCCEEDED", 30, 500_000, 800));
        }
        return rows;
    }

    @Test
    void slowerRecentHourIsALatencyDegradationEverywhereItRan() {
        List<HourRow> rows = flat(48);
        rows.add(row(48, "SUCCEEDED", 30, 500_000, 3000));
        List<Detected> found = SpikeRules.detect(HourlySeries.of(FROM, 49, rows), 48);
        assertThat(found).extracting(Detected::type, d -> d.watched().dimension(), Detected::severity)
                .containsExactlyInAnyOrder(tuple("LATENCY_DEGRADATION", "", "CRITICAL"),
                                           tuple("LATENCY_DEGRADATION", "MODEL", "CRITICAL"),
                                           tuple("LATENCY_DEGRADATION", "PROVIDER", "CRITICAL"),
                                           tuple("LATENCY_DEGRADATION", "FEATURE", "CRITICAL"));
        // p95 interpolated in the histogram's buckets: [750, 1000) before, [3000, 5000) now
        assertThat(found.get(0).baseline()).isEqualTo(988);
        assertThat(found.get(0).value()).isEqualTo(4900);
    }

    @Test
    void flatHoursRaiseNothing() {
        List<HourRow> rows = flat(49);
        assertThat(SpikeRules.detect(HourlySeries.of(FROM, 49, rows), 48)).isEmpty();
    }

    @Test
    void tooFewRunsOrTooShortAHistoryAreNotJudged() {
        List<HourRow> rows = flat(48);
        rows.add(row(48, "SUCCEEDED", 10, 500_000, 3000));
        rows.add(row(48, "FAILED", 9, 0, 100));
        // 19 runs: neither latency nor error rate is judged; cost is unchanged
        assertThat(SpikeRules.detect(HourlySeries.of(FROM, 49, rows), 48)).isEmpty();

        List<HourRow> young = flat(10);
        young.add(row(10, "SUCCEEDED", 30, 50_000_000, 800));
        assertThat(SpikeRules.detect(HourlySeries.of(FROM, 11, young), 10)).isEmpty();
    }

    @Test
    void smallCostWobblesAreNotSpikes() {
        List<HourRow> rows = flat(48);
        rows.add(row(48, "SUCCEEDED", 30, 580_000, 800)); // +8 cents: under the 10-cent step
        assertThat(SpikeRules.detect(HourlySeries.of(FROM, 49, rows), 48)).isEmpty();
        rows.set(48, row(48, "SUCCEEDED", 30, 1_100_000, 800)); // 2.2 × the median
        assertThat(SpikeRules.detect(HourlySeries.of(FROM, 49, rows), 48)).extracting(Detected::type, Detected::severity)
                .containsOnly(tuple("COST_SPIKE", "LOW")).hasSize(4);
    }
}
