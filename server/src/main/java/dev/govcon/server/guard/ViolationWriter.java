package dev.govcon.server.guard;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.govcon.server.db.Database;
import dev.govcon.server.policies.ViolationMapper;
import dev.govcon.server.policies.ViolationRow;

/**
 * Writes violations in batches on its own thread, so a WARN or DENY costs the check no
 * database round trip. A violation is lost only if the server dies within a flush interval
 * of the check; the decision itself was already answered.
 */
final class ViolationWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ViolationWriter.class);
    private static final int MAX_BATCH = 1000;
    private static final long FLUSH_MILLIS = 200;

    private final Database database;
    private final BlockingQueue<ViolationRow> queue = new LinkedBlockingQueue<>(100_000);
    private final Thread thread;
    private final java.util.concurrent.atomic.AtomicInteger unwritten = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean running = true;

    ViolationWriter(Database database) {
        this.database = database;
        this.thread = new Thread(this::run, "govcon-violation-writer");
        thread.setDaemon(true);
        thread.start();
    }

    void add(ViolationRow v) {
        if (queue.offer(v)) {
            unwritten.incrementAndGet();
        } else {
            log.warn("Violation queue full; dropping a violation of control {}", v.controlId());
        }
    }

    /** Writes everything queued so far, waiting for a batch the writer thread holds. */
    void flush() {
        synchronized (this) {
            List<ViolationRow> batch = new ArrayList<>();
            while (queue.drainTo(batch, MAX_BATCH) > 0) {
                write(batch);
                batch.clear();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (unwritten.get() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private void run() {
        while (running) {
            try {
                ViolationRow first = queue.poll(FLUSH_MILLIS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    synchronized (this) {
                        List<ViolationRow> batch = new ArrayList<>();
                        batch.add(first);
                        queue.drainTo(batch, MAX_BATCH - 1);
                        write(batch);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("Writing violations failed", e);
            }
        }
    }

    private void write(List<ViolationRow> batch) {
        try {
            database.inTransaction(s -> s.getMapper(ViolationMapper.class).insertBatch(batch));
        } finally {
            unwritten.addAndGet(-batch.size());
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
