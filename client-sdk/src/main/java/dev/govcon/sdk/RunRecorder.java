package dev.govcon.sdk;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.google.common.util.concurrent.ListenableFuture;

import dev.govcon.proto.v1.RecordRunsRequest;
import dev.govcon.proto.v1.RecordRunsResponse;
import dev.govcon.proto.v1.Run;
import dev.govcon.proto.v1.RunAck;
import dev.govcon.proto.v1.RuntimeServiceGrpc;
import io.grpc.Status;

/**
 * Records finished runs asynchronously, in batches, without slowing the caller down.
 * Obtain one from {@link GovconClient#newRecorder()}, share it, and close it at shutdown.
 *
 * <pre>{@code
 * try (RunRecorder recorder = govcon.newRecorder(RecorderOptions.builder()
 *         .onDropped((run, reason) -> droppedRuns.increment())
 *         .build())) {
 *     recorder.record(run);   // never blocks
 * }                           // close() waits up to closeTimeout for queued runs
 * }</pre>
 *
 * <p><b>How it works.</b> {@link #record(Run)} puts the run on a bounded queue and returns at
 * once. Daemon threads ({@value #THREAD_NAME}, {@code maxInFlight} of them) each take up to
 * {@code maxBatchSize} runs and send them with one {@code RecordRuns} call when the batch is
 * full, when the oldest queued run has waited {@code flushInterval}, or when {@link #flush()}
 * or {@link #close()} asks for it. So at most {@code maxInFlight} batches are in flight at a
 * time (default 4: the server commits concurrent batches together, so a busy recorder keeps
 * up without waiting a round trip per batch); while they are, new runs accumulate in the
 * queue.
 *
 * <p><b>Delivery.</b> A run without a {@code run_id} is given a random UUID before it is
 * queued. A batch that fails with UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED or
 * INTERNAL is sent again, with exponential backoff, up to {@code maxRetries} times, with the
 * very same runs and run ids. Delivery is therefore at least once, and the server, which is
 * idempotent on run id, makes it exactly once: a run that was written by an attempt whose
 * answer was lost comes back as a duplicate on the retry and is counted once (as recorded).
 * A batch refused with INVALID_ARGUMENT (the server then writes none of it) or another
 * non-retryable status, or one whose retries are exhausted, is not retried: its runs go to
 * {@code onFailed} and {@link #failedCount()}. Runs the server rejects one by one
 * ({@code RUN_ACK_REJECTED} in the response, e.g. a completion contradicting the stored
 * one) go to {@code onFailed} one at a time and are counted as failed too.
 *
 * <p><b>Ordering</b> is not guaranteed: runs are taken off the queue in the order they were
 * queued, but batches in flight together may be written in any order, a batch holds each run
 * id at most once, and nothing orders runs across recorders, processes or retries. The server
 * does not depend on order.
 *
 * <p><b>Back-pressure.</b> When {@code capacity} runs are waiting, {@link #record(Run)} drops
 * the new run: it returns false, counts it in {@link #droppedCount()} and calls
 * {@code onDropped(run, "queue_full")}. After {@link #close()}, runs are dropped with reason
 * {@code "closed"}.
 *
 * <p><b>Threads.</b> All methods are thread-safe. {@code onDropped} runs on the thread that
 * called {@code record} (or {@code close}); {@code onFailed} runs on one of the recorder's
 * threads, one call at a time, and holds it up, so keep both quick; exceptions they throw are
 * logged and ignored. Do not call {@link #flush()} or {@link #close()} from a callback.
 */
public final class RunRecorder implements AutoCloseable {
    /** The name of the recorder's background threads. */
    public static final String THREAD_NAME = "govcon-run-recorder";
    /** Drop reason: the queue held {@code capacity} runs. */
    public static final String QUEUE_FULL = "queue_full";
    /** Drop reason: {@link #record(Run)} after {@link #close()}. */
    public static final String CLOSED = "closed";
    /** Drop reason: still queued, never sent, when {@link #close()} gave up after closeTimeout. */
    public static final String CLOSE_TIMEOUT = "close_timeout";

    private static final Logger LOG = Logger.getLogger(RunRecorder.class.getName());
    static final Set<Status.Code> RETRYABLE = EnumSet.of(Status.Code.UNAVAILABLE,
            Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED, Status.Code.INTERNAL);

