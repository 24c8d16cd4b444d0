package dev.govcon.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The govcon server under test, as a process of its own: the production entry point
 * ({@code dev.govcon.server.Main}) on a free port against the benchmark's database, with its
 * own heap. So the load generator's CPU and memory are not counted as the server's, and the
 * server's peak RSS and heap can be read apart (from /proc and its GC log).
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("govcon listening on http://localhost:(\\d+)");
    /** A unified GC log line's heap figures: "123M->45M(1024M)". */
    private static final Pattern HEAP = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    private final Process process;
    private final int port;
    private final Path log;
    private final Path gcLog;
    private String peakRss = "unknown";

    private ServerProcess(Process process, int port, Path log, Path gcLog) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.gcLog = gcLog;
    }

    /**
     * Starts the server and waits until it listens.
     *
     * @param javaOptions JVM options of the server, whitespace-separated (heap, JFR, ...)
     * @param runTimeout  the server's --run-timeout, which is also how long a guard reservation
     *                    of a never-completed call is held (the guard scenarios complete none)
     * @param folder      where its output and GC log go
     */
    static ServerProcess start(String jdbcUrl, String user, String password, int poolSize, String javaOptions,
                               String runTimeout, Path folder) throws IOException, InterruptedException {
        Path log = folder.resolve("server.log");
        Path gcLog = folder.resolve("server-gc.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.stream(javaOptions.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
        command.add("-Xlog:gc:file=" + gcLog);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.govcon.server.Main",
                               "--port", "0", "--db-url", jdbcUrl, "--db-user", user,
                               "--db-pool-size", Integer.toString(poolSize), "--run-timeout", runTimeout));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("GOVCON_DB_PASSWORD", password); // not on the command line
        Process process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return new ServerProcess(process, Integer.parseInt(m.group(1)), log, gcLog);
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the server did not start; its output is in " + log + ":\n"
                                        + Files.readString(log, StandardCharsets.UTF_8));
    }

    int port() {
        return port;
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    Path gcLog() {
        return gcLog;
    }

    @Override
    public void close() throws InterruptedException {
        peakRss = peakRss(process.pid());
        process.destroy(); // SIGTERM: Main's shutdown hook closes the server and the pool
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Peak RSS and heap of the server, after {@link #close()} (the GC log is complete then). */
    String memory() {
        long peakUsed = 0;
        long peakLive = 0;
        long committed = 0;
        try {
            for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
                Matcher m = HEAP.matcher(line);
                if (m.find()) {
                    peakUsed = Math.max(peakUsed, mib(m.group(1), m.group(2)));
                    peakLive = Math.max(peakLive, mib(m.group(3), m.group(4)));
                    committed = Math.max(committed, mib(m.group(5), m.group(6)));
                }
            }
        } catch (IOException e) {
            return "peak RSS " + peakRss + ", heap unknown (no GC log)";
        }
        return String.format("peak RSS %s, heap: at most %d MiB in use before a GC, %d MiB live after one, "
                             + "%d MiB committed", peakRss, peakUsed, peakLive, committed);
    }

    /** VmHWM of a live process, in MiB. */
    static String peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return (Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10) + " MiB";
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or gone
        }
        return "unknown";
    }

    static long mib(String value, String unit) {
        long v = Long.parseLong(value);
        return switch (unit) {
            case "K" -> v >> 10;
            case "G" -> v << 10;
            default -> v;
        };
    }
}
