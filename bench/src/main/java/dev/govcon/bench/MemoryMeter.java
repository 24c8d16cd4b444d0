package dev.govcon.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's memory during one scenario: peak resident set (VmRSS, sampled every 100 ms
 * from /proc; VmHWM only ever grows, so it cannot tell scenarios apart) and its heap, from the
 * GC log lines written while the scenario ran (most in use before a collection, most live
 * after one, most committed).
 */
final class MemoryMeter implements AutoCloseable {
    /** A unified GC log line's heap figures: "123M->45M(1024M)". */
    private static final Pattern HEAP = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    /** Peak figures in MiB; -1 where unknown. */
    record Peak(long rssMiB, long heapUsedMiB, long heapLiveMiB, long heapCommittedMiB) {
        @Override
        public String toString() {
            return String.format("RSS %s, heap %s used / %s live / %s committed", mib(rssMiB), mib(heapUsedMiB),
                                 mib(heapLiveMiB), mib(heapCommittedMiB));
        }

        private static String mib(long v) {
            return v < 0 ? "-" : v + " MiB";
        }
    }

    /** Where a scenario began: the GC log's length then. */
    record Mark(long gcLogOffset) {
    }

    private final long pid;
    private final Path gcLog;
    private final AtomicLong peakRssKiB = new AtomicLong(-1);
    private final Thread sampler;
    private volatile boolean running = true;

    MemoryMeter(long pid, Path gcLog) {
        this.pid = pid;
        this.gcLog = gcLog;
        this.sampler = new Thread(this::sample, "bench-rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        while (running) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                        peakRssKiB.accumulateAndGet(kib, Math::max);
                    }
                }
                Thread.sleep(100);
            } catch (IOException | RuntimeException e) {
                return; // not Linux, or the process is gone
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Starts a scenario's count. */
    Mark mark() {
        peakRssKiB.set(-1);
        try {
            return new Mark(Files.size(gcLog));
        } catch (IOException e) {
            return new Mark(0);
        }
    }

    /** The peaks since {@code mark}. */
    Peak since(Mark mark) {
        long rss = peakRssKiB.get();
        long used = -1;
        long live = -1;
        long committed = -1;
        try (RandomAccessFile f = new RandomAccessFile(gcLog.toFile(), "r")) {
            byte[] tail = new byte[(int) Math.max(0, f.length() - mark.gcLogOffset())];
            f.seek(mark.gcLogOffset());
            f.readFully(tail);
            for (String line : new String(tail, StandardCharsets.UTF_8).split("\n")) {
                Matcher m = HEAP.matcher(line);
                if (m.find()) {
                    used = Math.max(used, ServerProcess.mib(m.group(1), m.group(2)));
                    live = Math.max(live, ServerProcess.mib(m.group(3), m.group(4)));
                    committed = Math.max(committed, ServerProcess.mib(m.group(5), m.group(6)));
                }
            }
        } catch (IOException e) {
            // no GC log: heap unknown
        }
        return new Peak(rss < 0 ? -1 : rss >> 10, used, live, committed);
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
