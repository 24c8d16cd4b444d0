package dev.govcon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import dev.govcon.server.db.Database;
import dev.govcon.server.db.DatabaseSettings;
import dev.govcon.server.db.EmbeddedDatabase;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs scenarios against a real govcon server (the production entry point, in a process of
 * its own on a free port) and a real PostgreSQL (embedded in a fresh folder, or --db-url), and
 * prints throughput and latency percentiles of each, the ratios between scenarios measured in
 * the same invocation (ingestion against the database's own COPY rate, the guard check against
 * a no-op call, REST against gRPC, reads at 1M runs against reads at 100k), who used the CPU,
 * and the server's memory during each scenario. This JVM is the load generator.
 */
@Command(name = "govcon-bench", mixinStandardHelpOptions = true,
         description = "Measures govcon: ingestion against a plain JDBC COPY, the guard against a no-op RPC, "
                       + "REST against gRPC, console reads at two sizes of history, limit simulation at 1M runs.")
public final class Bench implements Callable<Integer> {
    private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();
    /** What each scenario is compared with, when both ran in the same invocation. */
    private static final Map<String, String> BASELINE = Map.of(
            "stream", "copy", "batch", "copy", "recorder", "copy",
            "guard", "noop", "guard-rest", "guard",
            "reads-1m", "reads-100k", "reads-10m", "reads-100k");
    /** Scenarios run only when named: loading 10M runs takes minutes and ~10 GB of disk. */
    private static final List<String> ON_REQUEST = List.of("reads-10m");

    static {
        for (Scenario s : List.of(new CopyScenario(), new StreamScenario(), new BatchScenario(), new RecorderScenario(),
                                  new NoopScenario(), new GuardScenario(), new GuardRestScenario(),
                                  new ConsoleReadsScenario("reads-100k", 100_000),
                                  new ConsoleReadsScenario("reads-1m", 1_000_000),
                                  new SimulateScenario("simulate-1m", 1_000_000),
                                  new ConsoleReadsScenario("reads-10m", 10_000_000))) {
            SCENARIOS.put(s.name(), s);
        }
    }

    @Option(names = "--scenario", split = ",", defaultValue = "all",
            description = "Scenarios to run: all (every one but reads-10m), or a comma-separated list of "
                          + "${COMPLETION-CANDIDATES}.",
            completionCandidates = Names.class)
    List<String> scenarios;

    @Option(names = "--warmup", defaultValue = "20s",
            description = "Warm-up per scenario, not counted (default ${DEFAULT-VALUE}); see --jit-settle-max.")
    String warmup;

    /** C2 compiles for 30-60 s on this 2-core machine; a fixed 20 s measured the compiler (docs/PERFORMANCE.md). */
    @Option(names = "--jit-settle-max", defaultValue = "90s",
            description = "After the warm-up, warm up by up to this much more until the JIT compilers of the server "
                          + "and the load generator are quiet (under 0.1 core for 5 s); 0s for a fixed warm-up "
                          + "(default ${DEFAULT-VALUE}). The read and simulation scenarios always use a fixed one.")
    String jitSettleMax;

    @Option(names = "--duration", defaultValue = "20s", description = "Measured time per scenario (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--batch-size", defaultValue = "500", description = "Runs per batch/message/COPY (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--concurrency", defaultValue = "4",
            description = "Ingestion: streams, callers, recorders or COPY connections (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--callers", defaultValue = "16",
            description = "No-op, guard and read scenarios: threads with one call in flight each (default ${DEFAULT-VALUE}).")
    int callers;

    @Option(names = "--rate", defaultValue = "0",
            description = "No-op, guard and read scenarios: target calls per second over all callers, latency "
                          + "counted from when each call was due; 0 = as fast as answered (default ${DEFAULT-VALUE}).")
    double rate;

    /** One more day than the reads' 30-day window, so that the window is full from its first hour. */
    @Option(names = "--history-days", defaultValue = "31",
            description = "Days of history the read scenarios load (default ${DEFAULT-VALUE}).")
    int historyDays;

    @Option(names = "--reads-scale", defaultValue = "1",
            description = "Multiplies the read scenarios' history (100k, 1M and 10M runs); the smoke test uses 0.01.")
    double readsScale;

