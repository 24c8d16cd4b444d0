package dev.govcon.server.activity.ingest;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.govcon.server.db.Database;
import dev.govcon.server.jobs.RollupHorizons;
import io.grpc.Status;

/**
 * Group commit of completions: callers hand in their runs and wait; a writer thread takes
 * everything that has queued up since its last commit (up to {@value #MAX_GROUP_ROWS} runs)
 * and writes it in one transaction: a COPY into a staging table, then one statement (see
 * {@link StagingTable}). Under load, groups grow by themselves; alone, a run is written at
 * once. Each caller's future completes only after the commit, so an acknowledged run is
 * durable.
 *
 * <p>A run that ends before {@link RollupHorizons#lateBefore} may belong to a day the daily
 * rollup job already folded: the group also marks its (tenant, UTC day) dirty, once per group,
 * in the same transaction (see {@code DailyRollupJob}). Current runs cost nothing extra.
 */
final class GroupCommitter implements AutoCloseable {
    static final int MAX_GROUP_ROWS = 5000;
    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

    enum Outcome { RECORDED, DUPLICATE, CONTRADICTS }

    private record Pending(List<CompletedRun> runs, CompletableFuture<List<Outcome>> done) {
    }

    private final Database database;
    private final Clock clock;
    private final StagingTable staging = new StagingTable();
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * @param writerCount concurrent writers: while one commits, others gather and write the
     *                    next groups, so the database works on several groups at once
     */
    GroupCommitter(Database database, Clock clock, int writerCount) {
        this.database = database;
        this.clock = clock;
        for (int i = 0; i < writerCount; i++) {
            Thread writer = new Thread(this::run, "govcon-group-commit-" + i);
            writer.setDaemon(true);
            writer.start();
            writers.add(writer);
        }
    }

    /** The outcome of each run, in the order given, once committed. */
    CompletableFuture<List<Outcome>> submit(List<CompletedRun> runs) {
        CompletableFuture<List<Outcome>> done = new CompletableFuture<>();
        if (runs.isEmpty()) {
            done.complete(List.of());
        } else if (!running) {
            done.completeExceptionally(Status.UNAVAILABLE.withDescription("server is shutting down").asRuntimeException());
        } else {
            queue.add(new Pending(runs, done));
        }
        return done;
    }

    private void run() {
        StagingRows staged = new StagingRows();
        // A request taken from the queue that did not fit this writer's group: it starts the
        // next one. (Peeking and then polling let another writer take the peeked request in
        // between, so a group could receive someone else's request, or null.)
        Pending carried = null;
        while (running || carried != null || !queue.isEmpty()) {
            List<Pending> group = new ArrayList<>();
            try {
                Pending first = carried != null ? carried : queue.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                carried = null;
                if (first == null) {
                    continue;
                }
                group.add(first);
                int rows = first.runs().size();
                while (rows < MAX_GROUP_ROWS) {
                    Pending next = queue.poll();
                    if (next == null) {
                        break;
                    }
                    if (rows + next.runs().size() > MAX_GROUP_ROWS) {
                        carried = next;
                        break;
                    }
                    group.add(next);
                    rows += next.runs().size();
                }
                write(group, staged);
            } catch (InterruptedException e) {
                if (!running) {
                    continue;
                }
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("Group commit of {} requests failed", group.size(), e);
                group.forEach(p -> p.done().completeExceptionally(e));
            }
        }
    }

    private void write(List<Pending> group, StagingRows rows) {
        List<CompletedRun> all = new ArrayList<>();
        group.forEach(p -> all.addAll(p.runs()));
        rows.encode(all);
        List<DirtyDay> late = lateDays(all);
        // By place in the group: the content hash of the record a run already had; null if written.
        byte[][] existing = null;
        for (int attempt = 1; ; attempt++) {
            try {
                existing = database.inTransaction(s -> {
                    staging.copy(s, rows);
                    IngestMapper mapper = s.getMapper(IngestMapper.class);
                    int written = mapper.recordStaged();
                    if (!late.isEmpty()) {
                        mapper.markDirtyDays(late);
                    }
                    if (written == all.size()) {
                        return null;
                    }
                    List<StagedRecord> skipped = mapper.findStagedRecorded();
                    if (skipped.size() != all.size() - written) {
                        throw new IllegalStateException("wrote " + written + " of " + all.size()
                                                        + " completions but found " + skipped.size() + " recorded");
                    }
                    byte[][] hashes = new byte[all.size()][];
                    skipped.forEach(r -> hashes[r.seq()] = r.contentHash());
                    return hashes;
                });
                break;
            } catch (RuntimeException e) {
                // Two replicas adding to the same rollup rows can deadlock; the loser retries.
                if (attempt < 3 && retryable(e)) {
                    log.info("Group commit retried after {}", e.toString());
                    continue;
                }
                throw e;
            }
        }
        int seq = 0;
        for (Pending p : group) {
            List<Outcome> outcomes = new ArrayList<>(p.runs().size());
            for (CompletedRun r : p.runs()) {
                byte[] recorded = existing == null ? null : existing[seq];
                outcomes.add(recorded == null ? Outcome.RECORDED
                             : Arrays.equals(recorded, r.contentHash()) ? Outcome.DUPLICATE : Outcome.CONTRADICTS);
                seq++;
            }
            p.done().complete(outcomes);
        }
    }

    /** The distinct (tenant, UTC day) of the group's late runs; usually none. */
    private List<DirtyDay> lateDays(List<CompletedRun> runs) {
        Instant lateBefore = RollupHorizons.lateBefore(clock.instant());
        Set<DirtyDay> days = null;
        for (CompletedRun r : runs) {
            if (r.endTime().isBefore(lateBefore)) {
                if (days == null) {
                    days = new LinkedHashSet<>();
                }
                days.add(new DirtyDay(r.tenantId(), LocalDate.ofInstant(r.endTime(), ZoneOffset.UTC)));
            }
        }
        return days == null ? List.of() : new ArrayList<>(days);
    }

    private static boolean retryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                return "40P01".equals(state) || "40001".equals(state);
            }
        }
        return false;
    }

    @Override
    public void close() {
        running = false;
        try {
            for (Thread writer : writers) {
                writer.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
