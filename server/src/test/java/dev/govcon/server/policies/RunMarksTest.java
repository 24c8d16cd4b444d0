package dev.govcon.server.policies;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.LimitSimulation;
import dev.govcon.proto.v1.PolicyLimit;
import dev.govcon.proto.v1.SimulateLimitRequest;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.wire.Times;

/**
 * Tenant-wide minute and concurrency replays read the marks that {@link RunMarksJob} keeps in
 * run_marks up to its watermark and the run records after it. Whatever the job has copied —
 * nothing, everything, everything but runs recorded late, or everything but a run whose
 * transaction was still open — the answer is the plain computation's ({@link DirectReplay}),
 * run by run and day by day, for each of two tenants whose runs overlap in time. The runs have
 * ties on start time (run ids ordered bytewise), runs of no length, runs longer than an hour
 * and than a day (one started before the replay's reach and still running in it), and BLOCKED
 * runs, which count nowhere.
 */
class RunMarksTest {
    static final Instant END = Instant.parse("2026-06-10T00:00:00Z");
    static final Instant START = END.minus(Duration.ofDays(1));
    /** The replay reads runs that started from a day before the window (LimitReplay.RUN_REACH). */
    static final Instant REACH = START.minus(Duration.ofDays(1));

    static RunningServer server;
    static RunFixtures fx;
    static final Tenant A = new Tenant();
    static final Tenant B = new Tenant();