    private record Entry(Run run, long queuedAtNanos) {
    }

    /** Runs taken off the queue together; {@code start} is the queue position of the first. */
    private record Batch(long start, List<Run> runs) {
    }

    private final RuntimeServiceGrpc.RuntimeServiceFutureStub stub;
    private final UnaryOperator<Run> stamp;
    private final RecorderOptions options;
    private final Consumer<RunRecorder> onClosed;
    private final long flushIntervalNanos;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled to the senders: runs arrived, a flush was asked for, or closing. */
    private final Condition wake = lock.newCondition();
    /** Signalled to flush(): a batch finished. */
    private final Condition progress = lock.newCondition();
    /** onFailed is called by one sender at a time. */
    private final Object callbackLock = new Object();
    // Guarded by lock. Runs are numbered by queue position, from 0.
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final TreeSet<Long> inFlight = new TreeSet<>(); // start of each batch being sent
    private long queuedTotal;     // runs ever accepted
    private long takenTotal;      // runs taken off the queue (to be sent, or dropped at close)
    private long finishedTotal;   // runs acknowledged, failed or dropped at close
    private long flushTarget;     // flush() waits until every run before this position finished
    private boolean closed;
    private boolean stopping;
    private boolean abandon;

    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private final List<Thread> senders = new ArrayList<>();

    RunRecorder(RuntimeServiceGrpc.RuntimeServiceFutureStub stub, RecorderOptions options,
                Consumer<RunRecorder> onClosed) {
        this(stub, options, onClosed, UnaryOperator.identity());
    }

    /** {@code stamp} completes a run before it is queued (the client's integration id). */
    RunRecorder(RuntimeServiceGrpc.RuntimeServiceFutureStub stub, RecorderOptions options,
                Consumer<RunRecorder> onClosed, UnaryOperator<Run> stamp) {
        this.stamp = Objects.requireNonNull(stamp, "stamp");
        this.stub = Objects.requireNonNull(stub, "stub");
        this.options = Objects.requireNonNull(options, "options");
        this.onClosed = onClosed;
        this.flushIntervalNanos = options.flushInterval().toNanos();
        for (int i = 0; i < options.maxInFlight(); i++) {
            Thread sender = new Thread(this::runSender, THREAD_NAME);
            sender.setDaemon(true);
            senders.add(sender);
        }
        senders.forEach(Thread::start);
    }

    public RecorderOptions options() {
        return options;
    }

    /**
     * Queues a finished run for sending; never blocks. A run without a run_id is queued with
     * a random UUID (the id callbacks then see).
     *
     * @return true if queued; false if dropped because the queue is full or the recorder is
     *         closed (counted in {@link #droppedCount()} and passed to {@code onDropped})
     */
    public boolean record(Run run) {
        Objects.requireNonNull(run, "run");
        if (run.getRunId().isEmpty()) {
            run = run.toBuilder().setRunId(UUID.randomUUID().toString()).build();
        }
        run = stamp.apply(run);
        String reason;
        lock.lock();
        try {
            if (closed) {
                reason = CLOSED;
            } else if (queue.size() >= options.capacity()) {
                reason = QUEUE_FULL;
            } else {
                queue.addLast(new Entry(run, System.nanoTime()));
                queuedTotal++;
                int size = queue.size();
                if (size == 1 || size == options.maxBatchSize()) {
                    wake.signal();
                }
                return true;
            }
        } finally {
            lock.unlock();
        }
        dropped.incrementAndGet();
        notifyDropped(run, reason);
        return false;
    }

    /**
     * Sends everything queued before this call without waiting for the flush interval, and
     * blocks until all of it was acknowledged or finally failed. If the thread is interrupted
     * it returns early with the interrupt flag set.
     */
    public void flush() {
        awaitFlushed(-1);
    }

    /**
     * As {@link #flush()}, waiting at most {@code timeout}.
     *
     * @return true if everything queued before the call was acknowledged or finally failed;
     *         false on timeout or interruption (the runs stay queued)
     */
    public boolean flush(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return awaitFlushed(Math.max(0, timeout.toNanos()));
    }

