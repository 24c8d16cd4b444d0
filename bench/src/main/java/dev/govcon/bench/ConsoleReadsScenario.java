package dev.govcon.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;

import dev.govcon.server.demo.HistoryGenerator;

/**
 * Console reads over REST against a tenant holding {@code runs} runs of history (loaded
 * before the window by {@link HistoryLoader}, then settled by the server's rollup jobs,
 * {@link RollupJobs}), so the same reads at different sizes show how read cost grows with
 * data. Each reader cycles through the reads the server serves; a read still answered 501
 * (its domain not built yet) is left out and named in the note — see {@link #READS}, the hook
 * for more reads. Each entry of {@link BenchContext#readers()} is one measured pass with that
 * many concurrent readers: the first pass is the scenario's figure, the others (a single
 * reader by default) are reported beside it; each read's latencies of each pass are named
 * "read (N readers)".
 */
final class ConsoleReadsScenario implements Scenario {
    /**
     * A console read: a name for the table, its path (with {start} and {end} of the last 30
     * days), and whether issue 7's targets (p95 at 10M runs, growth from 100k) apply to it.
     */
    record ConsoleRead(String name, String path, boolean targeted) {
        String resolve(Instant start, Instant end) {
            return path.replace("{start}", start.toString()).replace("{end}", end.toString());
        }
    }

    private static final String WINDOW = "start_time={start}&end_time={end}";

    /** The reads measured, in the order shown. */
    static final List<ConsoleRead> READS = List.of(
            new ConsoleRead("completed-page", "/api/v1/activity/runs/completed?page_size=50", false),
            new ConsoleRead("by-model-30d", "/api/v1/activity/runs/completed/by-dimension?dimension=MODEL&" + WINDOW,
                            false),
            new ConsoleRead("analytics-cost-by-model-30d", "/api/v1/analytics/cost/by-model?" + WINDOW, true),
            new ConsoleRead("analytics-cost-trend-30d", "/api/v1/analytics/cost/trend?granularity=DAY&" + WINDOW,
                            true),
            new ConsoleRead("overview-highlights", "/api/v1/overview/highlights", true),
            new ConsoleRead("overview-pulse", "/api/v1/overview/pulse", true),
            new ConsoleRead("incidents-active", "/api/v1/incidents/active?page_size=50", false));

    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** The name of a read's latencies in a pass with {@code readers} readers. */
    static String partName(String read, int readers) {
        return read + " (" + readers(readers) + ")";
    }

    private static String readers(int n) {
        return n + (n == 1 ? " reader" : " readers");
    }

    @Override
    public Result run(BenchContext ctx, Duration warmup, Duration measured) throws Exception {
        BenchContext.Tenant tenant = ctx.newTenant("Bench Reads " + UUID.randomUUID());
        long wanted = Math.max(1, Math.round(runs * ctx.readsScale()));
        HistoryLoader.Loaded loaded = new HistoryLoader(ctx.database(), ctx.loadThreads())
                .load(UUID.fromString(tenant.id()), wanted, ctx.historyDays());
        System.err.printf("  loaded %,d runs over %d days in %.0f s (%,.0f runs/s)%n", loaded.runs(),
                          ctx.historyDays(), loaded.seconds(), loaded.runs() / loaded.seconds());
        RollupJobs.Settled settled = RollupJobs.settle(ctx.database());
        System.err.printf("  rollup jobs: %s%n", settled);

        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        Instant start = end.minus(Duration.ofDays(30));
        BlockingWebClient http = ctx.http();
        String auth = "Bearer " + tenant.key();
        checkAnswersAllRuns(ctx, http, auth, tenant, start, end);
        List<String> requests = new ArrayList<>();
        List<String> served = new ArrayList<>();
        List<String> notServed = new ArrayList<>();
        for (ConsoleRead read : READS) {
            String path = read.resolve(start, end);
            AggregatedHttpResponse probe = get(http, path, auth);
            if (probe.status().code() == 501) {
                notServed.add(read.name());
            } else if (probe.status().code() != 200) {
                throw new IllegalStateException(read.name() + " answered " + probe.status() + ": " + probe.contentUtf8());
            } else {
                requests.add(path);
                served.add(read.name());
            }
        }
        Map<String, Histogram> parts = new LinkedHashMap<>();
        Result first = null;
        StringBuilder note = new StringBuilder(String.format("%,d runs loaded in %.0f s (%,.0f runs/s, %s); %s; %s",
                                                             loaded.runs(), loaded.seconds(),
                                                             loaded.runs() / loaded.seconds(), loaded.how(), settled,
                                                             ctx.loadNote(ctx.readers().get(0))));
        for (int pass = 0; pass < ctx.readers().size(); pass++) {
            int readers = ctx.readers().get(pass);
            // Later passes follow on a warm server: a short warm-up lets the previous pass drain.
            Duration warm = pass == 0 ? warmup : warmup.dividedBy(4);
            Pass measuredPass = measure(ctx, http, auth, requests, served, readers, warm, measured);
            Window window = measuredPass.window();
            Histogram[] byRead = measuredPass.byRead();
            if (pass == 0) {
                first = window.result(name, "reads", measured, "");
            } else {
                note.append(String.format("; %s: %,.0f reads/s", readers(readers),
                                          window.result(name, "reads", measured, "").perSecond()));
            }
            for (int i = 0; i < byRead.length; i++) {
                parts.put(partName(served.get(i), readers), byRead[i]);
                if (pass == 0) {
                    note.append("; ").append(served.get(i)).append(' ').append(Result.latency(byRead[i]));
                }
            }
        }
        if (!notServed.isEmpty()) {
            note.append("; not served yet (501): ").append(String.join(", ", notServed));
        }
        return new Result(first.scenario(), first.unit(), first.count(), first.errors(), first.firstError(),
                          first.seconds(), first.latencyMicros(), first.cpu(), note.toString(), null, Map.of())
                .withParts(parts);
    }

