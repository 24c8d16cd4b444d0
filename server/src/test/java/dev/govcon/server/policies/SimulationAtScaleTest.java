package dev.govcon.server.policies;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.GetPolicyCoverageRequest;
import dev.govcon.proto.v1.GetPolicyCoverageResponse;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.LimitSimulation;
import dev.govcon.proto.v1.PolicyLimit;
import dev.govcon.proto.v1.Scope;
import dev.govcon.proto.v1.SimulateLimitRequest;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.TestDatabase;
import dev.govcon.server.wire.Times;

/**
 * A 30-day replay over a million runs (written straight into llm_run_records by one
 * INSERT ... SELECT, rollups rebuilt from them) on a database of its own: every run is replayed,
 * the minute and concurrency replays equal a direct computation, and the statements read
 * through the tenant-first indexes. Each call's time is printed; speed is not asserted
 * (machines differ, and the bench measures it).
 */
class SimulationAtScaleTest {
    static final int RUNS = 1_000_000;
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    static RunningServer server;
    static RunFixtures fx;
    static GovconClient client;
    static UUID tenantId;
    static Instant end;

    @BeforeAll
    static void start() {
        server = RunningServer.start(TestDatabase.isolated());
        fx = new RunFixtures(server.database.dataSource());
        RunningServer.Tenant t = server.newTenant("Scale Co");
        tenantId = UUID.fromString(t.id());
        fx.update("UPDATE tenants SET time_zone = ? WHERE tenant_id = ?", PARIS.getId(), tenantId);
        end = server.clock.instant().truncatedTo(ChronoUnit.SECONDS);
        long began = System.nanoTime();
        // Building the secondary indexes once after the load is several times faster than
        // maintaining them row by row; the definitions are read back from the schema, so the
        // test keeps every index the migrations create. Record ids ascend for the same reason.
        List<String> indexes = fx.queryStrings("""
                SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
                WHERE i.indrelid = 'llm_run_records'::regclass AND NOT i.indisprimary
                """);
        fx.update("""
                  DO $$ DECLARE i regclass; BEGIN
                    FOR i IN SELECT indexrelid::regclass FROM pg_index
                             WHERE indrelid = 'llm_run_records'::regclass AND NOT indisprimary LOOP
                      EXECUTE 'DROP INDEX ' || i;
                    END LOOP;
                  END $$""");
        // One run every 2.592 s over the 30 days before `end`: 10 features, 5 models, 100 users.
        insertWithoutTriggers("""
                  INSERT INTO llm_run_records (tenant_id, record_id, run_id, model, provider, feature, end_user,
                      integration_id, environment, status, start_time, end_time, input_tokens, output_tokens,
                      cost_micros, cost_source, latency_ms, received_at, content_hash)
                  SELECT ?, ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'run-' || g,
                         (ARRAY['gpt-4o','gpt-4o-mini','claude-sonnet','gemini-pro','llama'])[1 + g % 5],
                         (ARRAY['openai','openai','anthropic','google','meta'])[1 + g % 5],
                         'feature-' || (g % 10), 'user-' || (g % 100), 'sdk-1',
                         CASE WHEN g % 3 = 0 THEN 'staging' ELSE 'production' END,
                         CASE WHEN g % 50 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END,
                         ?::timestamptz + g * interval '2592 milliseconds' - (800 + g % 4000) * interval '1 millisecond',
                         ?::timestamptz + g * interval '2592 milliseconds',
                         500 + g % 1000, 100 + g % 300, 1000 + (g % 97) * 100, 'CALLER', 800 + g % 4000, now(),
                         '\\x00'
                  FROM generate_series(1, ?) AS g
                  """, tenantId, java.sql.Timestamp.from(end.minus(Duration.ofDays(30))),
                  java.sql.Timestamp.from(end.minus(Duration.ofDays(30))), RUNS);
        long inserted = System.nanoTime();
        indexes.forEach(fx::update);
        long indexed = System.nanoTime();
        fx.rebuildRollups(tenantId);
        long rolledUp = System.nanoTime();
        // Nine more tenants with the same rollups, so that reading one tenant's is a small part.
        for (int i = 0; i < 9; i++) {
            UUID other = UUID.fromString(server.newTenant("Scale Neighbour " + i).id());
            fx.update("INSERT INTO run_rollups_hourly SELECT ?, hour, model, provider, feature, environment, status,"
                      + " runs, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,"
                      + " cost_micros, cost_unknown_runs, latency_ms_sum, latency_ms_max, latency_histogram"
                      + " FROM run_rollups_hourly WHERE tenant_id = ?", other, tenantId);
        }
        // The tenant-wide minute and concurrency replays read run_marks, which the job keeps.
        long copying = System.nanoTime();
        long copied = server.server.jobs().runNow(RunMarksJob.NAME).items();
        System.out.printf("SimulationAtScaleTest: run-marks copied and marked %,d runs in %d ms%n", copied,
                          (System.nanoTime() - copying) / 1_000_000);
        fx.update("VACUUM ANALYZE llm_run_records");
        fx.update("VACUUM ANALYZE run_rollups_hourly");
        fx.update("VACUUM ANALYZE run_marks");
        assertThat(copied).isEqualTo(RUNS);
        long done = System.nanoTime();
        System.out.printf("SimulationAtScaleTest: %,d runs and their rollups loaded in %d ms (insert %d, indexes %d,"
                          + " rollups %d, neighbours and vacuum %d)%n", RUNS, (done - began) / 1_000_000,
                          (inserted - began) / 1_000_000, (indexed - inserted) / 1_000_000,
                          (rolledUp - indexed) / 1_000_000, (done - rolledUp) / 1_000_000);
        client = server.grpc(t.ownerKey());
    }

