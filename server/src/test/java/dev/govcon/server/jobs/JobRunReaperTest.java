package dev.govcon.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.govcon.proto.v1.Job;
import dev.govcon.server.GovconServer;
import dev.govcon.server.config.ServerSettings;
import dev.govcon.server.testing.MutableClock;
import dev.govcon.server.testing.TestDatabase;

/** The reaper job asks the ingestion side to time out stale runs, chunk by chunk, until done. */
class JobRunReaperTest {

    record Call(Duration timeout, int limit) {
    }

    /** A stand-in for runIngestor::timeOutStale that answers from a script. */
    static StaleRunReaper scripted(List<Call> calls, Integer... answers) {
        Deque<Integer> script = new ArrayDeque<>(List.of(answers));
        return (timeout, limit) -> {
            calls.add(new Call(timeout, limit));
            return script.isEmpty() ? 0 : script.pop();
        };
    }

    @Test
    void loopsInChunksOfAThousandUntilAShortChunk() throws Exception {
        List<Call> calls = new ArrayList<>();
        RunReaperJob job = new RunReaperJob(scripted(calls, 1000, 1000, 37), Duration.ofMinutes(5));
        assertThat(job.name()).isEqualTo("run-reaper");
        assertThat(job.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(job.run(null)).isEqualTo(2037);
        assertThat(calls).containsExactly(new Call(Duration.ofMinutes(5), 1000),
                                          new Call(Duration.ofMinutes(5), 1000),
                                          new Call(Duration.ofMinutes(5), 1000));

        calls.clear();
        assertThat(new RunReaperJob(scripted(calls, 0)).run(null)).isZero();
        assertThat(calls).containsExactly(new Call(Duration.ofMinutes(15), 1000));

        calls.clear();
        assertThat(new RunReaperJob(scripted(calls, 1000, 0)).run(null)).isEqualTo(1000);
        assertThat(calls).hasSize(2);
    }

    @Test
    void theServerSchedulesTheReaperItIsGiven() {
        List<Call> calls = new ArrayList<>();
        MutableClock clock = MutableClock.ofNow();
        try (GovconServer server = GovconServer.start(
                new ServerSettings(0, "t", List.of("*"), 1), TestDatabase.shared(), clock,
                GovconServer.newMeterRegistry(), JobScheduler.Settings.manual().withInstance("reaper-test"),
                List.of(new RunReaperJob(scripted(calls, 1000, 12), Duration.ofMinutes(20))))) {
            assertThat(server.jobs().jobs()).extracting(dev.govcon.server.jobs.Job::name)
                    .contains("rollup-daily", "run-reaper");
            assertThat(calls).isEmpty(); // manual: nothing ran on its own

            JobRunResult r = server.jobs().runNow("run-reaper");
            assertThat(r.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(r.items()).isEqualTo(1012);
            assertThat(calls).extracting(Call::timeout).containsOnly(Duration.ofMinutes(20));

            Job listed = JobSchedulerTest.find(server.jobsReads().listJobs().getJobsList(), "run-reaper");
            assertThat(listed.getLastItems()).isEqualTo(1012);
            assertThat(listed.getSchedule()).isEqualTo("every 30s");
            assertThat(listed.getDescription()).contains("20m");
        }
    }

    @Test
    void aFailingReaperFailsTheRun() {
        MutableClock clock = MutableClock.ofNow();
        StaleRunReaper broken = (timeout, limit) -> {
            throw new IllegalStateException("database went away");
        };
        // The job's name is fixed, so give it a scheduler of its own and compare by run id.
        try (JobScheduler s = TestJobs.scheduler(clock, "reaper-fail", new RunReaperJob(broken))) {
            JobRunResult r = s.runNow("run-reaper");
            assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
            assertThat(r.error()).contains("database went away");
            assertThat(TestJobs.runs("run-reaper")).anySatisfy(row -> {
                assertThat(row.runId()).isEqualTo(r.runId());
                assertThat(row.outcome()).isEqualTo("FAILED");
            });
        }
        // Leave the shared job healthy for the tests that follow.
        try (JobScheduler s = TestJobs.scheduler(clock, "reaper-fail", new RunReaperJob((t, l) -> 0))) {
            assertThat(s.runNow("run-reaper").outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        }
    }
}
