package dev.govcon.server.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.util.Durations;

import dev.govcon.proto.v1.GetWorkerHealthResponse;
import dev.govcon.proto.v1.Job;
import dev.govcon.proto.v1.JobHealth;
import dev.govcon.proto.v1.JobHealthState;
import dev.govcon.proto.v1.JobOutcome;
import dev.govcon.proto.v1.ListJobsResponse;
import dev.govcon.server.db.Database;
import dev.govcon.server.wire.Times;

/**
 * The Activity domain's view of the background jobs: {@link #listJobs()} for ListJobs and
 * {@link #health()} for GetWorkerHealth, read from {@code jobs} and {@code job_runs} (so every
 * replica answers the same, whichever ran the job).
 *
 * <h2>Health rules</h2>
 * With {@code I} the job's interval, {@code f} its consecutive failures, and the
 * <em>success age</em> the time since its last success (or, when it never succeeded, since
 * it first started; or, when it never started, since it was registered):
 * <ul>
 * <li><b>UNHEALTHY</b> when {@code f >= 3}, or the success age is at least {@code 10 × I}
 *     (this includes a job that never succeeded within {@code 10 × I} of its first start);</li>
 * <li>otherwise <b>DEGRADED</b> when {@code f} is 1 or 2, or the success age is more than
 *     {@code 3 × I};</li>
 * <li>otherwise <b>HEALTHY</b>: last success within {@code 3 × I} and no failure since.</li>
 * </ul>
 * A disabled job is reported HEALTHY with the reason "disabled" and does not count towards
 * the overall state. The overall state is the worst of the enabled jobs (HEALTHY when there
 * are none). {@code unhealthy_since} is stored by the scheduler when a run leaves the job
 * UNHEALTHY and cleared by its next success; a job that went UNHEALTHY only by time (no run
 * since) reports the moment it crossed {@code 10 × I}. {@code lag} is how far past its next
 * due time the job is; {@code recent_failures} counts FAILED runs in the last hour.
 */
public final class JobsReads {
    static final Duration RECENT = Duration.ofHours(1);
    static final int UNHEALTHY_FAILURES = 3;
    static final int DEGRADED_AGE_INTERVALS = 3;
    static final int UNHEALTHY_AGE_INTERVALS = 10;

    private final Database database;
    private final Clock clock;

