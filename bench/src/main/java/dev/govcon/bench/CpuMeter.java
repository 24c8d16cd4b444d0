package dev.govcon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time spent so far by the load generator (this JVM), the server process, the embedded
 * PostgreSQL (its postmaster and backends) and the whole machine, read from Linux's /proc.
 * The difference of two samples says who used the cores during a scenario; what the machine
 * spent beyond those three is other work on the machine (other builds, the kernel's share).
 */
final class CpuMeter {
    /** /proc counts in clock ticks of USER_HZ, 100 per second on Linux. */
    private static final double TICKS_PER_SECOND = 100;

    /** Cumulative CPU ticks at one moment; -1 where unknown. */
    record Sample(long nanos, long loadGenerator, long server, long postgres, long machine) {
    }

    /** Average cores busy between two samples. */
    record Split(double loadGenerator, double server, double postgres, double other) {
        static final Split UNKNOWN = new Split(-1, -1, -1, -1);

        @Override
        public String toString() {
            if (loadGenerator < 0) {
                return "-";
            }
            return String.format("load %.2f, server %.2f, postgres %s, other %s", loadGenerator, server,
                                 postgres < 0 ? "-" : String.format("%.2f", postgres),
                                 other < 0 ? "-" : String.format("%.2f", other));
        }
    }

    private final long serverPid;
    private final Path postgresDataDir;

    /** @param postgresDataDir the embedded database's folder, or null for an external one */
    CpuMeter(long serverPid, Path postgresDataDir) {
        this.serverPid = serverPid;
        this.postgresDataDir = postgresDataDir;
    }

    Sample sample() {
        long now = System.nanoTime();
        long self = ticks(ProcessHandle.current().pid(), false);
        long server = ticks(serverPid, false);
        return new Sample(now, self, server, postgresTicks(), machineTicks());
    }

    static Split between(Sample from, Sample to) {
        if (from == null || to == null || from.loadGenerator() < 0 || to.loadGenerator() < 0) {
            return Split.UNKNOWN;
        }
        double seconds = (to.nanos() - from.nanos()) / 1e9;
        double load = cores(from.loadGenerator(), to.loadGenerator(), seconds);
        double server = cores(from.server(), to.server(), seconds);
        double postgres = from.postgres() < 0 || to.postgres() < 0 ? -1 : cores(from.postgres(), to.postgres(), seconds);
        double other = -1;
        if (postgres >= 0 && from.machine() >= 0 && to.machine() >= 0) {
            other = Math.max(0, cores(from.machine(), to.machine(), seconds) - load - server - postgres);
        }
        return new Split(load, Math.max(0, server), postgres, other);
    }

    static double cores(long from, long to, double seconds) {
        return (to - from) / TICKS_PER_SECOND / seconds;
    }

    /** The postmaster (with the children it reaped) and its live backends. */
    private long postgresTicks() {
        if (postgresDataDir == null) {
            return -1;
        }
        try {
            long postmaster = Long.parseLong(Files.readAllLines(postgresDataDir.resolve("postmaster.pid")).get(0).trim());
            long total = ticks(postmaster, true);
            if (total < 0) {
                return -1;
            }
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                    String[] f = statFields(Long.parseLong(p.getFileName().toString()));
                    if (f != null && Long.parseLong(f[1]) == postmaster) {
                        total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                }
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime (+ cutime + cstime of reaped children if asked), or -1. */
    private static long ticks(long pid, boolean withReapedChildren) {
        String[] f = statFields(pid);
        if (f == null) {
            return -1;
        }
        long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return withReapedChildren ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
    }

    /** utime + stime of one thread ({@code /proc/<pid>/task/<tid>}), or -1 (it may have ended). */
    static long threadTicks(Path task) {
        String[] f = statFields(task.resolve("stat"));
        return f == null ? -1 : Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static String[] statFields(long pid) {
        return statFields(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** The fields of a /proc stat file after the command name: [0] is state (field 3), [1] ppid. */
    private static String[] statFields(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Busy ticks of all cores together: user, nice, system, irq, softirq (not idle, iowait, steal). */
    private static long machineTicks() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] f = lines.get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(f.length, 8); i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
