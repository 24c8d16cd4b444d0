package dev.govcon.server.activity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The latency histogram of {@code run_rollups_hourly.latency_histogram}: counts of runs per
 * bucket. Bucket {@code i} holds latencies in [{@code BOUNDS[i-1]}, {@code BOUNDS[i]}) ms
 * (bucket 0 from 0); the last bucket, index {@code BOUNDS.length}, holds 60 s and above. The
 * database fills it (SQL function {@code latency_histogram}, PostgreSQL's width_bucket), and
 * {@link #bucketOf} agrees with it. Percentiles interpolate linearly inside the bucket where the rank falls; the
 * overflow bucket, having no upper bound, answers its lower bound.
 */
public final class LatencyHistogram {
    public static final long[] BOUNDS = {
        50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 30000, 60000};
    public static final int BUCKETS = BOUNDS.length + 1;

    private final long[] counts;

    public LatencyHistogram() {
        this.counts = new long[BUCKETS];
    }

    private LatencyHistogram(long[] counts) {
        this.counts = counts;
    }

    /** The bucket a latency falls in. */
    /** 1..BUCKETS: the SQL array positions of the buckets (for mapper XML). */
    public static List<Integer> positions() {
        return java.util.stream.IntStream.rangeClosed(1, BUCKETS).boxed().toList();
    }

    public static int bucketOf(long latencyMs) {
        for (int i = 0; i < BOUNDS.length; i++) {
            if (latencyMs < BOUNDS[i]) {
                return i;
            }
        }
        return BOUNDS.length;
    }

    /** Parses PostgreSQL's text form of a bigint[] ({@code {1,2,3}}) or a comma list; null/empty = all zero. */
    public static LatencyHistogram parse(String text) {
        LatencyHistogram h = new LatencyHistogram();
        if (text == null) {
            return h;
        }
        String t = text.replace("{", "").replace("}", "").strip();
        if (t.isEmpty()) {
            return h;
        }
        String[] parts = t.split(",");
        for (int i = 0; i < parts.length && i < BUCKETS; i++) {
            String p = parts[i].strip();
            h.counts[i] += p.isEmpty() || p.equals("NULL") ? 0 : Long.parseLong(p);
        }
        // A longer array than ours (never written) folds into the overflow bucket.
        for (int i = BUCKETS; i < parts.length; i++) {
            h.counts[BUCKETS - 1] += Long.parseLong(parts[i].strip());
        }
        return h;
    }

    public static LatencyHistogram of(long... latenciesMs) {
        LatencyHistogram h = new LatencyHistogram();
        for (long ms : latenciesMs) {
            h.add(ms);
        }
        return h;
    }

    public void add(long latencyMs) {
        counts[bucketOf(latencyMs)]++;
    }

    public LatencyHistogram plus(LatencyHistogram other) {
        long[] sum = counts.clone();
        for (int i = 0; i < BUCKETS; i++) {
            sum[i] += other.counts[i];
        }
        return new LatencyHistogram(sum);
    }

    public long total() {
        return Arrays.stream(counts).sum();
    }

    public long[] counts() {
        return counts.clone();
    }

    public static long lowerBound(int bucket) {
        return bucket == 0 ? 0 : BOUNDS[bucket - 1];
    }

    /**
     * The latency at quantile {@code q} (0..1), 0 for an empty histogram. The rank q * n is
     * located in its bucket and interpolated linearly between the bucket's bounds.
     */
    public long percentile(double q) {
        if (q < 0 || q > 1 || Double.isNaN(q)) {
            throw new IllegalArgumentException("quantile must be within [0, 1]: " + q);
        }
        long n = total();
        if (n == 0) {
            return 0;
        }
        double rank = q * n;
        long before = 0;
        for (int i = 0; i < BUCKETS; i++) {
            long c = counts[i];
            if (c == 0) {
                continue;
            }
            if (before + c >= rank) {
                long lo = lowerBound(i);
                if (i == BOUNDS.length) {
                    return lo;
                }
                double fraction = (rank - before) / c;
                return Math.round(lo + fraction * (BOUNDS[i] - lo));
            }
            before += c;
        }
        return lowerBound(BUCKETS - 1);
    }

    /** One bucket as a latency range [lo, hi), for SQL that builds a histogram from raw latencies. */
    public record Range(long lo, long hi) {
    }

    public static List<Range> ranges() {
        List<Range> out = new ArrayList<>();
        for (int i = 0; i < BUCKETS; i++) {
            out.add(new Range(i == 0 ? Long.MIN_VALUE : BOUNDS[i - 1], i == BOUNDS.length ? Long.MAX_VALUE : BOUNDS[i]));
        }
        return out;
    }

    @Override
    public String toString() {
        return Arrays.toString(counts);
    }
}
