package dev.govcon.server.demo;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import dev.govcon.proto.v1.RecordRunsResponse;
import dev.govcon.proto.v1.Role;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunStatus;
import dev.govcon.server.activity.ingest.RunIngestor;
import dev.govcon.server.activity.ingest.RunLimits;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.wire.Times;

/**
 * N days of realistic finished runs for M tenants, written through the real ingestion path
 * ({@link RunIngestor#record}: staged COPY, group commit), so records, costs, content hashes
 * and hourly rollups are exactly what ingestion produces. Used by tests, {@code --demo} and
 * the benchmark's console-read scenarios.
 *
 * <p>The shape of the traffic:
 * <ul>
 *   <li>models, features and end users are skewed (Zipf-like, {@link Skewed}): a few carry
 *       most runs;</li>
 *   <li>a diurnal pattern: a working-day peak around 14:00 UTC, quiet nights, weekends at
 *       40% of a weekday;</li>
 *   <li>about 3% of runs fail (a few time out), with longer latencies;</li>
 *   <li>two spikes per tenant: an error spike (one model fails 35% of its runs for two
 *       afternoon hours, a third of the way through) and a cost spike (the agent feature adds a
 *       fifth of the hour's traffic with 10x the tokens for one hour, two thirds of the way through).</li>
 * </ul>
 * Deterministic for a given seed and clock: each (tenant, hour) draws from its own random
 * stream, so the batches may be written concurrently in any order. Run ids are
 * {@code hist-<epoch hour>-<n>}; loading the same history again records nothing twice.
 */
public final class HistoryGenerator {
    static final String[][] MODELS = {
            {"openai", "gpt-4o-mini"}, {"openai", "gpt-4o"}, {"anthropic", "claude-sonnet-4-5"},
            {"anthropic", "claude-haiku-4-5"}, {"gemini", "gemini-2.5-flash"}, {"openai", "gpt-4.1-nano"},
            {"openai", "gpt-4.1"}, {"gemini", "gemini-2.5-pro"}};
    static final String[] FEATURES = {"support-chat", "search", "summaries", "code-review", "classification",
                                      "agent", "translation", "extraction"};
    static final String AGENT = "agent";
    private static final int BATCH = RunLimits.MAX_BATCH;
    /**
     * Batches generated ahead of ingestion, at least: each of the {@code threads} callers has one
     * in ingestion and the rest wait, so that group commit can form large groups.
     */
    private static final int IN_FLIGHT = 8;
    /** Relative traffic per UTC hour of a weekday; normalized in {@link #HOUR_SHARE}. */
    private static final double[] HOUR_SHARE = hourShares();

    private final RunIngestor ingestor;
    private final Clock clock;
    private final int threads;

    /**
     * @param threads concurrent callers of ingestion, each with a batch of 1,000 in flight (its
     *                writers commit what is queued in groups, so more callers make larger groups)
     */
    public HistoryGenerator(RunIngestor ingestor, Clock clock, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.ingestor = ingestor;
        this.clock = clock;
        this.threads = threads;
    }

    public HistoryGenerator(RunIngestor ingestor, Clock clock) {
        this(ingestor, clock, 4);
    }

    /** What a load wrote. */
    public record Loaded(long recorded, long duplicates) {
        public long runs() {
            return recorded + duplicates;
        }
    }

