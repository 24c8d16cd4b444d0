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
 * Runs ingestion scenarios against a real govcon server (the production entry point, in a
 * process of its own on a free port) and a real PostgreSQL (embedded in a fresh folder, or
 * --db-url), and prints runs per second with each scenario's ratio to the database's own COPY
 * rate measured in the same invocation, and who used the CPU meanwhile. This JVM is the load
 * generator.
 */
@Command(name = "govcon-bench", mixinStandardHelpOptions = true,
         description = "Measures govcon ingestion against a plain JDBC COPY of the same rows.")
public final class Bench implements Callable<Integer> {
    private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static {
        for (Scenario s : List.of(new CopyScenario(), new StreamScenario(), new BatchScenario(), new RecorderScenario())) {
            SCENARIOS.put(s.name(), s);
        }
    }

    @Option(names = "--scenario", split = ",", defaultValue = "all",
            description = "Scenarios to run: all, or a comma-separated list of ${COMPLETION-CANDIDATES}.",
            completionCandidates = Names.class)
    List<String> scenarios;

    /** Long enough for the server's JIT to settle on a busy 2-core machine (see docs/PERFORMANCE.md). */
    @Option(names = "--warmup", defaultValue = "20s", description = "Warm-up per scenario, not counted (default ${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--duration", defaultValue = "20s", description = "Measured time per scenario (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--batch-size", defaultValue = "500", description = "Runs per batch/message/COPY (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--concurrency", defaultValue = "4", description = "Streams, callers or connections (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--db-url", description = "External PostgreSQL (JDBC URL); default: embedded in a fresh folder.")
    String dbUrl;

    @Option(names = "--db-user", defaultValue = "postgres")
    String dbUser;

    @Option(names = "--db-password", defaultValue = "")
    String dbPassword;

    @Option(names = "--keep", description = "Keep the server's output and GC log (the database is always removed).")
    boolean keep;

    @Option(names = "--server-java-opts", defaultValue = "-Xmx1g",
            description = "JVM options of the server process (default ${DEFAULT-VALUE}), e.g. to add "
                          + "-XX:StartFlightRecording=filename=server.jfr")
    String serverJavaOpts;

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
        for (String name : scenarios.contains("all") ? new ArrayList<>(SCENARIOS.keySet()) : scenarios) {
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
        try {
            run(chosen, warm, measured, work);
            done = true;
        } finally {
            cleanUp(work, keep || !done);
        }
        return 0;
    }

    private void run(List<Scenario> chosen, Duration warm, Duration measured, Path work) throws Exception {
        Path pgData = work.resolve("pg");
        EmbeddedDatabase embedded = dbUrl == null ? EmbeddedDatabase.start(pgData, pgSettings) : null;
        String url = embedded == null ? dbUrl : embedded.jdbcUrl();
        String user = embedded == null ? dbUser : "postgres";
        String password = embedded == null ? dbPassword : "";
        List<Result> results = new ArrayList<>();
        ServerProcess server = null;
        try (Database db = Database.open(new DatabaseSettings(url, user, password, null, concurrency + 4), null)) {
            server = ServerProcess.start(url, user, password, 2 * concurrency + 8, serverJavaOpts, work);
            System.err.println("server process " + server.pid() + " on port " + server.port() + ", output in "
                               + server.log());
            BenchContext ctx = new BenchContext(db, server.port(),
                                                new CpuMeter(server.pid(), embedded == null ? null : pgData),
                                                batchSize, concurrency);
            for (Scenario s : chosen) {
                System.err.printf("running %s for %s (+%s warm-up): %s%n", s.name(), measured, warm, s.description());
                results.add(s.run(ctx, warm, measured));
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (embedded != null) {
                embedded.close();
            }
        }
        print(results, server);
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
        Double copy = results.stream().filter(r -> r.scenario().equals("copy")).map(Result::runsPerSecond)
                .findFirst().orElse(null);
        System.out.printf("%n%-10s %12s %10s  %-26s %s%n", "scenario", "runs/s", "vs copy", "batch latency", "setup");
        for (Result r : results) {
            String ratio = copy == null || copy == 0 ? "-" : String.format("%.0f%%", 100 * r.runsPerSecond() / copy);
            System.out.printf("%-10s %,12.0f %10s  %-26s %s%n", r.scenario(), r.runsPerSecond(), ratio, r.latency(), r.note());
        }
        System.out.printf("%nCPU, cores busy on average in the measured window (%d cores): load generator, server, "
                          + "PostgreSQL, other work on the machine%n", Runtime.getRuntime().availableProcessors());
        for (Result r : results) {
            System.out.printf("%-10s %s%n", r.scenario(), r.cpu());
        }
        System.out.printf("%nserver process: %s%n", server.memory());
        System.out.printf("load generator JVM: peak RSS %s%n", ServerProcess.peakRss(ProcessHandle.current().pid()));
    }
}