    @Option(names = "--readers", split = ",", defaultValue = "4,1",
            description = "Read scenarios: concurrent readers (a handful of console users), one measured pass per "
                          + "value; the first is the scenario's figure (default ${DEFAULT-VALUE}).")
    List<Integer> readers;

    @Option(names = "--load-threads", defaultValue = "16",
            description = "Read scenarios: concurrent callers of ingestion loading the history (default "
                          + "${DEFAULT-VALUE}).")
    int loadThreads;

    @Option(names = "--db-url", description = "External PostgreSQL (JDBC URL); default: embedded in a fresh folder.")
    String dbUrl;

    @Option(names = "--db-user", defaultValue = "postgres")
    String dbUser;

    @Option(names = "--db-password", defaultValue = "")
    String dbPassword;

    @Option(names = "--h2load", paramLabel = "DIR",
            description = "Run no scenario: start the server, prepare the noop and guard tenants and gRPC request "
                          + "bodies for h2load in DIR, print the h2load commands, and serve until interrupted.")
    Path h2loadDir;

    @Option(names = "--keep", description = "Keep the server's output and GC log (the database is always removed).")
    boolean keep;

    @Option(names = "--server-java-opts", defaultValue = "-Xmx512m",
            description = "JVM options of the server process (default ${DEFAULT-VALUE}: the target is that the server "
                          + "holds every scenario in it), e.g. to add -XX:StartFlightRecording=filename=server.jfr")
    String serverJavaOpts;

    @Option(names = "--server-run-timeout", defaultValue = "PT1M",
            description = "The server's --run-timeout (default ${DEFAULT-VALUE}): also how long the guard holds the "
                          + "reservation of a checked call that never completes, as every call of the guard scenarios.")
    String serverRunTimeout;

    @Option(names = "--pg", split = ",",
            defaultValue = "max_wal_size=8GB,checkpoint_timeout=30min,shared_buffers=512MB,wal_buffers=64MB",
            description = "Settings of the embedded PostgreSQL, for the server and the COPY baseline alike "
                          + "(default ${DEFAULT-VALUE}); synchronous_commit is always on.")
    Map<String, String> pgSettings;

    static final class Names extends ArrayList<String> {
        Names() {
            super(SCENARIOS.keySet());
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<Scenario> chosen = new ArrayList<>();
        List<String> names = new ArrayList<>(SCENARIOS.keySet());
        names.removeAll(ON_REQUEST);
        if (readers.isEmpty() || readers.stream().anyMatch(n -> n < 1)) {
            System.err.println("--readers: each value must be at least 1");
            return 2;
        }
        for (String name : scenarios.contains("all") ? names : scenarios) {
            Scenario s = SCENARIOS.get(name);
            if (s == null) {
                System.err.println("unknown scenario " + name + "; choose from " + SCENARIOS.keySet());
                return 2;
            }
            chosen.add(s);
        }
        Duration warm = Duration.parse("PT" + warmup.toUpperCase());
        Duration measured = Duration.parse("PT" + duration.toUpperCase());
        Path work = Files.createTempDirectory("govcon-bench");
        boolean done = false;
        List<Result> results;
        try {
            results = run(chosen, warm, measured, work);
            done = true;
        } finally {
            cleanUp(work, keep || !done);
        }
        return results.stream().anyMatch(r -> r.errors() > 0) ? 3 : 0;
    }

