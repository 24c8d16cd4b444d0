package dev.govcon.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;

import dev.govcon.server.activity.ingest.RunIngestor;
import dev.govcon.server.activity.pricing.PriceBook;
import dev.govcon.server.demo.HistoryGenerator;

/**
 * Console reads over REST against a tenant holding {@code runs} runs of history (loaded
 * before the window by {@link HistoryGenerator}, through the ingestion write path), so two of
 * these at different sizes show how read cost grows with data. Each caller cycles through
 * the reads that the server serves; a read still answered 501 (its domain not built yet) is
 * left out and named in the note — see {@link #READS}, the hook for more reads.
 */
final class ConsoleReadsScenario implements Scenario {
    /** A console read: a name for the table and its path (with {start} and {end} of the last 30 days). */
    record ConsoleRead(String name, String path) {
        String resolve(Instant start, Instant end) {
            return path.replace("{start}", start.toString()).replace("{end}", end.toString());
        }
    }

    /**
     * The reads measured, in the order shown. Reads of domains that other branches build
     * (incidents, analytics) are listed already and join in once they answer 200.
     */
    static final List<ConsoleRead> READS = List.of(
            new ConsoleRead("completed-page", "/api/v1/activity/runs/completed?page_size=50"),
            new ConsoleRead("by-model-30d", "/api/v1/activity/runs/completed/by-dimension?dimension=MODEL"
                                            + "&start_time={start}&end_time={end}"),
            new ConsoleRead("analytics-cost-by-model-30d", "/api/v1/analytics/cost/by-model?start_time={start}"
                                                           + "&end_time={end}"),
            new ConsoleRead("incidents-active", "/api/v1/incidents/active?page_size=50"));

    private final String name;
    private final long runs;

    ConsoleReadsScenario(String name, long runs) {
        this.name = name;
        this.runs = runs;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return String.format("console reads over REST with %,d runs of history loaded", runs);
    }

    @Override
    public Result run(BenchContext ctx, Duration warmup, Duration measured) throws Exception {
        BenchContext.Tenant tenant = ctx.newTenant("Bench Reads " + UUID.randomUUID());
        long wanted = Math.max(1, Math.round(runs * ctx.readsScale()));
        Clock clock = Clock.tickMillis(java.time.ZoneOffset.UTC);
        long loadStart = System.nanoTime();
        HistoryGenerator.Loaded loaded;
        try (RunIngestor ingestor = new RunIngestor(ctx.database(), clock, new PriceBook(ctx.database()))) {
            int perDay = HistoryGenerator.runsPerDayFor(wanted, ctx.historyDays(), clock.instant());
            loaded = new HistoryGenerator(ingestor, clock).load(List.of(UUID.fromString(tenant.id())),
                                                                ctx.historyDays(), perDay, 5);
        }
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        System.err.printf("  loaded %,d runs over %d days in %.0f s (%,.0f runs/s)%n", loaded.runs(),
                          ctx.historyDays(), loadSeconds, loaded.runs() / loadSeconds);

        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        Instant start = end.minus(Duration.ofDays(30));
        BlockingWebClient http = ctx.http();
        String auth = "Bearer " + tenant.key();
        List<String> requests = new ArrayList<>();
        List<String> served = new ArrayList<>();
        List<String> notServed = new ArrayList<>();
        for (ConsoleRead read : READS) {
            String path = read.resolve(start, end);
            AggregatedHttpResponse probe = http.prepare().get(path).header(HttpHeaderNames.AUTHORIZATION, auth).execute();
            if (probe.status().code() == 501) {
                notServed.add(read.name());
            } else if (probe.status().code() != 200) {
                throw new IllegalStateException(read.name() + " answered " + probe.status() + ": " + probe.contentUtf8());
            } else {
                requests.add(path);
                served.add(read.name());
            }
        }
        Histogram[] byRead = new Histogram[requests.size()];
        for (int i = 0; i < byRead.length; i++) {
            byRead[i] = new ConcurrentHistogram(60_000_000L, 3);
        }
        Window window = ctx.window(warmup, measured);
        long measureFrom = System.nanoTime() + warmup.toNanos();
        UnaryLoad.drive(window, ctx.callers(), ctx.rate(), (caller, n) -> {
            int i = (int) ((n + caller) % requests.size());
            long sent = System.nanoTime();
            AggregatedHttpResponse r = http.prepare().get(requests.get(i)).header(HttpHeaderNames.AUTHORIZATION, auth)
                    .execute();
            if (r.status().code() != 200) {
                throw new IllegalStateException(served.get(i) + ": HTTP " + r.status() + ": " + r.contentUtf8());
            }
            if (sent >= measureFrom) {
                byRead[i].recordValue(Math.min(60_000_000L, (System.nanoTime() - sent) / 1000));
            }
        });
        StringBuilder note = new StringBuilder(String.format("%,d runs loaded in %.0f s; %s", loaded.runs(),
                                                             loadSeconds, ctx.loadNote()));
        for (int i = 0; i < byRead.length; i++) {
            note.append("; ").append(served.get(i)).append(' ').append(Result.latency(byRead[i]));
        }
        if (!notServed.isEmpty()) {
            note.append("; not served yet (501): ").append(String.join(", ", notServed));
        }
        java.util.Map<String, Histogram> parts = new java.util.LinkedHashMap<>();
        for (int i = 0; i < byRead.length; i++) {
            parts.put(served.get(i), byRead[i]);
        }
        return window.result(name, "reads", measured, note.toString()).withParts(parts);
    }
}
