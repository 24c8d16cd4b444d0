package dev.govcon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.govcon.server.GovconServer;
import dev.govcon.server.config.ServerSettings;
import dev.govcon.server.db.Database;
import dev.govcon.server.db.DatabaseSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs ingestion scenarios against a real govcon server (in this JVM, on a free port) and a
 * real PostgreSQL (embedded in a fresh folder, or --db-url), and prints runs per second with
 * each scenario's ratio to the database's own COPY rate measured in the same invocation.
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

    @Option(names = "--warmup", defaultValue = "5s", description = "Warm-up per scenario, not counted (default ${DEFAULT-VALUE}).")
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
        Path dataDir = Files.createTempDirectory("govcon-bench-pg");
        DatabaseSettings settings = new DatabaseSettings(dbUrl, dbUser, dbPassword, dataDir, 2 * concurrency + 8);
        List<Result> results = new ArrayList<>();
        try (Database db = Database.open(settings, null);
             GovconServer server = GovconServer.start(new ServerSettings(0, "", List.of("*"), 5), db,
                                                      Clock.systemUTC(), GovconServer.newMeterRegistry())) {
            BenchContext ctx = new BenchContext(db, server, batchSize, concurrency);
            for (Scenario s : chosen) {
                System.err.printf("running %s for %s (+%s warm-up): %s%n", s.name(), measured, warm, s.description());
                results.add(s.run(ctx, warm, measured));
            }
        }
        print(results);
        return 0;
    }

    static void print(List<Result> results) {
        Double copy = results.stream().filter(r -> r.scenario().equals("copy")).map(Result::runsPerSecond)
                .findFirst().orElse(null);
        System.out.printf("%n%-10s %12s %10s  %-28s %s%n", "scenario", "runs/s", "vs copy", "batch latency", "setup");
        for (Result r : results) {
            String ratio = copy == null || copy == 0 ? "-" : String.format("%.0f%%", 100 * r.runsPerSecond() / copy);
            System.out.printf("%-10s %,12.0f %10s  %-28s %s%n", r.scenario(), r.runsPerSecond(), ratio, r.latency(), r.note());
        }
        System.out.printf("JVM (server and load generator together): peak RSS %s, heap used %d MiB of max %d MiB, %d cores%n",
                          peakRss(), (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20,
                          Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
    }

    private static String peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return line.substring(6).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "unknown";
    }
}
