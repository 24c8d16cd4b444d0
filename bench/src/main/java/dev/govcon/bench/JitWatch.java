package dev.govcon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.stream.Stream;

/**
 * Says when the JIT compilers of the server and of the load generator have gone quiet, read
 * from the CPU time of their compiler threads in /proc. On this 2-core machine C2 keeps
 * compiling the request path for 30-60 s after load starts, and takes most of a core from both
 * processes while it does: with a fixed 20 s warm-up, the first scenarios were measured against
 * the compiler, and at a fixed rate the callers fell seconds behind their schedule (the
 * "stalls" of the earlier rounds; docs/PERFORMANCE.md, seventh round).
 */
final class JitWatch {
    /** Quiet: each process's compiler threads used less than this over the last {@link #SPAN}. */
    static final double QUIET_CORES = 0.10;
    static final Duration SPAN = Duration.ofSeconds(5);

    private final long serverPid;

    JitWatch(long serverPid) {
        this.serverPid = serverPid;
    }

    /** Waits until both processes' compilers are quiet, or {@code max} has passed; true if quiet. */
    boolean awaitQuiet(Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        long self = ProcessHandle.current().pid();
        Deque<long[]> samples = new ArrayDeque<>();
        while (true) {
            long now = System.nanoTime();
            samples.addLast(new long[] {now, compilerTicks(serverPid), compilerTicks(self)});
            while (now - samples.peekFirst()[0] > SPAN.toNanos() + 500_000_000L) {
                samples.removeFirst();
            }
            long[] first = samples.peekFirst();
            double seconds = (now - first[0]) / 1e9;
            if (seconds >= SPAN.toSeconds() && quiet(first[1], samples.peekLast()[1], seconds)
                && quiet(first[2], samples.peekLast()[2], seconds)) {
                return true;
            }
            if (now >= end) {
                return false;
            }
            Thread.sleep(1000);
        }
    }

    private static boolean quiet(long from, long to, double seconds) {
        // Unknown (no /proc): do not hold the scenario back.
        return from < 0 || to < 0 || CpuMeter.cores(from, to, seconds) < QUIET_CORES;
    }

    /** CPU ticks of a process's C1 and C2 compiler threads so far, or -1 if /proc cannot say. */
    static long compilerTicks(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            long total = 0;
            for (Path task : tasks.toList()) {
                String name;
                try {
                    name = Files.readString(task.resolve("comm")).trim();
                } catch (IOException gone) {
                    continue; // the thread ended
                }
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    total += Math.max(0, CpuMeter.threadTicks(task));
                }
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
