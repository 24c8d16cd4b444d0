package dev.govcon.server.jobs;

import static dev.govcon.server.jobs.TestJobs.job;
import static dev.govcon.server.jobs.TestJobs.row;
import static dev.govcon.server.jobs.TestJobs.scheduler;
import static dev.govcon.server.jobs.TestJobs.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.govcon.proto.v1.GetWorkerHealthResponse;
import dev.govcon.proto.v1.JobHealth;
import dev.govcon.proto.v1.JobHealthState;
import dev.govcon.proto.v1.JobOutcome;
import dev.govcon.server.testing.MutableClock;
import dev.govcon.server.wire.Times;

/** A failing job is visible as FAILED, in system_records, and in its health; it recovers on success. */
class JobHealthTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void failuresDegradeThenMakeUnhealthyAndASuccessRecovers() throws Exception {
        String name = uniqueName("flaky");
        AtomicBoolean fail = new AtomicBoolean(true);
        var flaky = job(name, Duration.ofMinutes(1), ctx -> {
            if (fail.get()) {
                throw new IllegalStateException("upstream said no");
            }
            return 5;
        });
        MutableClock clock = MutableClock.ofNow();
        JobsReads reads = new JobsReads(TestJobs.database(), clock);
        try (JobScheduler s = scheduler(clock, "replica-a", flaky)) {
            assertThat(health(reads, name).getState()).isEqualTo(JobHealthState.JOB_HEALTHY);
            assertThat(health(reads, name).getReason()).isEqualTo("not run yet");

            JobRunResult first = s.runNow(name);
            assertThat(first.outcome()).isEqualTo(RunOutcome.FAILED);
            // Every tenant reads a job's state: the class shows, the message (it can quote one
            // tenant's data) stays in the server log.
            assertThat(first.error()).isEqualTo("java.lang.IllegalStateException: upstream said no");
            assertThat(row(name).lastError()).isEqualTo("java.lang.IllegalStateException (message in the server log, run "
                                                        + first.runId() + ")");
            assertThat(JobSchedulerTest.find(reads.listJobs().getJobsList(), name).getLastError())
                    .doesNotContain("upstream said no");
            assertThat(row(name).lastOutcome()).isEqualTo("FAILED");
            assertThat(row(name).consecutiveFailures()).isEqualTo(1);
            assertThat(JobSchedulerTest.find(reads.listJobs().getJobsList(), name).getLastOutcome())
                    .isEqualTo(JobOutcome.JOB_OUTCOME_FAILED);

            SystemRecordRow event = event(first);
            assertThat(event.tenantId()).isEqualTo(SystemRecords.SERVER_WIDE);
            assertThat(event.event()).isEqualTo("job.failed");
            assertThat(event.level()).isEqualTo("ERROR");
            assertThat(event.component()).isEqualTo("jobs");
            assertThat(event.instance()).isEqualTo("replica-a");
            JsonNode details = JSON.readTree(event.details());
            assertThat(details.get("job").asText()).isEqualTo(name);
            assertThat(details.get("error_class").asText()).isEqualTo("java.lang.IllegalStateException");
            assertThat(details.has("error_message")).isFalse();
            assertThat(event.message()).doesNotContain("upstream said no");

            JobHealth h1 = health(reads, name);
            assertThat(h1.getState()).isEqualTo(JobHealthState.JOB_DEGRADED);
            assertThat(h1.getConsecutiveFailures()).isEqualTo(1);
            assertThat(h1.getRecentFailures()).isEqualTo(1);
            assertThat(h1.hasUnhealthySince()).isFalse();
            assertThat(h1.getReason()).contains("failed 1 time in a row").contains("IllegalStateException")
                    .doesNotContain("upstream said no");

            clock.advance(Duration.ofMinutes(1));
            s.runNow(name);
            assertThat(health(reads, name).getState()).isEqualTo(JobHealthState.JOB_DEGRADED);

            clock.advance(Duration.ofMinutes(1));
            JobRunResult third = s.runNow(name);
            JobHealth h3 = health(reads, name);
            assertThat(h3.getState()).isEqualTo(JobHealthState.JOB_UNHEALTHY);
            assertThat(h3.getConsecutiveFailures()).isEqualTo(3);
            assertThat(h3.getRecentFailures()).isEqualTo(3);
            assertThat(h3.getUnhealthySince()).isEqualTo(Times.ts(third.finishedAt()));
            assertThat(row(name).unhealthySince()).isEqualTo(third.finishedAt());
            assertThat(reads.health().getState()).isEqualTo(JobHealthState.JOB_UNHEALTHY);

            // Still failing: it stays UNHEALTHY since the same moment.
            clock.advance(Duration.ofMinutes(1));
            s.runNow(name);
            assertThat(health(reads, name).getUnhealthySince()).isEqualTo(Times.ts(third.finishedAt()));

            fail.set(false);
            clock.advance(Duration.ofMinutes(1));
            JobRunResult ok = s.runNow(name);
            assertThat(ok.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            JobHealth healed = health(reads, name);
            assertThat(healed.getState()).isEqualTo(JobHealthState.JOB_HEALTHY);
            assertThat(healed.getConsecutiveFailures()).isZero();
            assertThat(healed.hasUnhealthySince()).isFalse();
            assertThat(healed.getLastSuccessAge().getSeconds()).isZero();
            assertThat(row(name).unhealthySince()).isNull();
            assertThat(row(name).lastError()).isEmpty();

            SystemRecordRow succeeded = event(ok);
            assertThat(succeeded.event()).isEqualTo("job.succeeded");
            assertThat(succeeded.level()).isEqualTo("INFO");
            assertThat(JSON.readTree(succeeded.details()).get("items").asLong()).isEqualTo(5);
            assertThat(JSON.readTree(succeeded.details()).has("duration_ms")).isTrue();
        }
    }

