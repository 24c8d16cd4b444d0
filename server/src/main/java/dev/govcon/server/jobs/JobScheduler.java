package dev.govcon.server.jobs;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.govcon.proto.v1.JobHealthState;
import dev.govcon.server.db.Database;
import dev.govcon.server.jobs.SystemRecords.Level;

/**
 * Runs the server's {@link Job}s, each every {@link Job#interval()} across the whole cluster
 * and on at most one replica at a time.
 *
 * <h2>One replica at a time: a PostgreSQL advisory lock</h2>
 * Before running a job the scheduler opens a dedicated connection (outside the pool) and takes
 * {@code pg_try_advisory_lock(key)}, {@code key} being the first 8 bytes of SHA-256 of
 * {@code "govcon.job:" + name} ({@link #lockKey}); the connection is held for the whole run
 * and closed after it. When another replica holds the lock the attempt is recorded as a
 * SKIPPED {@code job_runs} row and the job is not run. An advisory lock was chosen over a
 * lease row with an expiry because PostgreSQL releases it the moment its holder's session
 * ends (a crashed or killed replica, a dropped connection): there is no expiry to size
 * against the longest run, no renewal thread, no dependence on replicas' clocks agreeing.
 * What it costs: one extra connection per running job, and the JDBC URL must reach
 * PostgreSQL directly or through session pooling (not PgBouncer transaction pooling, which
 * does not keep session locks). A replica that loses its lock connection mid-run loses the
 * lock too, so another replica may start the job before the first notices; jobs are written
 * to be idempotent (the reaper's and the rollup's statements can run twice) for that reason.
 *
 * <h2>Once per interval, cluster-wide</h2>
 * A job is due when it never started or its {@code jobs.last_started_at} (written by
 * whichever replica ran it) is at least an interval ago. A tick (every second by default, on
 * one daemon thread) runs each due, enabled job; due-ness is checked again under the lock, so
 * two replicas that both saw it due run it once. {@link #runNow} runs a job at once on the
 * caller's thread, due or not (tests, operators).
 *
 * <h2>What a run records</h2>
 * At start, {@code jobs} (RUNNING, start time, instance) and a RUNNING {@code job_runs} row;
 * at the end, the outcome, error, items and health bookkeeping (consecutive failures,
 * {@code unhealthy_since}, see {@link JobsReads}), the {@code job_runs} row, and a
 * {@code system_records} event under the nil tenant: {@code job.succeeded} (INFO: items,
 * duration) or {@code job.failed} (ERROR: error class). Every tenant reads what a run records,
 * so a failure shows its error's class only; its message, which can quote one tenant's data
 * (a constraint violation names the row), goes to the server log with the run id. A RUNNING row left by a
 * replica that died is marked FAILED by the job's next run. {@code job_runs} keeps
 * {@link Settings#runHistory} of history. Every time comes from the injected {@link Clock}.
 */