    /** What one pass measured: the window (throughput, CPU) and each read's latencies. */
    private record Pass(Window window, Histogram[] byRead) {
    }

    /** One pass: {@code readers} threads cycling through the reads. */
    private static Pass measure(BenchContext ctx, BlockingWebClient http, String auth, List<String> requests,
                                List<String> served, int readers, Duration warmup, Duration measured)
            throws InterruptedException {
        Histogram[] byRead = new Histogram[requests.size()];
        for (int i = 0; i < byRead.length; i++) {
            byRead[i] = new ConcurrentHistogram(60_000_000L, 3);
        }
        Window window = ctx.fixedWindow(warmup, measured);
        long measureFrom = System.nanoTime() + warmup.toNanos();
        UnaryLoad.drive(window, readers, ctx.rate(), (caller, n) -> {
            int i = (int) ((n + caller) % requests.size());
            long sent = System.nanoTime();
            AggregatedHttpResponse r = get(http, requests.get(i), auth);
            if (r.status().code() != 200) {
                throw new IllegalStateException(served.get(i) + ": HTTP " + r.status() + ": " + r.contentUtf8());
            }
            if (sent >= measureFrom) {
                byRead[i].recordValue(Math.min(60_000_000L, (System.nanoTime() - sent) / 1000));
            }
        });
        return new Pass(window, byRead);
    }

    private static AggregatedHttpResponse get(BlockingWebClient http, String path, String auth) {
        return http.prepare().get(path).header(HttpHeaderNames.AUTHORIZATION, auth).execute();
    }

    /**
     * Fast reads of wrong answers would be no benchmark: the window's cost summary must count
     * every run the tenant has in it (rollups folded in full, daily ones included).
     */
    private static void checkAnswersAllRuns(BenchContext ctx, BlockingWebClient http, String auth,
                                            BenchContext.Tenant tenant, Instant start, Instant end) throws Exception {
        AggregatedHttpResponse summary = get(http, "/api/v1/analytics/cost/summary?start_time=" + start
                                                   + "&end_time=" + end, auth);
        if (summary.status().code() == 501) {
            return;
        }
        if (summary.status().code() != 200) {
            throw new IllegalStateException("cost summary answered " + summary.status() + ": " + summary.contentUtf8());
        }
        JsonNode answer = JSON.readTree(summary.contentUtf8());
        long answered = answer.path("totalRuns").asLong(answer.path("total_runs").asLong());
        long stored = HistoryLoader.runsBetween(ctx.database(), UUID.fromString(tenant.id()), start, end);
        if (answered != stored) {
            throw new IllegalStateException(String.format(
                    "the cost summary counts %,d runs in %s..%s, the tenant has %,d: rollups not settled", answered,
                    start, end, stored));
        }
    }
}
