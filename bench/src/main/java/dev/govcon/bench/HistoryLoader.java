package dev.govcon.bench;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import dev.govcon.server.activity.ingest.RunIngestor;
import dev.govcon.server.activity.pricing.PriceBook;
import dev.govcon.server.db.Database;
import dev.govcon.server.demo.HistoryGenerator;

/**
 * Loads a read scenario's history: {@link HistoryGenerator}'s runs, through the ingestion
 * write path ({@link RunIngestor} in this JVM: pricing, content hashes, hourly rollups, group
 * commit), with {@code threads} concurrent callers.
 */
final class HistoryLoader {
    /** What a load wrote, how long it took and by which path. */
    record Loaded(long runs, double seconds, String how) {
    }

    private static final long SEED = 5;

    private final Database database;
    private final int threads;

    HistoryLoader(Database database, int threads) {
        this.database = database;
        this.threads = threads;
    }

    /** About {@code wanted} runs over the {@code days} up to now for {@code tenant}. */
    Loaded load(UUID tenant, long wanted, int days) {
        Clock clock = Clock.tickMillis(ZoneOffset.UTC);
        int perDay = HistoryGenerator.runsPerDayFor(wanted, days, clock.instant());
        long started = System.nanoTime();
        HistoryGenerator.Loaded loaded;
        try (RunIngestor ingestor = new RunIngestor(database, clock, new PriceBook(database))) {
            loaded = new HistoryGenerator(ingestor, clock, threads).load(List.of(tenant), days, perDay, SEED);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Loaded(loaded.runs(), seconds, "ingestion, " + threads + " callers");
    }

    /** Runs the tenant has recorded that ended in [start, end). */
    static long runsBetween(Database database, UUID tenant, Instant start, Instant end) throws Exception {
        try (var c = database.dataSource().getConnection();
             var q = c.prepareStatement("SELECT count(*) FROM llm_run_records"
                                        + " WHERE tenant_id = ? AND end_time >= ? AND end_time < ?")) {
            q.setObject(1, tenant);
            q.setObject(2, java.sql.Timestamp.from(start));
            q.setObject(3, java.sql.Timestamp.from(end));
            try (var rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
