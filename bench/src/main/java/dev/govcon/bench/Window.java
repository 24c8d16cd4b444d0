package dev.govcon.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The clock of a scenario: work done during the warm-up is not counted, work done during the
 * measured window is (runs, and the latency of each acknowledged batch).
 */
final class Window {
    private final long measureFrom;
    private final long deadline;
    private final AtomicLong runs = new AtomicLong();
    private final Histogram latencyMicros = new ConcurrentHistogram(60_000_000L, 3);

    Window(Duration warmup, Duration measured) {
        this.measureFrom = System.nanoTime() + warmup.toNanos();
        this.deadline = measureFrom + measured.toNanos();
    }

    boolean open() {
        return System.nanoTime() < deadline;
    }

    /** Records a batch acknowledged now that was sent at {@code sentNanos}. */
    void acked(int count, long sentNanos) {
        long now = System.nanoTime();
        if (now >= measureFrom && now < deadline) {
            runs.addAndGet(count);
            latencyMicros.recordValue(Math.max(0, (now - sentNanos) / 1000));
        }
    }

    Result result(String scenario, Duration measured, String note) {
        return new Result(scenario, runs.get(), measured.toNanos() / 1e9, latencyMicros, note);
    }
}