    /**
     * Loads the {@code days} up to now (today's hours only until now) with about
     * {@code runsPerDay} runs per weekday for each tenant; weekends carry less.
     */
    public Loaded load(List<UUID> tenants, int days, int runsPerDay, long seed) {
        if (days < 1 || runsPerDay < 1) {
            throw new IllegalArgumentException("days and runsPerDay must be positive");
        }
        Instant now = clock.instant();
        long firstHour = now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(days - 1L)).getEpochSecond() / 3600;
        long lastHour = now.getEpochSecond() / 3600;
        AtomicLong recorded = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "govcon-history");
            t.setDaemon(true);
            return t;
        });
        Semaphore inFlight = new Semaphore(Math.max(IN_FLIGHT, 2 * threads));
        List<Future<?>> pending = new ArrayList<>();
        try {
            for (int t = 0; t < tenants.size(); t++) {
                UUID tenant = tenants.get(t);
                Principal loader = loader(tenant, seed);
                Spikes spikes = new Spikes(firstHour, days);
                List<Run> batch = new ArrayList<>(BATCH);
                for (long hour = firstHour; hour <= lastHour; hour++) {
                    for (Run run : hour(hour, t, seed, runsPerDay, spikes, now)) {
                        batch.add(run);
                        if (batch.size() == BATCH) {
                            pending.add(submit(pool, inFlight, loader, batch, recorded, duplicates));
                            batch = new ArrayList<>(BATCH);
                        }
                    }
                }
                if (!batch.isEmpty()) {
                    pending.add(submit(pool, inFlight, loader, batch, recorded, duplicates));
                }
            }
            for (Future<?> f : pending) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading history", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new Loaded(recorded.get(), duplicates.get());
    }

    /**
     * The {@code runsPerDay} that makes a load of {@code days} up to {@code now} hold about
     * {@code totalRuns} runs per tenant (weekends and today's remaining hours accounted for).
     */
    public static int runsPerDayFor(long totalRuns, int days, Instant now) {
        long firstHour = now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(days - 1L)).getEpochSecond() / 3600;
        long lastHour = now.getEpochSecond() / 3600;
        double perRunPerDay = 0;
        for (long hour = firstHour; hour <= lastHour; hour++) {
            perRunPerDay += HOUR_SHARE[(int) (hour % 24)] * weekdayFactor(hour);
        }
        return (int) Math.max(1, Math.round(totalRuns / perRunPerDay));
    }

    private static double weekdayFactor(long epochHour) {
        DayOfWeek day = Instant.ofEpochSecond(epochHour * 3600).atZone(ZoneOffset.UTC).getDayOfWeek();
        return day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY ? 0.4 : 1.0;
    }

    private Future<?> submit(ExecutorService pool, Semaphore inFlight, Principal loader, List<Run> batch,
                             AtomicLong recorded, AtomicLong duplicates) throws InterruptedException {
        inFlight.acquire();
        return pool.submit(() -> {
            try {
                RecordRunsResponse r = ingestor.record(loader, batch);
                recorded.addAndGet(r.getRecordedCount());
                duplicates.addAndGet(r.getDuplicateCount());
            } finally {
                inFlight.release();
            }
        });
    }

    /** The same key id for a tenant and seed, so records (and their content) repeat exactly. */
    private static Principal loader(UUID tenant, long seed) {
        UUID keyId = UUID.nameUUIDFromBytes(("history:" + tenant + ":" + seed).getBytes(StandardCharsets.UTF_8));
        return new Principal(tenant, keyId, "history generator", Role.OWNER, null, null);
    }

    /** Where each tenant's two spikes fall (the same hours for every tenant of one load). */
    private record Spikes(long errorFrom, long errorTo, long costHour) {
        Spikes(long firstHour, int days) {
            this(firstHour + (days / 3) * 24L + 14, firstHour + (days / 3) * 24L + 16,
                 firstHour + (2 * days / 3) * 24L + 10);
        }
    }

    /** The runs that ended in one hour for tenant number {@code tenantIndex}, none after {@code now}. */
    private static List<Run> hour(long epochHour, int tenantIndex, long seed, int runsPerDay, Spikes spikes,
                                  Instant now) {
        SplittableRandom random = new SplittableRandom(mix(seed, tenantIndex, epochHour));
        Instant start = Instant.ofEpochSecond(epochHour * 3600);
        double mean = runsPerDay * HOUR_SHARE[(int) (epochHour % 24)] * weekdayFactor(epochHour);
        int count = (int) Math.round(mean * (0.85 + 0.3 * random.nextDouble()));
        boolean costSpike = epochHour == spikes.costHour();
        boolean errorSpike = epochHour >= spikes.errorFrom() && epochHour < spikes.errorTo();
        List<Run> runs = new ArrayList<>(count + (costSpike ? count : 0));
        for (int n = 0; n < count; n++) {
            Instant end = start.plusMillis(random.nextLong(3_600_000));
            String feature = FEATURES[Skewed.pick(random, FEATURES.length)];
            Run run = run("hist-" + epochHour + "-" + n, end, feature, errorSpike, false, random);
            if (!end.isAfter(now)) {
                runs.add(run);
            }
        }
        if (costSpike) {
            // An agent loops: a fifth of the hour's traffic again, each run with ten times the tokens.
            int extra = (int) Math.round(mean * 0.2);
            for (int n = 0; n < extra; n++) {
                Instant end = start.plusMillis(random.nextLong(3_600_000));
                Run run = run("hist-" + epochHour + "-x" + n, end, AGENT, false, true, random);
                if (!end.isAfter(now)) {
                    runs.add(run);
                }
            }
        }
        return runs;
    }

    private static Run run(String id, Instant end, String feature, boolean errorSpike, boolean costly,
                           SplittableRandom random) {
        int m = Skewed.pick(random, MODELS.length);
        int failPercent = errorSpike && m == 1 ? 35 : 3;
        boolean failed = random.nextInt(100) < failPercent;
        boolean timedOut = failed && random.nextInt(10) == 0;
        int tokenScale = costly ? 10 : 1;
        long input = (200 + random.nextInt(4000)) * (long) tokenScale;
        int latency = 200 + random.nextInt(failed ? 25_000 : 4_000) + (costly ? 8_000 : 0);
        RunStatus status = timedOut ? RunStatus.TIMED_OUT : failed ? RunStatus.FAILED : RunStatus.SUCCEEDED;
        return Run.newBuilder()
                .setRunId(id)
                .setProvider(MODELS[m][0])
                .setModel(MODELS[m][1])
                .setFeature(feature)
                .setEndUser("user-" + Skewed.pick(random, 500))
                .setEnvironment(random.nextInt(10) == 0 ? "staging" : "production")
                .setStatus(status)
                .setStartTime(Times.ts(end.minusMillis(latency)))
                .setEndTime(Times.ts(end))
                .setLatencyMs(latency)
                .setInputTokens(input)
                .setOutputTokens(failed ? 0 : (50 + random.nextInt(1500)) * (long) tokenScale)
                .setCachedInputTokens(random.nextInt(3) == 0 ? input / 3 : 0)
                .setError(timedOut ? "timed out after " + latency + " ms" : failed ? "provider error 529: overloaded" : "")
                .build();
    }

    private static long mix(long seed, int tenantIndex, long epochHour) {
        long h = seed * 0x9E3779B97F4A7C15L + tenantIndex * 0xC2B2AE3D27D4EB4FL + epochHour * 0x165667B19E3779F9L;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    /** A night floor and a working-day hump peaking mid-afternoon UTC; sums to 1. */
    private static double[] hourShares() {
        double[] w = new double[24];
        double total = 0;
        for (int h = 0; h < 24; h++) {
            double hump = h >= 6 && h <= 22 ? Math.sin(Math.PI * (h - 6) / 16.0) : 0;
            w[h] = 0.15 + hump;
            total += w[h];
        }
        for (int h = 0; h < 24; h++) {
            w[h] /= total;
        }
        return w;
    }
}
