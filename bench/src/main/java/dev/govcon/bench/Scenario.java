package dev.govcon.bench;

import java.time.Duration;

/** One way of ingesting runs, run for a warm-up and then a measured window. */
interface Scenario {
    String name();

    String description();

    Result run(BenchContext context, Duration warmup, Duration measured) throws Exception;
}