    private boolean awaitFlushed(long timeoutNanos) {
        if (senders.contains(Thread.currentThread())) {
            throw new IllegalStateException("flush() must not be called from a recorder callback");
        }
        lock.lock();
        try {
            long target = queuedTotal;
            if (settled() >= target) {
                return true;
            }
            if (target > flushTarget) {
                flushTarget = target;
                wake.signal();
            }
            long nanos = timeoutNanos;
            while (settled() < target) {
                if (timeoutNanos < 0) {
                    progress.await();
                } else {
                    if (nanos <= 0) {
                        return false;
                    }
                    nanos = progress.awaitNanos(nanos);
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops accepting runs (later {@link #record(Run)} calls drop them with reason "closed"),
     * waits up to {@code closeTimeout} for the queued ones to be sent, then stops the
     * background thread. Runs still queued at the timeout are dropped with reason
     * "close_timeout"; a batch still in flight is cancelled and reported to {@code onFailed}
     * as CANCELLED (the server may or may not have written it). Idempotent.
     */
    @Override
    public void close() {
        if (senders.contains(Thread.currentThread())) {
            throw new IllegalStateException("close() must not be called from a recorder callback");
        }
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            boolean flushed = flush(options.closeTimeout());
            lock.lock();
            try {
                stopping = true;
                abandon = !flushed;
                wake.signalAll();
            } finally {
                lock.unlock();
            }
            if (!flushed) {
                senders.forEach(Thread::interrupt);
            }
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                for (Thread sender : senders) {
                    TimeUnit.NANOSECONDS.timedJoin(sender, Math.max(1, deadline - System.nanoTime()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<Run> left = new ArrayList<>();
            lock.lock();
            try {
                for (Entry e : queue) {
                    left.add(e.run());
                }
                queue.clear();
                takenTotal += left.size();
                finishedTotal += left.size();
                progress.signalAll();
            } finally {
                lock.unlock();
            }
            for (Run run : left) {
                dropped.incrementAndGet();
                notifyDropped(run, CLOSE_TIMEOUT);
            }
        } finally {
            if (onClosed != null) {
                onClosed.accept(this);
            }
        }
    }

    /** Runs the server acknowledged as written by this recorder. */
    public long recordedCount() {
        return recorded.get();
    }

    /** Runs the server already had, with the same figures, before this recorder first sent them. */
    public long duplicateCount() {
        return duplicates.get();
    }

    /** Runs not queued: queue full, closed, or left at close timeout. */
    public long droppedCount() {
        return dropped.get();
    }

    /** Runs refused by the server or undeliverable after retries (each also given to onFailed). */
    public long failedCount() {
        return failed.get();
    }

    /** Runs queued or in flight. */
    public long pendingCount() {
        lock.lock();
        try {
            return queuedTotal - finishedTotal;
        } finally {
            lock.unlock();
        }
    }

    /** Every run queued before this position has finished. Call with the lock held. */
    private long settled() {
        return inFlight.isEmpty() ? takenTotal : inFlight.first();
    }

    public RecorderStats stats() {
        return new RecorderStats(recordedCount(), duplicateCount(), droppedCount(), failedCount(), pendingCount());
    }

    // ------------------------------------------------------------------------------------
    // The sender threads
    // ------------------------------------------------------------------------------------

    private void runSender() {
        try {
            while (true) {
                Batch batch = nextBatch();
                if (batch == null) {
                    return;
                }
                try {
                    send(batch.runs());
                } finally {
                    lock.lock();
                    try {
                        inFlight.remove(batch.start());
                        finishedTotal += batch.runs().size();
                        progress.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
            }
        } catch (InterruptedException e) {
            // close() gave up waiting: exit; close() drops what is left.
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "govcon run recorder stopped unexpectedly", e);
            throw e;
        }
    }

    /** Waits until a batch is due and takes it; null when the recorder is stopping. */
    private Batch nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (abandon || (stopping && queue.isEmpty())) {
                    return null;
                }
                if (queue.isEmpty()) {
                    wake.await();
                    continue;
                }
                if (due()) {
                    break;
                }
                long wait = queue.peekFirst().queuedAtNanos() + flushIntervalNanos - System.nanoTime();
                if (wait <= 0) {
                    break;
                }
                wake.awaitNanos(wait);
            }
            int max = options.maxBatchSize();
            List<Run> batch = new ArrayList<>(Math.min(max, queue.size()));
            Set<String> ids = new HashSet<>();
            while (batch.size() < max && !queue.isEmpty()) {
                Run run = queue.peekFirst().run();
                if (!ids.add(run.getRunId())) {
                    break;  // the server refuses a batch naming a run twice: leave it for the next
                }
                queue.pollFirst();
                batch.add(run);
            }
            long start = takenTotal;
            takenTotal += batch.size();
            inFlight.add(start);
            if (!queue.isEmpty() && due()) {
                wake.signal(); // another batch is ready for another sender
            }
            return new Batch(start, batch);
        } finally {
            lock.unlock();
        }
    }

    /** A batch should go now, without waiting for the flush interval. Call with the lock held. */
    private boolean due() {
        return queue.size() >= options.maxBatchSize() || closed || flushTarget > takenTotal;
    }

    private void send(List<Run> batch) throws InterruptedException {
        RecordRunsRequest request = RecordRunsRequest.newBuilder().addAllRuns(batch).build();
        for (int attempt = 0; ; attempt++) {
            ListenableFuture<RecordRunsResponse> future = null;
            Status status;
            try {
                future = stub.recordRuns(request);
                RecordRunsResponse response = future.get();
                account(batch, response, attempt > 0);
                return;
            } catch (ExecutionException e) {
                status = Status.fromThrowable(e.getCause());
            } catch (InterruptedException e) {
                if (future != null) {
                    future.cancel(true);
                }
                fail(batch, Status.CANCELLED.withDescription(
                        "recorder closed before the batch was acknowledged; it may have been written"));
                throw e;
            } catch (RuntimeException e) {
                status = Status.fromThrowable(e);
            }
            if (!RETRYABLE.contains(status.getCode()) || attempt >= options.maxRetries()) {
                fail(batch, status);
                return;
            }
            try {
                Thread.sleep(backoffMillis(attempt));
            } catch (InterruptedException e) {
                fail(batch, Status.CANCELLED.withDescription(
                        "recorder closed while retrying the batch (last failure: " + status + ")"));
                throw e;
            }
        }
    }

    private long backoffMillis(int attempt) {
        long initial = options.initialBackoff().toMillis();
        long max = options.maxBackoff().toMillis();
        long delay = attempt >= 30 ? max : Math.min(max, initial << attempt);
        // "Equal jitter": between half and all of the delay, so clients do not retry in step.
        long half = delay / 2;
        return half + ThreadLocalRandom.current().nextLong(delay - half + 1);
    }

    private void account(List<Run> batch, RecordRunsResponse response, boolean retried) {
        long recordedHere = batch.size();
        long duplicatesHere = 0;
        Map<String, Run> byId = null;
        for (RunAck ack : response.getSkippedList()) {
            switch (ack.getOutcome()) {
                case RUN_ACK_DUPLICATE -> {
                    // After a failed attempt, a duplicate is most likely our own earlier write.
                    if (!retried) {
                        recordedHere--;
                        duplicatesHere++;
                    }
                }
                case RUN_ACK_REJECTED -> {
                    recordedHere--;
                    if (byId == null) {
                        byId = new HashMap<>();
                        for (Run run : batch) {
                            byId.put(run.getRunId(), run);
                        }
                    }
                    Run run = byId.getOrDefault(ack.getRunId(), Run.newBuilder().setRunId(ack.getRunId()).build());
                    Status status = ack.getCode() == 0 ? Status.UNKNOWN : Status.fromCodeValue(ack.getCode());
                    fail(List.of(run), status.withDescription(ack.getError()));
                }
                default -> {
                    // RECORDED (or unknown) listed anyway: it was written.
                }
            }
        }
        recorded.addAndGet(Math.max(0, recordedHere));
        duplicates.addAndGet(duplicatesHere);
    }

    private void fail(List<Run> runs, Status status) {
        failed.addAndGet(runs.size());
        BiConsumer<List<Run>, Status> callback = options.onFailed();
        if (callback == null) {
            LOG.log(Level.WARNING, "govcon run recorder: {0} run(s) not recorded: {1}",
                    new Object[] {runs.size(), status});
            return;
        }
        synchronized (callbackLock) {
            try {
                callback.accept(List.copyOf(runs), status);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "govcon run recorder: onFailed callback threw", e);
            }
        }
    }

    private void notifyDropped(Run run, String reason) {
        BiConsumer<Run, String> callback = options.onDropped();
        if (callback == null) {
            return;
        }
        try {
            callback.accept(run, reason);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "govcon run recorder: onDropped callback threw", e);
        }
    }
}
