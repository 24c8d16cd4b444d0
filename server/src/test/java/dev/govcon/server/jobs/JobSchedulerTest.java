package dev.govcon.server.jobs;

import static dev.govcon.server.jobs.TestJobs.job;
import static dev.govcon.server.jobs.TestJobs.row;
import static dev.govcon.server.jobs.TestJobs.runs;
import static dev.govcon.server.jobs.TestJobs.scheduler;
import static dev.govcon.server.jobs.TestJobs.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.govcon.proto.v1.Job;
import dev.govcon.proto.v1.JobOutcome;
import dev.govcon.server.testing.MutableClock;

/** Scheduling across replicas: one run at a time, once per interval, everything recorded. */
class JobSchedulerTest {

    @Test
    void twoSchedulersNeverRunTheSameJobAtOnce() throws Exception {
        String name = uniqueName("blocker");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        var blocker = job(name, Duration.ofMinutes(1), ctx -> {
            running.incrementAndGet();
            runs.incrementAndGet();
            entered.countDown();
            release.await(20, TimeUnit.SECONDS);
            running.decrementAndGet();
            return 7;
        });
        MutableClock clock = MutableClock.ofNow();
        try (JobScheduler a = scheduler(clock, "replica-a", blocker);
             JobScheduler b = scheduler(clock, "replica-b", blocker)) {
            CompletableFuture<JobRunResult> first = CompletableFuture.supplyAsync(() -> a.runNow(name));
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();

            JobRunResult second = b.runNow(name);
            assertThat(second.outcome()).isEqualTo(RunOutcome.SKIPPED);
            // While it runs on a, b does not even find it due.
            assertThat(b.runDue()).isEmpty();
            assertThat(row(name).lastOutcome()).isEqualTo("RUNNING");
            assertThat(row(name).lastInstance()).isEqualTo("replica-a");

            release.countDown();
            JobRunResult done = first.get(20, TimeUnit.SECONDS);
            assertThat(done.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(done.items()).isEqualTo(7);
            assertThat(runs.get()).isEqualTo(1);

            List<JobRunRow> history = runs(name);
            assertThat(history).extracting(JobRunRow::outcome, JobRunRow::instance)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("SUCCEEDED", "replica-a"),
                            org.assertj.core.groups.Tuple.tuple("SKIPPED", "replica-b"));

            // The lock is free again: b may run it now.
            assertThat(b.runNow(name).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(row(name).lastInstance()).isEqualTo("replica-b");
            assertThat(runs.get()).isEqualTo(2);
        } finally {
            release.countDown();
        }
    }

    @Test
    void manyThreadsOnTwoSchedulersNeverOverlap() throws Exception {
        String name = uniqueName("contended");
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        var job = job(name, Duration.ofMinutes(1), ctx -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.onSpinWait();
            running.decrementAndGet();
            return 1;
        });
        MutableClock clock = MutableClock.ofNow();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (JobScheduler a = scheduler(clock, "replica-a", job);
             JobScheduler b = scheduler(clock, "replica-b", job)) {
            List<Future<JobRunResult>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                JobScheduler s = i % 2 == 0 ? a : b;
                results.add(pool.submit(() -> s.runNow(name)));
            }
            int succeeded = 0;
            for (Future<JobRunResult> f : results) {
                RunOutcome o = f.get(30, TimeUnit.SECONDS).outcome();
                assertThat(o).isIn(RunOutcome.SUCCEEDED, RunOutcome.SKIPPED);
                succeeded += o == RunOutcome.SUCCEEDED ? 1 : 0;
            }
            assertThat(maxRunning.get()).isEqualTo(1);
            assertThat(succeeded).isPositive();
            assertThat(runs(name)).hasSize(40);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aJobIsDueOncePerIntervalAcrossReplicas() {
        String name = uniqueName("periodic");
        AtomicInteger runs = new AtomicInteger();
        var job = job(name, Duration.ofSeconds(30), ctx -> runs.incrementAndGet());
        MutableClock clock = MutableClock.ofNow();
        try (JobScheduler a = scheduler(clock, "replica-a", job);
             JobScheduler b = scheduler(clock, "replica-b", job)) {
            // Never ran: due at once, on whichever replica asks first.
            assertThat(a.runDue()).extracting(JobRunResult::outcome).containsExactly(RunOutcome.SUCCEEDED);
            assertThat(b.runDue()).isEmpty();
            clock.advance(Duration.ofSeconds(29));
            assertThat(a.runDue()).isEmpty();
            assertThat(b.runDue()).isEmpty();
            clock.advance(Duration.ofSeconds(1));
            assertThat(b.runDue()).extracting(JobRunResult::outcome).containsExactly(RunOutcome.SUCCEEDED);
            assertThat(a.runDue()).isEmpty();
            assertThat(runs.get()).isEqualTo(2);

            // An operator's switch is kept across restarts and stops scheduling (not runNow).
            database().inTransaction(s -> {
                s.getMapper(JobMapper.class).setEnabled(name, false);
                return null;
            });
            clock.advance(Duration.ofMinutes(5));
            try (JobScheduler restarted = scheduler(clock, "replica-c", job)) {
                assertThat(row(name).enabled()).isFalse();
                assertThat(restarted.runDue()).isEmpty();
                assertThat(restarted.runNow(name).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            }
        }
    }

    @Test
    void onATimerDueJobsRunByThemselves() throws Exception {
        String name = uniqueName("timed");
        CountDownLatch ran = new CountDownLatch(1);
        var job = job(name, Duration.ofHours(1), ctx -> {
            ran.countDown();
            return 1;
        });
        MutableClock clock = MutableClock.ofNow();
        var settings = new JobScheduler.Settings(true, Duration.ofMillis(20), "timer", Duration.ofDays(7));
        try (JobScheduler s = new JobScheduler(database(), clock, List.of(job), settings).start()) {
            assertThat(ran.await(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(runs(name)).extracting(JobRunRow::outcome).containsExactly("SUCCEEDED");
    }

    @Test
    void listJobsShowsScheduleLastRunAndNextRun() {
        String name = uniqueName("listed");
        var job = job(name, Duration.ofMinutes(10), ctx -> {
            ((MutableClock) ctx.clock()).advance(Duration.ofMillis(1500));
            return 42;
        });
        MutableClock clock = MutableClock.ofNow();
        try (JobScheduler s = scheduler(clock, "replica-a", job)) {
            Job before = find(new JobsReads(database(), clock).listJobs().getJobsList(), name);
            assertThat(before.getLastOutcome()).isEqualTo(JobOutcome.JOB_OUTCOME_UNSPECIFIED);
            assertThat(before.hasLastStartedAt()).isFalse();

            JobRunResult r = s.runNow(name);
            assertThat(r.duration()).isEqualTo(Duration.ofMillis(1500));
            Job listed = find(new JobsReads(database(), clock).listJobs().getJobsList(), name);
            assertThat(listed.getDescription()).isEqualTo("test job " + name);
            assertThat(listed.getSchedule()).isEqualTo("every 10m");
            assertThat(listed.getInterval().getSeconds()).isEqualTo(600);
            assertThat(listed.getEnabled()).isTrue();
            assertThat(listed.getLastOutcome()).isEqualTo(JobOutcome.JOB_OUTCOME_SUCCEEDED);
            assertThat(listed.getLastItems()).isEqualTo(42);
            assertThat(listed.getLastInstance()).isEqualTo("replica-a");
            assertThat(listed.getLastDuration().getSeconds()).isEqualTo(1);
            assertThat(listed.getLastDuration().getNanos()).isEqualTo(500_000_000);
            assertThat(listed.getLastSuccessAt()).isEqualTo(dev.govcon.server.wire.Times.ts(r.finishedAt()));
            assertThat(listed.getNextRunAt())
                    .isEqualTo(dev.govcon.server.wire.Times.ts(r.startedAt().plus(Duration.ofMinutes(10))));
        }
    }

    @Test
    void aRunLeftRunningByADeadReplicaIsMarkedFailedByTheNextRun() {
        String name = uniqueName("orphan");
        var job = job(name, Duration.ofMinutes(1), ctx -> 0);
        MutableClock clock = MutableClock.ofNow();
        try (JobScheduler s = scheduler(clock, "replica-a", job)) {
            java.util.UUID orphan = java.util.UUID.randomUUID();
            database().inTransaction(x -> {
                x.getMapper(JobMapper.class).insertRun(name, orphan, clock.instant(), null, "RUNNING", "", 0, "dead");
                return null;
            });
            clock.advance(Duration.ofMinutes(1));
            s.runNow(name);
            JobRunRow abandoned = runs(name).stream().filter(r -> r.runId().equals(orphan)).findFirst().orElseThrow();
            assertThat(abandoned.outcome()).isEqualTo("FAILED");
            assertThat(abandoned.error()).contains("abandoned");
            assertThat(abandoned.finishedAt()).isNotNull();
        }
    }

    @Test
    void unknownJobsAndDuplicateNamesAreRefused() {
        MutableClock clock = MutableClock.ofNow();
        var j = job(uniqueName("dup"), Duration.ofMinutes(1), ctx -> 0);
        assertThatThrownBy(() -> scheduler(clock, "x", j, j)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two jobs");
        try (JobScheduler s = scheduler(clock, "x", j)) {
            assertThatThrownBy(() -> s.runNow("no-such-job")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no job named no-such-job");
        }
        assertThat(JobScheduler.lockKey("run-reaper")).isEqualTo(JobScheduler.lockKey("run-reaper"))
                .isNotEqualTo(JobScheduler.lockKey("rollup-daily"));
    }

    static Job find(List<Job> jobs, String name) {
        return jobs.stream().filter(j -> j.getName().equals(name)).findFirst().orElseThrow();
    }

    static dev.govcon.server.db.Database database() {
        return TestJobs.database();
    }
}
