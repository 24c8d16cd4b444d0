package dev.govcon.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** Keeps the benchmark working: every scenario runs for a couple of seconds and ingests something. */
class BenchSmokeTest {

    @Test
    void everyScenarioRunsAndReportsARate() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new Bench()).execute("--warmup", "1s", "--duration", "2s", "--batch-size", "50",
                                                        "--concurrency", "2");
        } finally {
            System.setOut(old);
        }
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(table).isZero();
        for (String scenario : new String[] {"copy", "stream", "batch", "recorder"}) {
            assertThat(table).containsPattern("(?m)^" + scenario + "\\s+[1-9][0-9,]*\\s");
        }
    }
}
