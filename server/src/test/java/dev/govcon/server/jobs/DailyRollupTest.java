package dev.govcon.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.govcon.server.testing.MutableClock;

/**
 * rollup-daily: each closed UTC day of run_rollups_daily equals the sum of that day's
 * run_rollups_hourly rows, the open day is left alone, and running it again changes nothing.
 */
class DailyRollupTest {
    static final String[] SUMS = {"runs", "input_tokens", "output_tokens", "cached_input_tokens",
                                  "cache_write_tokens", "reasoning_tokens", "cost_micros",
                                  "cost_unknown_runs", "latency_ms_sum"};

    @Test
    void closedDaysEqualTheSumOfTheirHoursAndRerunsAreIdempotent() throws Exception {
        UUID tenant = newTenant();
        // "Now" is 05:30 UTC on day D; D-2 and D-1 are closed, D is open.
        LocalDate d = LocalDate.of(2031, 3, 10).plusDays(new Random().nextInt(3000));
        MutableClock clock = new MutableClock(d.atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                                                     .plus(Duration.ofMinutes(330)));
        Random random = new Random(42);
        for (LocalDate day : List.of(d.minusDays(2), d.minusDays(1), d)) {
            for (int hour = 0; hour < 24; hour += 1 + random.nextInt(4)) {
                for (String model : List.of("gpt-4o", "claude-sonnet")) {
                    for (String status : List.of("SUCCEEDED", "FAILED")) {
                        if (random.nextInt(4) > 0) {
                            insertHourly(tenant, day, hour, model, status, random);
                        }
                    }
                }
            }
        }

        try (JobScheduler s = TestJobs.scheduler(clock, "rollup-test", new DailyRollupJob())) {
            JobRunResult first = s.runNow("rollup-daily");
            assertThat(first.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(first.items()).isGreaterThanOrEqualTo(countGroups(tenant, d.minusDays(2), d));
            assertThat(daily(tenant)).isEqualTo(summedHourly(tenant, d));
            assertThat(daily(tenant)).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.get(1)).isNotEqualTo(d.toString())); // open day not folded

            String before = daily(tenant).toString();
            clock.advance(Duration.ofMinutes(10));
            JobRunResult again = s.runNow("rollup-daily");
            assertThat(again.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(daily(tenant).toString()).isEqualTo(before);
            assertThat(dailyOf(tenant).size()).isEqualTo(countGroups(tenant, d.minusDays(2), d));

            // A late run lands in yesterday's hours: the next run picks it up.
            insertHourly(tenant, d.minusDays(1), 23, "late-model", "TIMED_OUT", random);
            clock.advance(Duration.ofMinutes(10));
            assertThat(s.runNow("rollup-daily").items()).isGreaterThanOrEqualTo(1);
            assertThat(daily(tenant)).isEqualTo(summedHourly(tenant, d));

            // Midnight passes: day D closes and is folded too.
            clock.advance(Duration.ofDays(1));
            s.runNow("rollup-daily");
            assertThat(daily(tenant)).isEqualTo(summedHourly(tenant, d.plusDays(1)));
            assertThat(daily(tenant)).anySatisfy(r -> assertThat(r.get(1)).isEqualTo(d.toString()));
        }
    }

    @Test
    void histogramsAreSummedElementWise() throws SQLException {
        try (Connection c = TestJobs.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT sum_histograms_agg(h) FROM (VALUES ('{1,2,3}'::bigint[]), ('{10,20}'::bigint[]),"
                     + " (NULL::bigint[]), ('{100,200,300}'::bigint[])) AS t(h)");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat((Long[]) rs.getArray(1).getArray()).containsExactly(111L, 222L, 303L);
            c.rollback();
        }
    }

    // --- helpers: plain SQL, so the test does not trust the code under test ---

    static UUID newTenant() throws SQLException {
        UUID id = UUID.randomUUID();
        exec("INSERT INTO tenants (tenant_id, name) VALUES ('" + id + "', 'rollup test')");
        return id;
    }