public final class JobScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobScheduler.class);
    static final String COMPONENT = "jobs";

    /**
     * @param onTimer    run due jobs on a timer; false: only {@link #runNow}/{@link #runDue} run them
     * @param tick       how often the timer looks for due jobs
     * @param instance   this replica's name in {@code last_instance}, {@code job_runs} and events
     * @param runHistory how long {@code job_runs} rows are kept
     */
    public record Settings(boolean onTimer, Duration tick, String instance, Duration runHistory) {
        public Settings {
            if (tick.isNegative() || tick.isZero()) {
                throw new IllegalArgumentException("tick must be positive");
            }
            instance = instance == null || instance.isBlank() ? defaultInstance() : instance;
        }

        /** Production: jobs run on their own, a tick a second. */
        public static Settings automatic() {
            return new Settings(true, Duration.ofSeconds(1), defaultInstance(), Duration.ofDays(7));
        }

        /** Tests: nothing runs unless asked. */
        public static Settings manual() {
            return new Settings(false, Duration.ofSeconds(1), defaultInstance(), Duration.ofDays(7));
        }

        public Settings withInstance(String name) {
            return new Settings(onTimer, tick, name, runHistory);
        }

        /** {@code host/pid}. */
        public static String defaultInstance() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "localhost";
            }
            return host + "/" + ProcessHandle.current().pid();
        }
    }

    private final Database database;
    private final Clock clock;
    private final Settings settings;
    private final SystemRecords systemRecords;
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private ScheduledExecutorService timer;
    private volatile boolean started;
    private volatile boolean closed;

    public JobScheduler(Database database, Clock clock, List<Job> jobs, Settings settings) {
        this.database = database;
        this.clock = clock;
        this.settings = settings;
        this.systemRecords = new SystemRecords(database, clock, settings.instance());
        for (Job job : jobs) {
            if (job.name() == null || job.name().isBlank()) {
                throw new IllegalArgumentException("a job needs a name: " + job);
            }
            if (job.interval().isNegative() || job.interval().isZero()) {
                throw new IllegalArgumentException(job.name() + ": interval must be positive");
            }
            if (this.jobs.putIfAbsent(job.name(), job) != null) {
                throw new IllegalArgumentException("two jobs are named " + job.name());
            }
        }
    }

    /**
     * Registers the jobs (creates or refreshes their {@code jobs} rows; an operator's
     * {@code enabled = false} is kept) and, with {@link Settings#onTimer}, starts the timer.
     */
    public synchronized JobScheduler start() {
        if (started) {
            return this;
        }
        Instant now = clock.instant();
        database.inTransaction(s -> {
            JobMapper m = s.getMapper(JobMapper.class);
            for (Job job : jobs.values()) {
                m.register(job.name(), job.description() == null ? "" : job.description(),
                           job.interval().toMillis(), now);
            }
            return null;
        });
        started = true;
        if (settings.onTimer() && !jobs.isEmpty()) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "govcon-jobs");
                t.setDaemon(true);
                return t;
            });
            long tickMillis = settings.tick().toMillis();
            timer.scheduleWithFixedDelay(this::tickQuietly, 0, tickMillis, TimeUnit.MILLISECONDS);
        }
        log.info("Job scheduler {} on {}: {}", settings.onTimer() ? "running" : "registered (manual)",
                 settings.instance(), jobs.keySet());
        return this;
    }

    /**
     * Runs the job now on the calling thread, due or not, unless another replica (or another
     * thread of this one) holds its lock: then the result is SKIPPED and it did not run.
     *
     * @throws IllegalArgumentException for a job this scheduler does not have
     * @throws IllegalStateException    when the database cannot be reached to lock or record it
     */
    public JobRunResult runNow(String jobName) {
        Job job = jobs.get(jobName);
        if (job == null) {
            throw new IllegalArgumentException("no job named " + jobName + " (have " + jobs.keySet() + ")");
        }
        ensureStarted();
        return attempt(job, true);
    }

    /** Runs every enabled job that is due, one after another on the calling thread; what the timer does. */
    public List<JobRunResult> runDue() {
        ensureStarted();
        Instant now = clock.instant();
        Map<String, JobRow> rows = new LinkedHashMap<>();
        database.read(s -> s.getMapper(JobMapper.class).all()).forEach(r -> rows.put(r.jobName(), r));
        List<JobRunResult> results = new ArrayList<>();
        for (Job job : jobs.values()) {
            if (closed) {
                break;
            }
            JobRow row = rows.get(job.name());
            if (row != null && isDue(row, now)) {
                JobRunResult r = attempt(job, false);
                if (r != null) {
                    results.add(r);
                }
            }
        }
        return results;
    }

    public List<Job> jobs() {
        return List.copyOf(jobs.values());
    }

    public String instance() {
        return settings.instance();
    }

    /** The writer this scheduler records its events with (nil tenant, this instance). */
    public SystemRecords systemRecords() {
        return systemRecords;
    }

    /** The advisory lock key of a job: the first 8 bytes of SHA-256("govcon.job:" + name). */
    public static long lockKey(String jobName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("govcon.job:" + jobName).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, 8).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the timer, waiting up to 10 s for a running job before interrupting it. */
    @Override
    public void close() {
        closed = true;
        ScheduledExecutorService t;
        synchronized (this) {
            t = timer;
            timer = null;
        }
        if (t != null) {
            t.shutdown();
            try {
                if (!t.awaitTermination(10, TimeUnit.SECONDS)) {
                    t.shutdownNow();
                }
            } catch (InterruptedException e) {
                t.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void ensureStarted() {
        if (!started) {
            start();
        }
    }

    private static boolean isDue(JobRow row, Instant now) {
        return row.enabled()
               && (row.lastStartedAt() == null || !now.isBefore(row.lastStartedAt().plus(row.interval())));
    }

    private void tickQuietly() {
        try {
            runDue();
        } catch (Throwable t) {
            if (!closed) {
                log.warn("Job scheduler tick failed; trying again next tick", t);
            }
        }
    }

    /** One attempt: lock, (re)check due-ness unless forced, run, record. Null when it was not due. */
    private JobRunResult attempt(Job job, boolean force) {
        long key = lockKey(job.name());
        try (Connection lock = DriverManager.getConnection(database.jdbcUrl(), database.user(),
                                                           database.password())) {
            lock.setAutoCommit(true);
            if (!advisory(lock, "SELECT pg_try_advisory_lock(?)", key)) {
                return recordSkipped(job);
            }
            try {
                return runLocked(job, force);
            } finally {
                try {
                    advisory(lock, "SELECT pg_advisory_unlock(?)", key);
                } catch (SQLException e) {
                    log.debug("Unlock of {} failed; closing the connection releases it", job.name(), e);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot lock job " + job.name() + ": " + e.getMessage(), e);
        }
    }

    private static boolean advisory(Connection c, String sql, long key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private JobRunResult recordSkipped(Job job) {
        Instant at = clock.instant();
        UUID runId = UUID.randomUUID();
        database.inTransaction(s -> {
            s.getMapper(JobMapper.class).insertRun(job.name(), runId, at, at, RunOutcome.SKIPPED.name(),
                                                   "", 0, settings.instance());
            return null;
        });
        log.debug("Job {} skipped: another replica holds its lock", job.name());
        return new JobRunResult(job.name(), runId, RunOutcome.SKIPPED, 0, "", at, at);
    }

    private JobRunResult runLocked(Job job, boolean force) {
        UUID runId = UUID.randomUUID();
        Instant started = clock.instant();
        JobRow before = database.inTransaction(s -> {
            JobMapper m = s.getMapper(JobMapper.class);
            JobRow row = m.lock(job.name());
            if (row == null) {
                throw new IllegalStateException("job " + job.name() + " is not registered");
            }
            if (!force && !isDue(row, started)) {
                return null;
            }
            // We hold the lock, so a RUNNING row of this job belongs to a replica that died.
            m.abandonRunning(job.name(), started);
            m.markStarted(job.name(), started, settings.instance());
            m.insertRun(job.name(), runId, started, null, RunOutcome.RUNNING.name(), "", 0,
                        settings.instance());
            return row;
        });
        if (before == null) {
            return null;
        }

        JobContext context = new JobContext(job.name(), runId, started, before.lastSuccessAt(),
                                            settings.instance(), database, clock, systemRecords);
        long items = 0;
        Throwable failure = null;
        try {
            items = job.run(context);
        } catch (Exception | Error e) {
            failure = e;
        }
        Instant finished = clock.instant();
        JobRunResult result = recordFinished(job, runId, started, finished, items, failure);
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return result;
    }

    private JobRunResult recordFinished(Job job, UUID runId, Instant started, Instant finished,
                                        long items, Throwable failure) {
        boolean ok = failure == null;
        RunOutcome outcome = ok ? RunOutcome.SUCCEEDED : RunOutcome.FAILED;
        String error = ok ? "" : shown(failure, runId);
        long durationMs = Duration.between(started, finished).toMillis();
        if (ok) {
            log.debug("Job {} succeeded: {} items in {} ms", job.name(), items, durationMs);
        } else {
            log.warn("Job {} run {} failed after {} ms", job.name(), runId, durationMs, failure);
        }
        long reportedItems = ok ? items : 0;
        database.inTransaction(s -> {
            JobMapper m = s.getMapper(JobMapper.class);
            JobRow row = m.lock(job.name());
            int failures = ok ? 0 : row.consecutiveFailures() + 1;
            Instant lastSuccess = ok ? finished : row.lastSuccessAt();
            Instant unhealthySince = null;
            if (!ok) {
                JobRow after = new JobRow(row.jobName(), row.description(), row.intervalMillis(),
                                          row.enabled(), row.registeredAt(), row.firstStartedAt(),
                                          row.lastStartedAt(), finished, outcome.name(), error,
                                          lastSuccess, reportedItems, settings.instance(), failures,
                                          row.unhealthySince());
                JobsReads.Health h = JobsReads.evaluate(after, finished);
                if (h.state() == JobHealthState.JOB_UNHEALTHY) {
                    unhealthySince = h.unhealthySince();
                }
            }
            m.markFinished(job.name(), finished, outcome.name(), error, reportedItems, lastSuccess,
                           failures, unhealthySince);
            m.finishRun(job.name(), runId, finished, outcome.name(), error, reportedItems);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("job", job.name());
            details.put("run_id", runId.toString());
            details.put("duration_ms", durationMs);
            if (ok) {
                details.put("items", items);
                systemRecords.write(s, SystemRecords.SERVER_WIDE, Level.INFO, COMPONENT, "job.succeeded",
                                    job.name() + " succeeded: " + items + " items in " + durationMs + " ms",
                                    details);
            } else {
                details.put("error_class", failure.getClass().getName());
                details.put("consecutive_failures", failures);
                systemRecords.write(s, SystemRecords.SERVER_WIDE, Level.ERROR, COMPONENT, "job.failed",
                                    job.name() + " failed: " + error, details);
            }
            m.pruneRuns(job.name(), finished.minus(settings.runHistory()));
            return null;
        });
        String full = ok ? "" : failure.getClass().getName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        return new JobRunResult(job.name(), runId, outcome, reportedItems, full, started, finished);
    }

    /** What tenants see of a failure: the class, and where an operator finds the message. */
    private static String shown(Throwable t, UUID runId) {
        return t.getClass().getName() + " (message in the server log, run " + runId + ")";
    }
}