    /**
     * Runs an insert with the table's triggers off for its transaction: the tenant exists, so
     * the foreign key's million row-by-row checks would only slow the load down.
     */
    static void insertWithoutTriggers(String sql, Object... args) {
        try (Connection c = server.database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement(); var ps = c.prepareStatement(sql)) {
                st.execute("SET LOCAL session_replication_role = replica");
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                ps.executeUpdate();
                c.commit();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    static LimitSimulation simulate(String label, PolicyLimit.Builder limit) {
        SimulateLimitRequest req = SimulateLimitRequest.newBuilder().setLimit(limit)
                .setEndTime(Times.ts(end.plusSeconds(1))).build();
        LimitSimulation s = timed(label, () -> client.policies().withDeadlineAfter(2, java.util.concurrent.TimeUnit.MINUTES).simulateLimit(req).getSimulation());
        System.out.printf("    %s: %,d runs, %,d blocked, %,d warned, %d days affected%n", label,
                          s.getRunsEvaluated(), s.getProposed().getBlockedRuns(), s.getProposed().getWarnedRuns(),
                          s.getProposed().getDaysAffected());
        return s;
    }

    /** Prints how long one call took, for the record: speed is measured by the bench (bench/run --scenario simulate-1m). */
    static <T> T timed(String label, Supplier<T> call) {
        long began = System.nanoTime();
        T result = call.get();
        System.out.printf("SimulationAtScaleTest: %s in %d ms%n", label, (System.nanoTime() - began) / 1_000_000);
        return result;
    }

    @Test
    void thirtyDaysOfAMillionRuns() {
        // About 33,000 runs and 165 dollars a day: a 150-dollar daily limit is crossed every day.
        LimitSimulation daily = simulate("SPEND_PER_DAY, tenant-wide (rollups + crossing hours)",
                PolicyLimit.newBuilder().setKind(LimitKind.LIMIT_KIND_SPEND_PER_DAY).setAmount(150_000_000)
                        .setAction(ControlAction.BLOCK).setWarnAtRatio(0.8));
        assertThat(daily.getRunsEvaluated()).isEqualTo(RUNS);
        assertThat(daily.getProposed().getDaysAffected()).isGreaterThanOrEqualTo(29);
        assertThat(daily.getDaysCount()).isBetween(30, 31);

        LimitSimulation user = simulate("SPEND_PER_DAY, one end user (run records)",
                PolicyLimit.newBuilder().setKind(LimitKind.LIMIT_KIND_SPEND_PER_DAY).setAmount(1_500_000)
                        .setScope(Scope.newBuilder().setEndUser("user-7")));
        assertThat(user.getRunsEvaluated()).isEqualTo(RUNS / 100);

        simulate("TOKENS_PER_DAY, one feature (rollups + crossing hours)",
                PolicyLimit.newBuilder().setKind(LimitKind.LIMIT_KIND_TOKENS_PER_DAY).setAmount(2_000_000)
                        .setAction(ControlAction.WARN).setScope(Scope.newBuilder().setFeature("feature-3")));
        simulate("SPEND_PER_MONTH, tenant-wide (rollups + crossing hours)",
                PolicyLimit.newBuilder().setKind(LimitKind.LIMIT_KIND_SPEND_PER_MONTH).setAmount(2_000_000_000));
        simulate("SPEND_PER_DAY, production only, never reached (rollups)",
                PolicyLimit.newBuilder().setKind(LimitKind.LIMIT_KIND_SPEND_PER_DAY).setAmount(150_000_000)
                        .setScope(Scope.newBuilder().setEnvironment("production")));
        GetPolicyCoverageResponse coverage = timed("coverage", () -> client.policies().getPolicyCoverage(
                GetPolicyCoverageRequest.getDefaultInstance()));
        assertThat(coverage.getTotalRuns()).isEqualTo(RUNS);
    }

    /**
     * The minute and concurrency replays pass every run through one ordered pass; their answer
     * must be the plain computation's ({@link DirectReplay}) to the run, day by day.
     */
    @Test
    void minuteAndConcurrencyReplaysEqualADirectComputation() {
        // About 23 runs start each minute: past 20 is blocked, past 15 warned (a seventh and a third of the runs).
        assertEqualsDirect("REQUESTS_PER_MINUTE, block past 20, warn past 15",
                LimitKind.LIMIT_KIND_REQUESTS_PER_MINUTE, 20, ControlAction.BLOCK, 0.75);
        // A run lasts 0.8-4.8 s and one starts every 2.6 s: about half start while another runs.
        assertEqualsDirect("CONCURRENT_RUNS, block past 1", LimitKind.LIMIT_KIND_CONCURRENT_RUNS, 1,
                           ControlAction.BLOCK, null);
        assertEqualsDirect("CONCURRENT_RUNS, warn past 2, early past 1", LimitKind.LIMIT_KIND_CONCURRENT_RUNS, 2,
                           ControlAction.WARN, 0.5);
    }

    static void assertEqualsDirect(String label, LimitKind kind, long amount, ControlAction action, Double warnAt) {
        PolicyLimit.Builder limit = PolicyLimit.newBuilder().setKind(kind).setAmount(amount).setAction(action);
        if (warnAt != null) {
            limit.setWarnAtRatio(warnAt);
        }
        LimitSimulation s = simulate(label, limit);
        Instant to = end.plusSeconds(1);
        DirectReplay direct = DirectReplay.of(kind, amount, action, warnAt, end.minus(Duration.ofDays(30)).toEpochMilli(),
                                              RUNS, to.minus(Duration.ofDays(30)).toEpochMilli(), to.toEpochMilli(), PARIS);
        assertThat(direct.blocked + direct.warned).as("the limit acts on some runs").isPositive();
        assertThat(s.getRunsEvaluated()).isEqualTo(direct.runs);
        assertThat(s.getCostEvaluatedMicros()).isEqualTo(direct.cost);
        assertThat(s.getProposed()).as(label).isEqualTo(direct.totals());
        assertThat(DirectReplay.dayLines(s, PARIS)).as(label).isEqualTo(direct.dayLines());
    }

    @Test
    void theReplayReadsThroughTheTenantFirstIndexes() throws Exception {
        String segment = """
                EXPLAIN SELECT r.end_time, r.cost_micros
                FROM unnest(ARRAY[now() - interval '2 hours', now() - interval '26 hours'],
                            ARRAY[now() - interval '1 hour', now() - interval '25 hours']) AS g (seg_start, seg_end)
                CROSS JOIN LATERAL (
                  SELECT r.end_time, r.cost_micros FROM llm_run_records r
                  WHERE r.tenant_id = '%s' AND r.end_time >= g.seg_start AND r.end_time < g.seg_end
                    AND r.environment = 'production'
                  OFFSET 0) r
                """.formatted(tenantId);
        assertThat(plan(segment)).contains("llm_run_records_newest");
        String hours = """
                EXPLAIN SELECT r.hour, sum(r.cost_micros) FROM run_rollups_hourly r
                WHERE r.tenant_id = '%s' AND r.hour >= now() - interval '30 days' AND r.hour < now()
                GROUP BY r.hour
                """.formatted(tenantId);
        assertThat(plan(hours)).contains("run_rollups_hourly_pkey");
    }

    static String plan(String sql) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = server.database.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.append(rs.getString(1)).append('\n');
            }
        }
        System.out.print("SimulationAtScaleTest plan:\n" + out);
        return out.toString();
    }
}