    static final class Tenant {
        UUID id;
        GovconClient client;
        final List<DirectReplay.Run> counted = new ArrayList<>();
    }

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        fx = new RunFixtures(server.database.dataSource());
        for (Tenant t : List.of(A, B)) {
            RunningServer.Tenant created = server.newTenant(t == A ? "Marks A" : "Marks B");
            t.id = UUID.fromString(created.id());
            t.client = server.grpc(created.ownerKey());
        }
        Random random = new Random(17);
        history(A, "a-", REACH.minus(Duration.ofHours(3)), 1200, random);
        history(B, "b-", START.minus(Duration.ofHours(3)), 400, random);
        // Longer than a day, started before the replay's reach: counted nowhere as in flight.
        record(A, "long-day", REACH.minus(Duration.ofHours(2)), REACH.plus(Duration.ofHours(30)), "chat", "SUCCEEDED");
        // Longer than an hour, inside the reach: found through run_marks_long.
        record(A, "long-hours", START.minus(Duration.ofHours(3)), START.minus(Duration.ofMinutes(30)), "chat", "SUCCEEDED");
        record(B, "long-b", START.plus(Duration.ofHours(2)), START.plus(Duration.ofHours(5)), "chat", "SUCCEEDED");
        rollUp();
    }

    /** The runs and spend of a replay's whole hours come from the hourly rollups. */
    static void rollUp() {
        fx.rebuildRollups(A.id);
        fx.rebuildRollups(B.id);
    }

    @AfterAll
    static void stop() {
        A.client.close();
        B.client.close();
        server.close();
    }

    /** Clusters of runs every ~40 minutes from {@code from} on, up to the window's end. */
    static void history(Tenant t, String prefix, Instant from, int count, Random random) {
        Instant cluster = from;
        Instant start = cluster;
        for (int i = 0; i < count; i++) {
            if (i % 12 == 0) {
                cluster = cluster.plus(Duration.ofMinutes(35 + random.nextInt(10)));
            }
            // Twelve runs within 50 s, on 10 ms steps; every fifth starts with the one before (a tie).
            start = i % 5 == 4 ? start : cluster.plusMillis(10L * random.nextInt(5_000));
            if (!start.isBefore(END)) {
                break;
            }
            Instant end = start.plusMillis(10L * random.nextInt(4_000));
            String status = i % 23 == 0 ? "BLOCKED" : "SUCCEEDED";
            record(t, prefix + i, start, end, "feature-" + (i % 4), status);
            if (i % 97 == 0) {
                // No length, at an instant of its own (7 ms past a 10 ms step).
                Instant z = start.plusMillis(7);
                record(t, prefix + "z" + i, z, z, "feature-z", "SUCCEEDED");
            }
        }
    }

    static void record(Tenant t, String id, Instant start, Instant end, String feature, String status) {
        long cost = 1_000 + Math.floorMod(id.hashCode(), 500) * 10L;
        fx.insertRecord(t.id, new RunFixtures.Finished(id, "gpt-4o", "openai", feature, "u", "production", status,
                                                       start, end, 100, 50, 0, 0, 0, cost, "CALLER", false,
                                                       end.toEpochMilli() - start.toEpochMilli(), "", "{}"));
        if (!"BLOCKED".equals(status)) {
            t.counted.add(new DirectReplay.Run(id, start.toEpochMilli(), end.toEpochMilli(), feature, cost, 150));
        }
    }

    static void assertReplaysEqualDirect(String when) {
        for (Tenant t : List.of(A, B)) {
            assertEqualsDirect(t, when + ", requests per minute past 3, warned past 2",
                               LimitKind.LIMIT_KIND_REQUESTS_PER_MINUTE, 3, ControlAction.BLOCK, 0.67);
            assertEqualsDirect(t, when + ", concurrent runs past 2", LimitKind.LIMIT_KIND_CONCURRENT_RUNS, 2,
                               ControlAction.BLOCK, null);
            assertEqualsDirect(t, when + ", concurrent runs warned past 4, early past 1",
                               LimitKind.LIMIT_KIND_CONCURRENT_RUNS, 4, ControlAction.WARN, 0.5);
        }
    }

    static void assertEqualsDirect(Tenant t, String label, LimitKind kind, long amount, ControlAction action, Double warnAt) {
        PolicyLimit.Builder limit = PolicyLimit.newBuilder().setKind(kind).setAmount(amount).setAction(action);
        if (warnAt != null) {
            limit.setWarnAtRatio(warnAt);
        }
        LimitSimulation s = t.client.policies().simulateLimit(SimulateLimitRequest.newBuilder().setLimit(limit)
                .setStartTime(Times.ts(START)).setEndTime(Times.ts(END)).build()).getSimulation();
        DirectReplay direct = DirectReplay.of(kind, amount, action, warnAt, t.counted.toArray(DirectReplay.Run[]::new),
                                              REACH.toEpochMilli(), START.toEpochMilli(), END.toEpochMilli(),
                                              ZoneOffset.UTC);
        System.out.printf("RunMarksTest: %s: %d runs, %d blocked, %d warned (direct: %d, %d, %d)%n", label,
                          s.getRunsEvaluated(), s.getProposed().getBlockedRuns(), s.getProposed().getWarnedRuns(),
                          direct.runs, direct.blocked, direct.warned);
        assertThat(direct.blocked + direct.warned).as(label + ": the limit acts on some runs").isPositive();
        assertThat(s.getRunsEvaluated()).as(label).isEqualTo(direct.runs);
        assertThat(s.getProposed()).as(label).isEqualTo(direct.totals());
        assertThat(DirectReplay.dayLines(s, ZoneOffset.UTC)).as(label).isEqualTo(direct.dayLines());
    }

    static long copied(Tenant t) {
        return fx.queryLong("SELECT count(*) FROM run_marks WHERE tenant_id = ?", t.id);
    }

    /** The job leaves a second's margin before now: let what was just recorded fall behind it. */
    static void runJob() {
        try {
            Thread.sleep(1_100);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        server.server.jobs().runNow(RunMarksJob.NAME);
    }

    @Test
    void everyStageOfTheCopyAnswersAsTheDirectComputation() throws Exception {
        // Nothing copied yet: every run is read from the run records.
        assertReplaysEqualDirect("before the job");

        runJob();
        assertThat(copied(A)).as("A's runs but the BLOCKED ones").isEqualTo(A.counted.size());
        assertThat(copied(B)).isEqualTo(B.counted.size());
        assertThat(fx.queryLong("SELECT count(*) FROM run_marks WHERE tenant_id = ? AND in_flight > 2 AND minute_place > 3",
                                A.id)).as("marked").isPositive();
        assertReplaysEqualDirect("all copied");

        // Recorded late: runs that started hours ago, into busy minutes and across other runs,
        // and one started before the reach. They are after the watermark until the next round.
        Random random = new Random(3);
        for (int i = 0; i < 40; i++) {
            DirectReplay.Run near = A.counted.get(random.nextInt(A.counted.size()));
            Instant start = Instant.ofEpochMilli(near.startMs()).plusMillis(10L * random.nextInt(20));
            record(A, "late-" + i, start, start.plusMillis(10L * random.nextInt(3_000)), "feature-late", "SUCCEEDED");
        }
        record(A, "late-blocked", START.plus(Duration.ofHours(3)), START.plus(Duration.ofHours(3)).plusSeconds(5),
               "chat", "BLOCKED");
        rollUp();
        assertReplaysEqualDirect("late runs not yet copied");
        // One more, started before the reach: the whole replay is read from the run records.
        record(A, "late-long", REACH.minus(Duration.ofMinutes(20)), START.plus(Duration.ofHours(1)), "chat", "SUCCEEDED");
        rollUp();
        assertReplaysEqualDirect("a late run from before the reach not yet copied");

        runJob();
        assertThat(copied(A)).isEqualTo(A.counted.size());
        assertReplaysEqualDirect("late runs copied");
        assertThat(fx.queryLong("""
                SELECT count(*) FROM run_marks m JOIN llm_run_records r USING (tenant_id, run_id)
                WHERE m.tenant_id <> r.tenant_id OR m.start_time <> r.start_time""")).isZero();
    }

    /**
     * A run whose transaction began before the job's round and committed after it has a
     * recorded_at before the round's end: the watermark must not pass it.
     */
    @Test
    void aRunStillBeingRecordedIsNotSkipped() throws Exception {
        runJob();
        Instant start = START.plus(Duration.ofHours(7));
        try (Connection c = server.database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO llm_run_records (tenant_id, record_id, run_id, model, status, start_time, end_time,
                        cost_micros, cost_source, received_at, content_hash)
                    VALUES (?, ?, 'open-txn', 'gpt-4o', 'SUCCEEDED', ?, ?, 1000, 'CALLER', now(), '\\x00')""")) {
                ps.setObject(1, B.id);
                ps.setObject(2, UUID.randomUUID());
                ps.setObject(3, java.sql.Timestamp.from(start));
                ps.setObject(4, java.sql.Timestamp.from(start.plusSeconds(90)));
                ps.executeUpdate();
            }
            runJob(); // while the run's transaction is open
            c.commit();
        }
        rollUp();
        B.counted.add(new DirectReplay.Run("open-txn", start.toEpochMilli(), start.plusSeconds(90).toEpochMilli(),
                                           "", 1000, 0));
        assertThat(fx.queryLong("SELECT count(*) FROM run_marks WHERE run_id = 'open-txn'")).isZero();
        assertThat(fx.queryLong("""
                SELECT count(*) FROM llm_run_records r, run_marks_watermark w
                WHERE r.run_id = 'open-txn' AND r.recorded_at >= w.recorded_before""")).as("after the watermark").isOne();
        assertReplaysEqualDirect("a run after the watermark");
        runJob();
        assertThat(fx.queryLong("SELECT count(*) FROM run_marks WHERE run_id = 'open-txn'")).isOne();
        assertReplaysEqualDirect("that run copied");
    }

    /**
     * Under steady ingestion each round's runs start in the minute the last round's runs started
     * in, some of them before the last round's latest starts: the job marks from the earliest
     * new start, continuing that minute's places. After every round each stored mark equals the
     * one computed from all runs at once.
     */
    @Test
    void roundsThatContinueAMinuteKeepEveryMark() throws Exception {
        Tenant c = new Tenant();
        RunningServer.Tenant created = server.newTenant("Marks C");
        c.id = UUID.fromString(created.id());
        // After the other tests' windows and 17 s into a minute, so no round starts on a minute.
        Instant base = END.plus(Duration.ofDays(3)).plusSeconds(17);
        Random random = new Random(29);
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 150; i++) {
                // Each round's starts reach 6 s back into the last round's 12 s (and past minute ends).
                Instant start = base.plusMillis(round * 12_000L - 6_000L + random.nextInt(18_000));
                Instant end = start.plusMillis(1 + random.nextInt(5_000));
                record(c, "c-" + round + "-" + i, start, end, "feature-" + (i % 3), i % 31 == 0 ? "BLOCKED" : "SUCCEEDED");
            }
            runJob();
            assertThat(fx.queryStrings("""
                    SELECT run_id || ' ' || minute_place || ' ' || in_flight FROM run_marks
                    WHERE tenant_id = ? ORDER BY start_time, run_id""", c.id))
                    .as("marks after round " + round).isEqualTo(expectedMarks(c.counted));
        }
    }

    /** Each run's place in its start minute and the runs in flight at its start, itself included. */
    static List<String> expectedMarks(List<DirectReplay.Run> runs) {
        List<DirectReplay.Run> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingLong(DirectReplay.Run::startMs).thenComparing(DirectReplay.Run::id));
        List<String> marks = new ArrayList<>();
        PriorityQueue<Long> inFlight = new PriorityQueue<>();
        long minute = Long.MIN_VALUE;
        int place = 0;
        for (DirectReplay.Run r : sorted) {
            long m = Math.floorDiv(r.startMs(), 60_000L);
            place = m == minute ? place + 1 : 1;
            minute = m;
            while (!inFlight.isEmpty() && inFlight.peek() <= r.startMs()) {
                inFlight.poll();
            }
            inFlight.add(r.endMs());
            marks.add(r.id() + " " + place + " " + inFlight.size());
        }
        return marks;
    }
}