    private List<Result> run(List<Scenario> chosen, Duration warm, Duration measured, Path work) throws Exception {
        Path pgData = work.resolve("pg");
        EmbeddedDatabase embedded = dbUrl == null ? EmbeddedDatabase.start(pgData, pgSettings) : null;
        String url = embedded == null ? dbUrl : embedded.jdbcUrl();
        String user = embedded == null ? dbUser : "postgres";
        String password = embedded == null ? dbPassword : "";
        List<Result> results = new ArrayList<>();
        ServerProcess server = null;
        try (Database db = Database.open(new DatabaseSettings(url, user, password, null, concurrency + 8), null)) {
            server = ServerProcess.start(url, user, password, 2 * concurrency + 8, serverJavaOpts, serverRunTimeout,
                                         work);
            System.err.println("server process " + server.pid() + " on port " + server.port() + ", output in "
                               + server.log());
            BenchContext ctx = new BenchContext(db, server.port(),
                                                new CpuMeter(server.pid(), embedded == null ? null : pgData),
                                                batchSize, concurrency, callers, rate, readsScale, historyDays,
                                                List.copyOf(readers), loadThreads, new JitWatch(server.pid()),
                                                Duration.parse("PT" + jitSettleMax.toUpperCase()));
            if (h2loadDir != null) {
                // Interrupted (Ctrl-C), only shutdown hooks run: they stop the server and the database.
                ServerProcess serving = server;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        serving.close();
                        if (embedded != null) {
                            embedded.close();
                        }
                        cleanUp(work, false);
                    } catch (Exception e) {
                        System.err.println("cleaning up: " + e);
                    }
                }));
                H2loadSetup.prepare(ctx, h2loadDir);
                server.process().waitFor();
                return results;
            }
            try (MemoryMeter memory = new MemoryMeter(server.pid(), server.gcLog())) {
                for (Scenario s : chosen) {
                    System.err.printf("running %s for %s (+%s warm-up): %s%n", s.name(), measured, warm, s.description());
                    MemoryMeter.Mark mark = memory.mark();
                    Result r = s.run(ctx, warm, measured);
                    results.add(r.withMemory(memory.since(mark)));
                    if (r.errors() > 0) {
                        System.err.printf("  %,d calls failed in the measured window; the first: %s%n", r.errors(),
                                          r.firstError());
                    }
                }
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (embedded != null) {
                embedded.close();
            }
        }
        if (h2loadDir == null) {
            print(results, server);
        }
        return results;
    }

    /**
     * The database goes in any case (a run writes gigabytes); the server's output and GC log
     * stay when asked to or when the run failed.
     */
    private static void cleanUp(Path work, boolean keepLogs) throws IOException {
        deleteTree(work.resolve("pg"));
        if (keepLogs) {
            System.err.println("server output and GC log kept in " + work);
        } else {
            deleteTree(work);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static void print(List<Result> results, ServerProcess server) {
        Map<String, Result> byName = new LinkedHashMap<>();
        results.forEach(r -> byName.put(r.scenario(), r));
        System.out.printf("%n%-11s %16s %18s  %-40s %8s%n", "scenario", "throughput", "vs", "latency", "errors");
        for (Result r : results) {
            Result base = byName.get(BASELINE.get(r.scenario()));
            String ratio = base == null || base.perSecond() == 0 ? "-"
                    : String.format("%.0f%% of %s", 100 * r.perSecond() / base.perSecond(), base.scenario());
            System.out.printf("%-11s %,11.0f %-5s %18s  %-40s %,8d%n", r.scenario(), r.perSecond(), r.unit() + "/s",
                              ratio, r.latency(), r.errors());
        }
        System.out.printf("%nsetup%n");
        for (Result r : results) {
            System.out.printf("%-11s %s%n", r.scenario(), r.note());
        }
        System.out.printf("%nCPU, cores busy on average in the measured window (%d cores): load generator, server, "
                          + "PostgreSQL, other work on the machine%n", Runtime.getRuntime().availableProcessors());
        for (Result r : results) {
            System.out.printf("%-11s %s%n", r.scenario(), r.cpu());
        }
        System.out.printf("%nserver memory during each scenario (setup, warm-up and measured window): peak resident "
                          + "set; heap most in use before a GC / most live after one / most committed%n");
        for (Result r : results) {
            System.out.printf("%-11s %s%n", r.scenario(), r.memory());
        }
        System.out.printf("%nserver process, whole run: %s%n", server.memory());
        System.out.printf("load generator JVM: peak RSS %s%n", ServerProcess.peakRss(ProcessHandle.current().pid()));
        List<String> ratios = Ratios.of(byName);
        if (!ratios.isEmpty()) {
            System.out.printf("%nratios between scenarios of this run%n");
            ratios.forEach(line -> System.out.println("  " + line));
        }
    }
}
