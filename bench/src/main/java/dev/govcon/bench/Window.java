package dev.govcon.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The clock of a scenario: work done during the warm-up is not counted, work done during the
 * measured window is (runs, the latency of each acknowledged batch, and who used the CPU).
 */
final class Window {
    private final long measureFrom;
    private final long deadline;
    private final AtomicLong runs = new AtomicLong();
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

    /** Records a batch acknowledged now that was sent at {@code sentNanos}. */
    void acked(int count, long sentNanos) {
        long now = System.nanoTime();
        if (now >= measureFrom && now < deadline) {
            runs.addAndGet(count);
            latencyMicros.recordValue(Math.max(0, (now - sentNanos) / 1000));
        }
    }

    Result result(String scenario, Duration measured, String note) {
        CpuMeter.Split cpu = CpuMeter.between(cpuAtStart.join(), cpuAtEnd.join());
        return new Result(scenario, runs.get(), measured.toNanos() / 1e9, latencyMicros, cpu, note);
    }
}
