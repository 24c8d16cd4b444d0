package dev.govcon.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.CreateTenantRequest;
import dev.govcon.server.activity.ingest.RunIngestor;
import dev.govcon.server.activity.pricing.PriceBook;
import dev.govcon.server.db.Database;
import dev.govcon.server.tenancy.TenantProvisioner;
import dev.govcon.server.testing.TestDatabase;

/** A week of history for two tenants, through ingestion: rollups equal the raw runs, and a reload repeats it exactly. */
class HistoryGeneratorTest {
    /** A Friday afternoon, so the week holds a weekend. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T15:30:00Z"), ZoneOffset.UTC);
    private static final int DAYS = 7;
    private static final int RUNS_PER_DAY = 1500;
    private static final long SEED = 42;

    private static Database db;
    private static RunIngestor ingestor;
    private static UUID a;
    private static UUID b;
    private static HistoryGenerator.Loaded loaded;

    @BeforeAll
    static void load() {
        db = TestDatabase.shared();
        ingestor = new RunIngestor(db, CLOCK, new PriceBook(db));
        a = tenant("History A");
        b = tenant("History B");
        loaded = new HistoryGenerator(ingestor, CLOCK).load(List.of(a, b), DAYS, RUNS_PER_DAY, SEED);
    }

    @AfterAll
    static void close() {
        ingestor.close();
    }

    @Test
    void everyRunIsRecordedAndTheRollupsEqualTheRawRuns() throws SQLException {
        long a7 = count("SELECT count(*) FROM llm_run_records WHERE tenant_id = ?", a);
        long b7 = count("SELECT count(*) FROM llm_run_records WHERE tenant_id = ?", b);
        assertThat(loaded.duplicates()).isZero();
        assertThat(a7 + b7).isEqualTo(loaded.recorded());
        // About 6.6 days' worth (today until 15:30, a weekend at 40%), with ±15% noise per hour.
        assertThat(a7).isBetween(7000L, 10_500L);
        assertThat(b7).isBetween(7000L, 10_500L);
        for (UUID tenant : List.of(a, b)) {
            List<Long> raw = row("SELECT count(*), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens),"
                                 + " sum(cost_micros), sum(latency_ms), count(*) FILTER (WHERE status <> 'SUCCEEDED')"
                                 + " FROM llm_run_records WHERE tenant_id = ?", tenant);
            List<Long> rolled = row("SELECT sum(runs), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens),"
                                    + " sum(cost_micros), sum(latency_ms_sum), sum(runs) FILTER (WHERE status <> 'SUCCEEDED')"
                                    + " FROM run_rollups_hourly WHERE tenant_id = ?", tenant);
            assertThat(rolled).isEqualTo(raw);
            // Per hour and model as well, not just in total.
            assertThat(count("SELECT count(*) FROM (SELECT date_trunc('hour', end_time, 'UTC') h, model,"
                             + " count(*) n, sum(cost_micros) c FROM llm_run_records WHERE tenant_id = ? GROUP BY 1, 2) r"
                             + " FULL JOIN (SELECT hour h, model, sum(runs) n, sum(cost_micros) c FROM run_rollups_hourly"
                             + " WHERE tenant_id = ? GROUP BY 1, 2) u USING (h, model)"
                             + " WHERE r.n IS DISTINCT FROM u.n OR r.c IS DISTINCT FROM u.c", tenant, tenant))
                    .isZero();
            assertThat(count("SELECT count(*) FROM llm_run_records WHERE tenant_id = ? AND cost_micros <= 0", tenant))
                    .as("every model is priced by the shipped table").isZero();
            assertThat(count("SELECT count(*) FROM llm_run_records WHERE tenant_id = ? AND end_time > ?",
                             tenant, CLOCK.instant())).as("nothing ends in the future").isZero();
        }
    }

    @Test
    void theTrafficIsSkewedDiurnalAndHasFailuresAndSpikes() throws SQLException {
        Map<String, Long> byModel = counts("SELECT model, count(*) FROM llm_run_records WHERE tenant_id = ?"
                                           + " GROUP BY model ORDER BY 2 DESC", a);
        assertThat(byModel).hasSize(HistoryGenerator.MODELS.length);
        assertThat(byModel.keySet().iterator().next()).isEqualTo("gpt-4o-mini");
        assertThat(new ArrayList<>(byModel.values()).get(0)).isGreaterThan(3 * new ArrayList<>(byModel.values()).get(7));

        long afternoon = count("SELECT count(*) FROM llm_run_records WHERE tenant_id = ?"
                               + " AND extract(hour FROM end_time AT TIME ZONE 'UTC') = 13", a);
        long night = count("SELECT count(*) FROM llm_run_records WHERE tenant_id = ?"
                           + " AND extract(hour FROM end_time AT TIME ZONE 'UTC') = 3", a);
        assertThat(afternoon).isGreaterThan(4 * night);
        long saturday = count("SELECT count(*) FROM llm_run_records WHERE tenant_id = ?"
                              + " AND end_time >= '2026-11-14T00:00Z' AND end_time < '2026-11-15T00:00Z'", a);
        long tuesday = count("SELECT count(*) FROM llm_run_records WHERE tenant_id = ?"
                             + " AND end_time >= '2026-11-17T00:00Z' AND end_time < '2026-11-18T00:00Z'", a);
        assertThat(saturday).isBetween(tuesday / 4, tuesday / 2);

        long all = count("SELECT count(*) FROM llm_run_records WHERE tenant_id = ?", a);
        long failed = count("SELECT count(*) FROM llm_run_records WHERE tenant_id = ? AND status <> 'SUCCEEDED'", a);
        assertThat(failed).isBetween(all / 100, all / 15);
        assertThat(count("SELECT count(*) FROM llm_run_records WHERE tenant_id = ? AND status = 'TIMED_OUT'", a))
                .isPositive();

        // Error spike: gpt-4o on day 7/3 = 2 after the first (2026-11-16), 14:00-16:00.
        long spikeFailures = count("SELECT count(*) FILTER (WHERE status <> 'SUCCEEDED') * 100 / count(*)"
                                   + " FROM llm_run_records WHERE tenant_id = ? AND model = 'gpt-4o'"
                                   + " AND end_time >= '2026-11-16T14:00Z' AND end_time < '2026-11-16T16:00Z'", a);
        assertThat(spikeFailures).isGreaterThanOrEqualTo(20);
        // Cost spike: agent on day 14/3 = 4 (2026-11-18) at 10:00 costs far more than at 10:00 the day before.
        long spikeCost = count("SELECT sum(cost_micros) FROM run_rollups_hourly WHERE tenant_id = ?"
                               + " AND feature = 'agent' AND hour = '2026-11-18T10:00Z'", a);
        long usualCost = count("SELECT sum(cost_micros) FROM run_rollups_hourly WHERE tenant_id = ?"
                               + " AND feature = 'agent' AND hour = '2026-11-17T10:00Z'", a);
        assertThat(spikeCost).isGreaterThan(5 * usualCost);
    }

    @Test
    void theSameSeedGivesTheSameRuns() throws SQLException {
        // Loaded again: every run is a duplicate (same content hash), none a contradiction.
        HistoryGenerator.Loaded again = new HistoryGenerator(ingestor, CLOCK, 2).load(List.of(a, b), DAYS,
                                                                                      RUNS_PER_DAY, SEED);
        assertThat(again.recorded()).isZero();
        assertThat(again.duplicates()).isEqualTo(loaded.recorded());
        // A new tenant in the first place gets the first tenant's runs, figure for figure.
        UUID c = tenant("History C");
        new HistoryGenerator(ingestor, CLOCK).load(List.of(c), DAYS, RUNS_PER_DAY, SEED);
        String figures = "SELECT run_id, model, feature, end_user, status, end_time, input_tokens, output_tokens,"
                         + " cost_micros, content_hash FROM llm_run_records WHERE tenant_id = ?";
        assertThat(count("SELECT count(*) FROM ((" + figures + ") EXCEPT (" + figures + ")) d", a, c)).isZero();
        assertThat(count("SELECT count(*) FROM llm_run_records WHERE tenant_id = ?", c))
                .isEqualTo(count("SELECT count(*) FROM llm_run_records WHERE tenant_id = ?", a));
    }

    private static UUID tenant(String name) {
        return UUID.fromString(new TenantProvisioner(db).create(CreateTenantRequest.newBuilder()
                .setName(name + " " + UUID.randomUUID()).setOwnerEmail("owner@history.example").build(),
                Actor.newBuilder().setType(Actor.Type.SYSTEM).setId("test").build()).getTenantId());
    }

    private static long count(String sql, Object... params) throws SQLException {
        return row(sql, params).get(0);
    }

    private static List<Long> row(String sql, Object... params) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement st = prepare(c, sql, params);
             ResultSet rs = st.executeQuery()) {
            rs.next();
            List<Long> values = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                values.add(rs.getLong(i));
            }
            return values;
        }
    }

    private static Map<String, Long> counts(String sql, Object... params) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement st = prepare(c, sql, params);
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            if (params[i] instanceof Instant t) {
                st.setObject(i + 1, t.atOffset(ZoneOffset.UTC));
            } else {
                st.setObject(i + 1, params[i]);
            }
        }
        return st;
    }
}