    @Test
    void aJobThatStopsRunningAgesIntoDegradedThenUnhealthy() {
        String name = uniqueName("stalled");
        var job = job(name, Duration.ofMinutes(1), ctx -> 1);
        MutableClock clock = MutableClock.ofNow();
        JobsReads reads = new JobsReads(TestJobs.database(), clock);
        try (JobScheduler s = scheduler(clock, "replica-a", job)) {
            Instant success = s.runNow(name).finishedAt();
            clock.advance(Duration.ofMinutes(3));
            assertThat(health(reads, name).getState()).isEqualTo(JobHealthState.JOB_HEALTHY);
            clock.advance(Duration.ofSeconds(1));
            JobHealth late = health(reads, name);
            assertThat(late.getState()).isEqualTo(JobHealthState.JOB_DEGRADED);
            assertThat(late.getReason()).contains("last success");
            assertThat(late.getLag()).isEqualTo(com.google.protobuf.util.Durations.fromSeconds(121));
            assertThat(late.getLastSuccessAge()).isEqualTo(com.google.protobuf.util.Durations.fromSeconds(181));

            clock.advance(Duration.ofMinutes(7));
            JobHealth dead = health(reads, name);
            assertThat(dead.getState()).isEqualTo(JobHealthState.JOB_UNHEALTHY);
            assertThat(dead.getConsecutiveFailures()).isZero();
            assertThat(dead.getUnhealthySince()).isEqualTo(Times.ts(success.plus(Duration.ofMinutes(10))));

            s.runNow(name);
            assertThat(health(reads, name).getState()).isEqualTo(JobHealthState.JOB_HEALTHY);
        }
    }

    @Test
    void aJobThatNeverSucceedsIsUnhealthyTenIntervalsAfterItsFirstStart() {
        String name = uniqueName("never");
        var job = job(name, Duration.ofMinutes(1), ctx -> {
            throw new java.io.IOException("disk full");
        });
        MutableClock clock = MutableClock.ofNow();
        JobsReads reads = new JobsReads(TestJobs.database(), clock);
        try (JobScheduler s = scheduler(clock, "replica-a", job)) {
            Instant firstStart = s.runNow(name).startedAt();
            assertThat(health(reads, name).getState()).isEqualTo(JobHealthState.JOB_DEGRADED);
            assertThat(health(reads, name).hasLastSuccessAge()).isFalse();
            clock.advance(Duration.ofMinutes(10));
            JobHealth h = health(reads, name);
            assertThat(h.getState()).isEqualTo(JobHealthState.JOB_UNHEALTHY);
            assertThat(h.getConsecutiveFailures()).isEqualTo(1);
            assertThat(h.getReason()).contains("never succeeded");
            assertThat(h.getUnhealthySince()).isEqualTo(Times.ts(firstStart.plus(Duration.ofMinutes(10))));

            // The next failing run stores the moment it became unhealthy.
            s.runNow(name);
            assertThat(row(name).unhealthySince()).isEqualTo(firstStart.plus(Duration.ofMinutes(10)));
        }
    }

    static JobHealth health(JobsReads reads, String name) {
        GetWorkerHealthResponse all = reads.health();
        assertThat(all.hasCheckedAt()).isTrue();
        return all.getJobsList().stream().filter(j -> j.getJobName().equals(name)).findFirst().orElseThrow();
    }

    static SystemRecordRow event(JobRunResult run) {
        List<SystemRecordRow> rows = new SystemRecords(TestJobs.database(), java.time.Clock.systemUTC(), "")
                .latest(SystemRecords.SERVER_WIDE, "jobs", 1000);
        return rows.stream().filter(r -> r.details().contains(run.runId().toString())).findFirst().orElseThrow();
    }
}