    public JobsReads(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Every registered job, by name. */
    public ListJobsResponse listJobs() {
        List<JobRow> rows = database.read(s -> s.getMapper(JobMapper.class).all());
        ListJobsResponse.Builder out = ListJobsResponse.newBuilder();
        for (JobRow row : rows) {
            out.addJobs(toJob(row));
        }
        return out.build();
    }

    /** Each job's health and the worst of them. */
    public GetWorkerHealthResponse health() {
        Instant now = clock.instant();
        record Read(List<JobRow> rows, List<JobMapper.JobCount> failures) {
        }
        Read read = database.read(s -> {
            JobMapper m = s.getMapper(JobMapper.class);
            return new Read(m.all(), m.failuresSince(now.minus(RECENT)));
        });
        Map<String, Integer> recentFailures = new HashMap<>();
        read.failures().forEach(c -> recentFailures.put(c.jobName(), c.count()));

        GetWorkerHealthResponse.Builder out = GetWorkerHealthResponse.newBuilder().setCheckedAt(Times.ts(now));
        JobHealthState worst = JobHealthState.JOB_HEALTHY;
        for (JobRow row : read.rows()) {
            Health h = evaluate(row, now);
            JobHealth.Builder jh = JobHealth.newBuilder()
                    .setJobName(row.jobName())
                    .setState(h.state())
                    .setLag(proto(h.lag()))
                    .setRecentFailures(recentFailures.getOrDefault(row.jobName(), 0))
                    .setConsecutiveFailures(row.consecutiveFailures())
                    .setReason(h.reason());
            if (row.lastSuccessAt() != null) {
                jh.setLastSuccessAge(proto(h.successAge()));
            }
            Times.setIfPresent(h.unhealthySince(), jh::setUnhealthySince);
            out.addJobs(jh);
            if (row.enabled() && h.state().getNumber() > worst.getNumber()) {
                worst = h.state();
            }
        }
        return out.setState(worst).build();
    }

    /** A job's health at {@code now}; see the class comment for the rules. */
    record Health(JobHealthState state, String reason, Duration successAge, Duration lag,
                  Instant unhealthySince) {
    }

    static Health evaluate(JobRow row, Instant now) {
        Duration interval = row.interval();
        Instant nextRun = nextRunAt(row);
        Duration lag = positive(Duration.between(nextRun, now));
        if (!row.enabled()) {
            return new Health(JobHealthState.JOB_HEALTHY, "disabled", successAge(row, now), Duration.ZERO, null);
        }
        Duration age = successAge(row, now);
        int f = row.consecutiveFailures();
        Instant ageLimit = baseline(row).plus(interval.multipliedBy(UNHEALTHY_AGE_INTERVALS));
        String since = row.lastSuccessAt() != null ? "last success " + human(age) + " ago"
                : row.firstStartedAt() != null ? "never succeeded in " + human(age) + " since its first start"
                : "never ran in " + human(age) + " since it was registered";
        if (f >= UNHEALTHY_FAILURES) {
            return new Health(JobHealthState.JOB_UNHEALTHY,
                              "failed " + f + " times in a row: " + row.lastError(), age, lag,
                              row.unhealthySince() != null ? row.unhealthySince() : now);
        }
        if (!now.isBefore(ageLimit)) {
            return new Health(JobHealthState.JOB_UNHEALTHY,
                              since + " (at least " + UNHEALTHY_AGE_INTERVALS + " × its interval of "
                              + human(interval) + ")", age, lag,
                              row.unhealthySince() != null ? row.unhealthySince() : ageLimit);
        }
        if (f > 0) {
            return new Health(JobHealthState.JOB_DEGRADED,
                              "failed " + f + (f == 1 ? " time" : " times") + " in a row: " + row.lastError(),
                              age, lag, null);
        }
        if (age.compareTo(interval.multipliedBy(DEGRADED_AGE_INTERVALS)) > 0) {
            return new Health(JobHealthState.JOB_DEGRADED,
                              since + " (more than " + DEGRADED_AGE_INTERVALS + " × its interval of "
                              + human(interval) + ")", age, lag, null);
        }
        return new Health(JobHealthState.JOB_HEALTHY,
                          row.lastSuccessAt() == null ? "not run yet" : since, age, lag, null);
    }

    /** When the job is next due: right away when it never started, else an interval after its last start. */
    static Instant nextRunAt(JobRow row) {
        return row.lastStartedAt() == null ? row.registeredAt() : row.lastStartedAt().plus(row.interval());
    }

    private static Instant baseline(JobRow row) {
        if (row.lastSuccessAt() != null) {
            return row.lastSuccessAt();
        }
        return row.firstStartedAt() != null ? row.firstStartedAt() : row.registeredAt();
    }

    private static Duration successAge(JobRow row, Instant now) {
        return positive(Duration.between(baseline(row), now));
    }

    static Job toJob(JobRow row) {
        Job.Builder b = Job.newBuilder()
                .setName(row.jobName())
                .setDescription(row.description())
                .setSchedule("every " + human(row.interval()))
                .setInterval(proto(row.interval()))
                .setEnabled(row.enabled())
                .setLastOutcome(outcome(row.lastOutcome()))
                .setLastError(row.lastError())
                .setLastInstance(row.lastInstance())
                .setLastItems(row.lastItems());
        Times.setIfPresent(row.lastStartedAt(), b::setLastStartedAt);
        Times.setIfPresent(row.lastFinishedAt(), b::setLastFinishedAt);
        Times.setIfPresent(row.lastSuccessAt(), b::setLastSuccessAt);
        if (row.lastStartedAt() != null && row.lastFinishedAt() != null
            && !row.lastFinishedAt().isBefore(row.lastStartedAt())) {
            b.setLastDuration(proto(Duration.between(row.lastStartedAt(), row.lastFinishedAt())));
        }
        if (row.enabled()) {
            b.setNextRunAt(Times.ts(nextRunAt(row)));
        }
        return b.build();
    }

    private static JobOutcome outcome(String stored) {
        if (stored == null) {
            return JobOutcome.JOB_OUTCOME_UNSPECIFIED;
        }
        return switch (RunOutcome.valueOf(stored)) {
            case RUNNING -> JobOutcome.JOB_OUTCOME_RUNNING;
            case SUCCEEDED -> JobOutcome.JOB_OUTCOME_SUCCEEDED;
            case FAILED -> JobOutcome.JOB_OUTCOME_FAILED;
            case SKIPPED -> JobOutcome.JOB_OUTCOME_SKIPPED;
        };
    }

    private static com.google.protobuf.Duration proto(Duration d) {
        return Durations.fromNanos(d.toNanos());
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** "30s", "10m", "2h", "1d", "1500ms": the largest whole unit. */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        if (ms < 1000L) {
            return ms + "ms";
        }
        return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }
}
