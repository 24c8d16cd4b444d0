package dev.govcon.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The clock of a scenario: work done during the warm-up is not counted, work done during the
 * measured window is (units acknowledged, failed calls, the latency of each acknowledged call
 * or batch, and who used the CPU).
 */
final class Window {
    private final long measureFrom;
    private final long deadline;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final Histogram latencyMicros = new ConcurrentHistogram(60_000_000L, 3);
    private final CompletableFuture<CpuMeter.Sample> cpuAtStart;
    private final CompletableFuture<CpuMeter.Sample> cpuAtEnd;

    Window(Duration warmup, Duration measured, CpuMeter cpu) {
        this.measureFrom = System.nanoTime() + warmup.toNanos();
        this.deadline = measureFrom + measured.toNanos();
        this.cpuAtStart = sampleAfter(cpu, warmup);
        this.cpuAtEnd = sampleAfter(cpu, warmup.plus(measured));
    }

    private static CompletableFuture<CpuMeter.Sample> sampleAfter(CpuMeter cpu, Duration delay) {
        if (cpu == null) {
            return CompletableFuture.completedFuture(null);
        }
        Executor at = CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS);
        return CompletableFuture.supplyAsync(cpu::sample, at);
    }

    boolean open() {
        return System.nanoTime() < deadline;
    }

    /** Records {@code units} acknowledged now for a call or batch sent (or due) at {@code sentNanos}. */
    void acked(int units, long sentNanos) {
        long now = System.nanoTime();
        if (now >= measureFrom && now < deadline) {
            count.addAndGet(units);
            latencyMicros.recordValue(Math.max(0, Math.min(60_000_000L, (now - sentNanos) / 1000)));
        }
    }

    /** A call that failed: counted apart (in the measured window), never as throughput. */
    void failed(Throwable error) {
        long now = System.nanoTime();
        firstError.compareAndSet(null, String.valueOf(error));
        if (now >= measureFrom && now < deadline) {
            errors.incrementAndGet();
        }
    }

    Result result(String scenario, String unit, Duration measured, String note) {
        CpuMeter.Split cpu = CpuMeter.between(cpuAtStart.join(), cpuAtEnd.join());
        return new Result(scenario, unit, count.get(), errors.get(), firstError.get(), measured.toNanos() / 1e9,
                          latencyMicros, cpu, note, null, Map.of());
    }

    Result result(String scenario, Duration measured, String note) {
        return result(scenario, "runs", measured, note);
    }
}
