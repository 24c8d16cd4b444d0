package dev.govcon.server.guard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.govcon.server.db.Database;
import dev.govcon.server.policies.ControlScope;

/**
 * Counts guard checks per (tenant, hour, call scope), in all and per control they applied
 * to, in striped in-memory counters; a flush every few seconds (and at close) adds them to
 * {@code guard_check_counts_hourly} with one upsert per batch, off the check's latency path.
 *
 * <p>Counts drained by a flush that fails go back into the counters for the next one. A cell
 * is dropped once its hour ended more than an hour ago and a flush drained it; a check would
 * have to stall that long between reading the clock and counting to lose its count.
 */
final class CheckCounter implements AutoCloseable {
    /** The control id of the rows counting every check, matched by a control or not. */
    static final UUID EVERY_CHECK = new UUID(0, 0);
    private static final Logger log = LoggerFactory.getLogger(CheckCounter.class);
    private static final Duration FLUSH_INTERVAL = Duration.ofSeconds(5);
    private static final int MAX_BATCH = 2000;

    private record Key(UUID tenantId, Instant hour, String model, String provider, String feature,
                       String environment) {
    }

    private static final class Cell {
        final LongAdder checks = new LongAdder();
        final Map<UUID, LongAdder> controls = new ConcurrentHashMap<>();

        LongAdder control(UUID id) {
            LongAdder a = controls.get(id);
            return a != null ? a : controls.computeIfAbsent(id, k -> new LongAdder());
        }
    }

    private final Database database;
    private final Clock clock;
    private final Map<Key, Cell> cells = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "govcon-check-counter");
        t.setDaemon(true);
        return t;
    });

    CheckCounter(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    CheckCounter start() {
        long every = FLUSH_INTERVAL.toMillis();
        timer.scheduleWithFixedDelay(this::flushQuietly, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One check at {@code at} of a call in {@code scope} that the given controls applied to. */
    void count(UUID tenantId, Instant at, ControlScope scope, List<UUID> controls) {
        Key key = new Key(tenantId, at.truncatedTo(ChronoUnit.HOURS), scope.model(), scope.provider(),
                          scope.feature(), scope.environment());
        Cell cell = cell(key);
        cell.checks.increment();
        for (int i = 0; i < controls.size(); i++) {
            cell.control(controls.get(i)).increment();
        }
    }

    private Cell cell(Key key) {
        Cell c = cells.get(key);
        return c != null ? c : cells.computeIfAbsent(key, k -> new Cell());
    }

    /** Adds every count so far to the table; returns how many rows it upserted. */
    synchronized int flush() {
        Instant retireBefore = clock.instant().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
        List<CheckCountRow> rows = new ArrayList<>();
        for (Map.Entry<Key, Cell> e : cells.entrySet()) {
            Key k = e.getKey();
            Cell cell = e.getValue();
            if (k.hour().isBefore(retireBefore)) {
                // Removed before draining, so a late increment is still drained just below.
                cells.remove(k, cell);
            }
            drain(k, EVERY_CHECK, cell.checks, rows);
            cell.controls.forEach((id, adder) -> drain(k, id, adder, rows));
        }
        rows.sort(CheckCountRow.KEY_ORDER);
        for (int from = 0; from < rows.size(); from += MAX_BATCH) {
            List<CheckCountRow> batch = rows.subList(from, Math.min(rows.size(), from + MAX_BATCH));
            try {
                database.inTransaction(s -> s.getMapper(GuardMapper.class).addCheckCounts(batch));
            } catch (RuntimeException e) {
                restore(rows.subList(from, rows.size()));
                throw e;
            }
        }
        return rows.size();
    }

    private static void drain(Key k, UUID controlId, LongAdder adder, List<CheckCountRow> into) {
        long n = adder.sumThenReset();
        if (n != 0) {
            into.add(new CheckCountRow(k.tenantId(), k.hour(), controlId, k.model(), k.provider(), k.feature(),
                                       k.environment(), n));
        }
    }

    /** Puts counts a failed flush drained back, for the next flush to write. */
    private void restore(List<CheckCountRow> rows) {
        for (CheckCountRow r : rows) {
            Cell cell = cell(new Key(r.tenantId(), r.hour(), r.model(), r.provider(), r.feature(), r.environment()));
            (EVERY_CHECK.equals(r.controlId()) ? cell.checks : cell.control(r.controlId())).add(r.checks());
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("Writing guard check counts failed; retrying at the next flush", e);
        }
    }

    @Override
    public void close() {
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushQuietly();
    }
}
