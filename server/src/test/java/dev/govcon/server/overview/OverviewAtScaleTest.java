package dev.govcon.server.overview;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.govcon.proto.v1.GetCostSummaryRequest;
import dev.govcon.proto.v1.GetHighlightsRequest;
import dev.govcon.proto.v1.GetHighlightsResponse;
import dev.govcon.proto.v1.GetPulseRequest;
import dev.govcon.proto.v1.ListRecentActivityRequest;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.TestDatabase;

/**
 * The benchmark of the overview's hot reads: p50/p95/p99 of highlights and pulse (and, for
 * reference, cost summary and a feed page) over gRPC, with {@code govcon.overview.scaleRuns}
 * runs (default 100,000; the figures in the README are also for 10,000,000) spread over 30 days
 * in one tenant, on a database of its own. Speed is printed, not asserted (machines differ);
 * what is asserted is that highlights and pulse read no run record at all (table statistics)
 * and that their numbers are right.
 */
class OverviewAtScaleTest {
    static final long RUNS = Long.getLong("govcon.overview.scaleRuns", 100_000);
    static final int WARM_UP = 50;
    static final int CALLS = 400;

    static RunningServer server;
    static RunFixtures fx;
    static GovconClient client;
    static UUID tenantId;
    static Instant end;

    @BeforeAll
    static void start() {
        server = RunningServer.start(TestDatabase.isolated());
        fx = new RunFixtures(server.database.dataSource());
        OverviewFixtures ov = new OverviewFixtures(fx);
        RunningServer.Tenant t = server.newTenant("Overview Scale Co");
        tenantId = UUID.fromString(t.id());
        end = server.clock.instant().truncatedTo(ChronoUnit.SECONDS);
        long began = System.nanoTime();
        double step = Duration.ofDays(30).toMillis() / (double) RUNS;
        // RUNS runs evenly over the 30 days before `end`: 10 features, 5 models, 2 environments, 2% failed.
        fx.update("""
                  INSERT INTO llm_run_records (tenant_id, record_id, run_id, model, provider, feature, end_user,
                      integration_id, environment, status, start_time, end_time, input_tokens, output_tokens,
                      cost_micros, cost_source, latency_ms, received_at, content_hash)
                  SELECT ?, gen_random_uuid(), 'run-' || g,
                         (ARRAY['gpt-4o','gpt-4o-mini','claude-sonnet','gemini-pro','llama'])[1 + g % 5],
                         (ARRAY['openai','openai','anthropic','google','meta'])[1 + g % 5],
                         'feature-' || (g % 10), 'user-' || (g % 100), 'sdk-1',
                         CASE WHEN g % 3 = 0 THEN 'staging' ELSE 'production' END,
                         CASE WHEN g % 50 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END,
                         ?::timestamptz + (g * ?) * interval '1 millisecond' - interval '900 milliseconds',
                         ?::timestamptz + (g * ?) * interval '1 millisecond',
                         500 + g % 1000, 100 + g % 300, 1000 + (g % 97) * 100, 'CALLER', 900, now(), '\\x00'
                  FROM generate_series(1, ?) AS g
                  """, tenantId, java.sql.Timestamp.from(end.minus(Duration.ofDays(30))), step,
                  java.sql.Timestamp.from(end.minus(Duration.ofDays(30))), step, RUNS);
        fx.rebuildRollups(tenantId);
        // Live runs, controls, violations, incidents, signals, proposals: each a realistic handful.
        for (int i = 0; i < 20; i++) {
            fx.insertLive(tenantId, "live-" + i, "gpt-4o", "openai", "feature-1", "u", "production",
                          end.minusSeconds(i));
        }
        for (int i = 0; i < 10; i++) {
            ov.limit(tenantId, "limit " + i, i % 2 == 0 ? "SPEND_PER_DAY" : "TOKENS_PER_DAY", 1_000_000_000L);
        }
        fx.update("""
                  INSERT INTO limit_violations (tenant_id, violation_id, control_kind, control_id, control_name,
                      control_type, action, origin, occurred_at)
                  SELECT ?, gen_random_uuid(), 'LIMIT', gen_random_uuid(), 'cap', 'SPEND_PER_DAY', 'WARN',
                         'GUARD_CHECK', ?::timestamptz - g * interval '1 minute'
                  FROM generate_series(1, 20000) AS g
                  """, tenantId, java.sql.Timestamp.from(end));
        for (int i = 0; i < 50; i++) {
            ov.incident(tenantId, "incident " + i, i % 10 == 0 ? "HIGH" : "LOW", i < 5 ? "ACTIVE" : "RESOLVED",
                        end.minus(Duration.ofHours(i)));
            ov.signal(tenantId, "COST_SPIKE", "MEDIUM", i < 3 ? "OPEN" : "CLEARED", end.minus(Duration.ofHours(i)));
        }
        ov.proposal(tenantId, "a proposal", "MEDIUM", "PENDING", end.minus(Duration.ofDays(1)), null);
        fx.update("VACUUM ANALYZE llm_run_records");
        fx.update("VACUUM ANALYZE run_rollups_hourly");
        fx.update("VACUUM ANALYZE limit_violations");
        System.out.printf("OverviewAtScaleTest: %,d runs (%,d rollup rows) loaded in %d s%n", RUNS,
                          fx.queryLong("SELECT count(*) FROM run_rollups_hourly WHERE tenant_id = ?", tenantId),
                          (System.nanoTime() - began) / 1_000_000_000);
        client = server.grpc(t.ownerKey());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    /** Prints p50, p95 and p99 of {@link #CALLS} calls after {@link #WARM_UP}; returns p95 in ms. */
    static double percentiles(String label, Supplier<?> call) {
        for (int i = 0; i < WARM_UP; i++) {
            call.get();
        }
        long[] nanos = new long[CALLS];
        for (int i = 0; i < CALLS; i++) {
            long t0 = System.nanoTime();
            call.get();
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        double p50 = nanos[CALLS / 2] / 1e6;
        double p95 = nanos[(int) Math.ceil(CALLS * 0.95) - 1] / 1e6;
        double p99 = nanos[(int) Math.ceil(CALLS * 0.99) - 1] / 1e6;
        System.out.printf("OverviewAtScaleTest: %,d runs, %s: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms%n", RUNS, label,
                          p50, p95, p99);
        return p95;
    }

    @Test
    void highlightsAndPulseReadNoRunRecord() throws Exception {
        GetHighlightsResponse h = client.overview().getHighlights(GetHighlightsRequest.getDefaultInstance());
        long expectedLast = fx.queryLong("SELECT count(*) FROM llm_run_records WHERE tenant_id = ? AND end_time >= ?",
                tenantId, java.sql.Timestamp.from(end.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(23))));
        assertThat(h.getRunsLast24H()).isEqualTo(expectedLast);
        assertThat(h.getLiveRuns()).isEqualTo(20);
        assertThat(h.getActiveIncidents()).isEqualTo(5);

        Thread.sleep(1500); // let the loading statements' table statistics reach the collector
        long[] before = runRecordReads();
        percentiles("highlights", () -> client.overview().getHighlights(GetHighlightsRequest.getDefaultInstance()));
        percentiles("pulse", () -> client.overview().getPulse(GetPulseRequest.getDefaultInstance()));
        // Backends report table statistics when idle, at least every 10 s.
        Thread.sleep(12_000);
        long[] after = runRecordReads();
        assertThat(after[0] - before[0]).as("sequential scans of llm_run_records").isZero();
        assertThat(after[1] - before[1]).as("index scans of llm_run_records").isZero();

        percentiles("cost summary", () -> client.overview().getCostSummary(GetCostSummaryRequest.getDefaultInstance()));
        percentiles("recent activity, first page of 50",
                    () -> client.overview().listRecentActivity(ListRecentActivityRequest.getDefaultInstance()));
    }

    @Test
    void theReadsAreTenantFirstIndexRangeScans() throws Exception {
        String t = "'" + tenantId + "'";
        String last24h = "'" + end.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(23)) + "'";
        String rollups = plan("highlights, last 24 h of rollups",
                "SELECT coalesce(sum(runs), 0), coalesce(sum(cost_micros), 0) FROM run_rollups_hourly"
                + " WHERE tenant_id = " + t + " AND hour >= " + last24h);
        assertThat(rollups).contains("run_rollups_hourly_pkey").doesNotContain("Seq Scan");
        String runs = plan("recent activity, runs source, first page",
                "SELECT 'run:' || run_id, end_time FROM llm_run_records WHERE tenant_id = " + t
                + " AND status = ANY('{SUCCEEDED,FAILED,BLOCKED,TIMED_OUT}'::text[])"
                + " AND end_time >= now() - interval '7 days'"
                + " ORDER BY end_time DESC, ('run:' || run_id) COLLATE \"C\" DESC LIMIT 51");
        assertThat(runs).contains("llm_run_records_newest").doesNotContain("Seq Scan");
        String violations = plan("recent activity, violations source, first page",
                "SELECT 'violation:' || violation_id, occurred_at FROM limit_violations WHERE tenant_id = " + t
                + " AND occurred_at >= now() - interval '7 days'"
                + " ORDER BY occurred_at DESC, ('violation:' || violation_id) COLLATE \"C\" DESC LIMIT 51");
        assertThat(violations).contains("limit_violations_newest").doesNotContain("Seq Scan");
    }

    static String plan(String label, String sql) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = server.database.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
            while (rs.next()) {
                out.append("    ").append(rs.getString(1)).append('\n');
            }
        }
        System.out.printf("OverviewAtScaleTest: %,d runs, plan of %s:%n%s", RUNS, label, out);
        return out.toString();
    }

    /** Sequential and index scans of llm_run_records so far, from PostgreSQL's table statistics. */
    static long[] runRecordReads() throws Exception {
        try (Connection c = server.database.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = st.executeQuery(
                    "SELECT seq_scan, coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = 'llm_run_records'")) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }
}