    static void insertHourly(UUID tenant, LocalDate day, int hour, String model, String status, Random r)
            throws SQLException {
        try (Connection c = TestJobs.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO run_rollups_hourly (tenant_id, hour, model, provider, feature, environment,"
                     + " status, runs, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,"
                     + " reasoning_tokens, cost_micros, cost_unknown_runs, latency_ms_sum, latency_ms_max,"
                     + " latency_histogram) VALUES (?, ?, ?, 'prov', 'feat', 'default', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, tenant);
            ps.setTimestamp(2, Timestamp.from(day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                                                  .plus(Duration.ofHours(hour))));
            ps.setString(3, model);
            ps.setString(4, status);
            for (int i = 5; i <= 13; i++) {
                ps.setLong(i, r.nextInt(100_000));
            }
            ps.setLong(14, r.nextInt(60_000));
            Long[] histogram = new Long[17];
            for (int i = 0; i < histogram.length; i++) {
                histogram[i] = (long) r.nextInt(50);
            }
            Array array = c.createArrayOf("bigint", histogram);
            ps.setArray(15, array);
            ps.executeUpdate();
            c.commit();
        }
    }

    /** The daily rows of the tenant as lists of text, ordered. */
    static List<List<String>> daily(UUID tenant) throws SQLException {
        return dailyOf(tenant);
    }

    static List<List<String>> dailyOf(UUID tenant) throws SQLException {
        return query("SELECT tenant_id::text, day::text, model, provider, feature, environment, status, "
                     + String.join("::text, ", SUMS) + "::text, latency_ms_max::text, latency_histogram::text"
                     + " FROM run_rollups_daily WHERE tenant_id = '" + tenant + "'"
                     + " ORDER BY day, model, provider, feature, environment, status");
    }

    /** What the daily rows should be: a direct aggregate of the closed days' hourly rows. */
    static List<List<String>> summedHourly(UUID tenant, LocalDate today) throws SQLException {
        StringBuilder sums = new StringBuilder();
        for (String col : SUMS) {
            sums.append("sum(").append(col).append(")::text, ");
        }
        // Histogram summed by unnesting, independently of sum_histograms_agg.
        return query("SELECT tenant_id::text, day::text, model, provider, feature, environment, status, "
                     + sums + "max(latency_ms_max)::text,"
                     + " (SELECT array_agg(s ORDER BY i)::text FROM (SELECT i, sum(v)::bigint AS s"
                     + "    FROM run_rollups_hourly h2, unnest(h2.latency_histogram) WITH ORDINALITY AS u(v, i)"
                     + "   WHERE h2.tenant_id = h.tenant_id AND (h2.hour AT TIME ZONE 'UTC')::date = day"
                     + "     AND h2.model = h.model AND h2.provider = h.provider AND h2.feature = h.feature"
                     + "     AND h2.environment = h.environment AND h2.status = h.status GROUP BY i) x)"
                     + " FROM (SELECT *, (hour AT TIME ZONE 'UTC')::date AS day FROM run_rollups_hourly) h"
                     + " WHERE tenant_id = '" + tenant + "' AND day < DATE '" + today + "'"
                     + " GROUP BY tenant_id, day, model, provider, feature, environment, status"
                     + " ORDER BY day, model, provider, feature, environment, status");
    }

    static long countGroups(UUID tenant, LocalDate from, LocalDate to) throws SQLException {
        return Long.parseLong(query("SELECT count(DISTINCT ((hour AT TIME ZONE 'UTC')::date, model, provider,"
                                    + " feature, environment, status))::text FROM run_rollups_hourly"
                                    + " WHERE tenant_id = '" + tenant + "' AND hour >= '" + from + "T00:00:00Z'"
                                    + " AND hour < '" + to + "T00:00:00Z'").get(0).get(0));
    }

    static List<List<String>> query(String sql) throws SQLException {
        try (Connection c = TestJobs.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            List<List<String>> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                String[] row = new String[n];
                for (int i = 0; i < n; i++) {
                    row[i] = rs.getString(i + 1);
                }
                rows.add(Arrays.asList(row));
            }
            c.rollback();
            return rows;
        }
    }

    static void exec(String sql) throws SQLException {
        try (Connection c = TestJobs.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
            c.commit();
        }
    }
}
