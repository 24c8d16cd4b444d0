package dev.govcon.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/**
 * Keeps the benchmark working: every scenario runs for a second (the read scenarios on 1% of
 * their history), measures something, and no call fails (the bench exits non-zero if one does).
 */
class BenchSmokeTest {
    private static final String[] SCENARIOS = {"copy", "stream", "batch", "recorder", "noop", "guard", "guard-rest",
                                               "reads-100k", "reads-1m"};

    @Test
    void everyScenarioRunsAndReportsARate() {
        String table = run("--warmup", "1s", "--jit-settle-max", "0s", "--duration", "1s", "--batch-size", "50", "--concurrency", "2",
                           "--callers", "4", "--reads-scale", "0.01", "--history-days", "7");
        for (String scenario : SCENARIOS) {
            assertThat(table).as(table).containsPattern("(?m)^" + scenario + "\\s+[1-9][0-9,]*\\s");
        }
        assertThat(table).contains("ratios between scenarios of this run", "guard / noop", "guard-rest vs guard",
                                   "guard decision on the server (evaluation_time, no transport): p50 ",
                                   "reads-1m / reads-100k", "overview-pulse (1 reader)");
        assertThat(table).as("reads-10m runs only when named").doesNotContainPattern("(?m)^reads-10m ");
    }

    /** reads-10m on a ten-thousandth of its history: issue 7's table with a verdict per read and pass. */
    @Test
    void consoleReadsAtTwoSizesGetVerdicts() {
        String table = run("--scenario", "reads-100k,reads-10m", "--warmup", "1s", "--duration", "3s",
                           "--reads-scale", "0.0001", "--history-days", "2", "--readers", "2,1");
        assertThat(table).containsPattern("(?m)^reads-10m\\s+[1-9][0-9,]*\\s").contains("reads-10m / reads-100k",
                                                                                    "issue 7: console reads");
        for (String read : new String[] {"analytics-cost-by-model-30d", "analytics-cost-trend-30d",
                                         "overview-highlights", "overview-pulse"}) {
            for (String pass : new String[] {read + " (2 readers)", read + " (1 reader)"}) {
                assertThat(table).as(table).containsPattern("(?m)^\\s+" + java.util.regex.Pattern.quote(pass)
                                                            + "\\s+[0-9.,]+ ms\\s+[0-9.,]+ ms\\s+[0-9.]+x  (met|NOT met)\\s+(met|NOT met)");
            }
        }
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new Bench()).execute(args);
        } finally {
            System.setOut(old);
        }
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(table).isZero();
        return table;
    }
}
