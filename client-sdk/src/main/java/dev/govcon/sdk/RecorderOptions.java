package dev.govcon.sdk;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

import dev.govcon.proto.v1.Run;
import io.grpc.Status;

/**
 * Settings of a {@link RunRecorder}. Immutable; make one with {@link #builder()}, or use
 * {@link #defaults()}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><td>capacity</td><td>10,000 runs waiting to be sent</td></tr>
 *   <tr><td>maxBatchSize</td><td>500 (at most 1000, the server's limit)</td></tr>
 *   <tr><td>maxInFlight</td><td>4 batches sent and not yet answered</td></tr>
 *   <tr><td>flushInterval</td><td>200 ms</td></tr>
 *   <tr><td>maxRetries</td><td>5 (retries after the first attempt)</td></tr>
 *   <tr><td>initialBackoff / maxBackoff</td><td>100 ms / 5 s</td></tr>
 *   <tr><td>closeTimeout</td><td>10 s</td></tr>
 *   <tr><td>onDropped / onFailed</td><td>none</td></tr>
 * </table>
 */
public final class RecorderOptions {
    /** The server accepts at most this many runs per RecordRuns call. */
    public static final int MAX_BATCH_SIZE_LIMIT = 1000;
    /** The most batches a recorder may have in flight at once. */
    public static final int MAX_IN_FLIGHT_LIMIT = 64;

    private static final RecorderOptions DEFAULTS = builder().build();

    private final int capacity;
    private final int maxBatchSize;
    private final int maxInFlight;
    private final Duration flushInterval;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration closeTimeout;
    private final BiConsumer<Run, String> onDropped;
    private final BiConsumer<List<Run>, Status> onFailed;

    private RecorderOptions(Builder b) {
        this.capacity = b.capacity;
        this.maxBatchSize = b.maxBatchSize;
        this.maxInFlight = b.maxInFlight;
        this.flushInterval = b.flushInterval;
        this.maxRetries = b.maxRetries;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.closeTimeout = b.closeTimeout;
        this.onDropped = b.onDropped;
        this.onFailed = b.onFailed;
    }

    public static RecorderOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.capacity = capacity;
        b.maxBatchSize = maxBatchSize;
        b.maxInFlight = maxInFlight;
        b.flushInterval = flushInterval;
        b.maxRetries = maxRetries;
        b.initialBackoff = initialBackoff;
        b.maxBackoff = maxBackoff;
        b.closeTimeout = closeTimeout;
        b.onDropped = onDropped;
        b.onFailed = onFailed;
        return b;
    }

    public int capacity() {
        return capacity;
    }

    public int maxBatchSize() {
        return maxBatchSize;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public Duration flushInterval() {
        return flushInterval;
    }

    public int maxRetries() {
        return maxRetries;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** May be null. */
    public BiConsumer<Run, String> onDropped() {
        return onDropped;
    }

    /** May be null. */
    public BiConsumer<List<Run>, Status> onFailed() {
        return onFailed;
    }

    public static final class Builder {
        private int capacity = 10_000;
        private int maxBatchSize = 500;
        private int maxInFlight = 4;
        private Duration flushInterval = Duration.ofMillis(200);
        private int maxRetries = 5;
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private BiConsumer<Run, String> onDropped;
        private BiConsumer<List<Run>, Status> onFailed;

        private Builder() {
        }

        /**
         * How many runs may wait to be sent (default 10,000); batches being sent do not count.
         * When it is full, {@link RunRecorder#record} drops the run.
         */
        public Builder capacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be at least 1");
            }
            this.capacity = capacity;
            return this;
        }

        /** Runs per RecordRuns call, 1 to 1000 (default 500). A full batch is sent at once. */
        public Builder maxBatchSize(int maxBatchSize) {
            if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH_SIZE_LIMIT) {
                throw new IllegalArgumentException("maxBatchSize must be between 1 and " + MAX_BATCH_SIZE_LIMIT);
            }
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        /**
         * Batches sent and not yet answered, 1 to {@value #MAX_IN_FLIGHT_LIMIT} (default 4): one
         * thread each. 1 sends a batch only after the previous one was answered.
         */
        public Builder maxInFlight(int maxInFlight) {
            if (maxInFlight < 1 || maxInFlight > MAX_IN_FLIGHT_LIMIT) {
                throw new IllegalArgumentException("maxInFlight must be between 1 and " + MAX_IN_FLIGHT_LIMIT);
            }
            this.maxInFlight = maxInFlight;
            return this;
        }

        /** The longest a run waits for its batch to fill before it is sent (default 200 ms). */
        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = positive(flushInterval, "flushInterval");
            return this;
        }

        /**
         * Retries of a batch that failed with UNAVAILABLE, DEADLINE_EXCEEDED,
         * RESOURCE_EXHAUSTED or INTERNAL, after the first attempt (default 5; 0 disables).
         */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must not be negative");
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /** Exponential backoff between retries, doubling from initial up to max (100 ms, 5 s). */
        public Builder backoff(Duration initial, Duration max) {
            positive(initial, "initial");
            positive(max, "max");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max backoff must not be less than the initial one");
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** How long {@link RunRecorder#close()} waits for queued runs to be sent (default 10 s). */
        public Builder closeTimeout(Duration closeTimeout) {
            Objects.requireNonNull(closeTimeout, "closeTimeout");
            if (closeTimeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative");
            }
            this.closeTimeout = closeTimeout;
            return this;
        }

        /**
         * Called for each run that was not queued, with the reason: {@link RunRecorder#QUEUE_FULL},
         * {@link RunRecorder#CLOSED}, or {@link RunRecorder#CLOSE_TIMEOUT} (still queued when
         * close gave up). Runs on the thread that called record (or close); keep it quick.
         */
        public Builder onDropped(BiConsumer<Run, String> onDropped) {
            this.onDropped = onDropped;
            return this;
        }

        /**
         * Called with runs the server did not accept: a whole batch refused (INVALID_ARGUMENT,
         * retries exhausted, or another non-retryable status), or one run rejected in
         * {@code RecordRunsResponse.skipped} (then a one-element list, with the ack's code and
         * error). Runs on the recorder's thread; keep it quick and do not call
         * {@link RunRecorder#flush()} from it.
         */
        public Builder onFailed(BiConsumer<List<Run>, Status> onFailed) {
            this.onFailed = onFailed;
            return this;
        }

        public RecorderOptions build() {
            return new RecorderOptions(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
