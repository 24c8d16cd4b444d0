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
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new Bench()).execute("--warmup", "1s", "--duration", "1s", "--batch-size", "50",
                                                        "--concurrency", "2", "--callers", "4", "--reads-scale", "0.01",
                                                        "--history-days", "7");
        } finally {
            System.setOut(old);
        }
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(table).isZero();
        for (String scenario : SCENARIOS) {
            assertThat(table).as(table).containsPattern("(?m)^" + scenario + "\\s+[1-9][0-9,]*\\s");
        }
        assertThat(table).contains("ratios between scenarios of this run", "guard / noop", "guard-rest vs guard",
                                   "reads-1m / reads-100k");
    }
}
