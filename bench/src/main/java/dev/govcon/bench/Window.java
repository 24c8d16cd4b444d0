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
    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile long deadline = Long.MAX_VALUE;
    private volatile String warmupNote = "";
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final Histogram latencyMicros = new ConcurrentHistogram(60_000_000L, 3);
    private final CompletableFuture<CpuMeter.Sample> cpuAtStart = new CompletableFuture<>();
    private final CompletableFuture<CpuMeter.Sample> cpuAtEnd = new CompletableFuture<>();

    /** A fixed warm-up: the measured window starts {@code warmup} from now. */
    Window(Duration warmup, Duration measured, CpuMeter cpu) {
        start(System.nanoTime() + warmup.toNanos(), measured, cpu);
        warmupNote = "warm-up " + warmup.toSeconds() + " s";
    }

    /**
     * A warm-up of at least {@code warmup} that goes on, by at most {@code settleMax}, until
     * {@code jit} says the compilers are quiet; the measured window starts then.
     */
    Window(Duration warmup, Duration settleMax, Duration measured, CpuMeter cpu, JitWatch jit) {
        long begun = System.nanoTime();
        Thread settler = new Thread(() -> {
            boolean quiet;
            try {
                Thread.sleep(warmup.toMillis());
                quiet = jit.awaitQuiet(settleMax);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                quiet = false;
            }
            long now = System.nanoTime();
            warmupNote = String.format("warm-up %d s (%s)", (now - begun) / 1_000_000_000L,
                                       quiet ? "until the JIT settled" : "JIT still compiling at the cap");
            start(now, measured, cpu);
        }, "bench-warmup");
        settler.setDaemon(true);
        settler.start();
    }

    private void start(long from, Duration measured, CpuMeter cpu) {
        long delay = Math.max(0, from - System.nanoTime());
        sampleAfter(cpu, delay, cpuAtStart);
        sampleAfter(cpu, delay + measured.toNanos(), cpuAtEnd);
        deadline = from + measured.toNanos();
        measureFrom = from;
    }

    private static void sampleAfter(CpuMeter cpu, long delayNanos, CompletableFuture<CpuMeter.Sample> into) {
        if (cpu == null) {
            into.complete(null);
            return;
        }
        Executor at = CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS);
        CompletableFuture.supplyAsync(cpu::sample, at).whenComplete((sample, error) -> into.complete(sample));
    }

    /** Whether now is inside the measured window (for what a scenario records beside the latency). */
    boolean measuring() {
        long now = System.nanoTime();
        return now >= measureFrom && now < deadline;
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
                          latencyMicros, cpu, note.isEmpty() ? warmupNote : note + ", " + warmupNote, null, Map.of());
    }

    Result result(String scenario, Duration measured, String note) {
        return result(scenario, "runs", measured, note);
    }
}
