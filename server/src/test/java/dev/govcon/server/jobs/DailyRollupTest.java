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
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.govcon.server.testing.MutableClock;

/**
 * rollup-daily: each local day (in the tenant's zone; an hour belongs to the day of its start)
 * of run_rollups_daily equals the sum of that day's run_rollups_hourly rows, days whose hours
 * are not all before the fold horizon are left alone, running it again changes nothing, and a
 * dirty mark makes the next run refold its days and removes the mark.
 */
class DailyRollupTest {
    static final String[] SUMS = {"runs", "input_tokens", "output_tokens", "cached_input_tokens",
                                  "cache_write_tokens", "reasoning_tokens", "cost_micros",
                                  "cost_unknown_runs", "latency_ms_sum", "retries"};
    static final String ZONE = "Asia/Kolkata";

    @Test
    void localDaysEqualTheSumOfTheirHoursAndRerunsAreIdempotent() throws Exception {
        UUID tenant = newTenant(ZONE);
        // "Now" is 21:59 UTC on day D-1: runs ending before 19:00 UTC are late, hours before 18:00 are final.
        LocalDate d = LocalDate.now(ZoneOffset.UTC);
        MutableClock clock = new MutableClock(d.atStartOfDay(ZoneOffset.UTC).toInstant().minus(Duration.ofMinutes(121)));
        assertThat(RollupHorizons.lateBefore(clock.instant())).isEqualTo(clock.instant().plusSeconds(60).minus(Duration.ofHours(3)));
        assertThat(RollupHorizons.foldBefore(clock.instant())).isEqualTo(clock.instant().plusSeconds(60).minus(Duration.ofHours(4)));
        Random random = new Random(42);
        for (LocalDate day = d.minusDays(6); !day.isAfter(d); day = day.plusDays(1)) {
            for (int hour = 0; hour < 24; hour += 1 + random.nextInt(3)) {
                for (String model : List.of("gpt-4o", "claude-sonnet")) {
                    for (String status : List.of("SUCCEEDED", "FAILED")) {
                        if (random.nextInt(4) > 0) {
                            insertHourly(tenant, day, hour, model, status, random);
                        }
                    }
                }
            }
        }
        // The hour from 18:00 UTC on D-1 starts at 23:30 in Kolkata (UTC+5:30), so it ends local day
        // D-1: that day is final only from foldBefore 19:00 UTC, that is from 22:00 UTC.
        insertHourly(tenant, d.minusDays(1), 18, "last-half-hour", "SUCCEEDED", random);
        LocalDate until = d.minusDays(1);

        try (JobScheduler s = TestJobs.scheduler(clock, "rollup-test", new DailyRollupJob())) {
            JobRunResult first = s.runNow("rollup-daily");
            assertThat(first.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(daily(tenant)).isNotEmpty().isEqualTo(summedHourly(tenant, until));
            assertNarrowRowsAreTheWideSums(tenant, clock);
            assertThat(daily(tenant)).noneSatisfy(r -> assertThat(r.get(2)).isEqualTo("last-half-hour"));
            assertThat(query("SELECT time_zone || ' ' || folded_until FROM rollup_daily_state WHERE tenant_id = '"
                             + tenant + "'")).containsExactly(List.of(ZONE + " " + until));
            // 00:00 UTC is 05:30 in Kolkata, so the oldest hours (D-6, from 00:00 UTC) are on local D-6,
            // and the hour from 19:00 UTC (00:30 local) on the next local day.
            assertThat(daily(tenant).get(0).get(1)).isEqualTo(d.minusDays(6).toString());

            // One minute later, 22:00 UTC: hours before 19:00 are final, so local D-1 is, its last half hour included.
            clock.advance(Duration.ofMinutes(1));
            LocalDate folded = d;
            s.runNow("rollup-daily");
            assertThat(daily(tenant)).isEqualTo(summedHourly(tenant, folded));
            assertNarrowRowsAreTheWideSums(tenant, clock);
            assertThat(daily(tenant)).anySatisfy(r -> assertThat(r.subList(1, 3))
                    .containsExactly(d.minusDays(1).toString(), "last-half-hour"));

            String before = daily(tenant).toString();
            clock.advance(Duration.ofMinutes(10));
            assertThat(s.runNow("rollup-daily").outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(daily(tenant).toString()).isEqualTo(before);
            assertNarrowRowsAreTheWideSums(tenant, clock);

            // A late run lands in a folded day, with its dirty mark (as ingestion writes them).
            insertHourly(tenant, d.minusDays(4), 20, "late-model", "TIMED_OUT", random);
            exec("INSERT INTO rollup_dirty_days (tenant_id, utc_day) VALUES ('" + tenant + "', '" + d.minusDays(4) + "')");
            clock.advance(Duration.ofMinutes(10));
            assertThat(s.runNow("rollup-daily").items()).isGreaterThanOrEqualTo(1);
            assertThat(daily(tenant)).isEqualTo(summedHourly(tenant, folded));
            assertThat(daily(tenant)).anySatisfy(r -> assertThat(r.get(2)).isEqualTo("late-model"));
            assertThat(query("SELECT 1 FROM rollup_dirty_days WHERE tenant_id = '" + tenant + "'")).isEmpty();
            // The late hour is in the narrow hourly rows too (its UTC day's hours were refolded).
            assertNarrowRowsAreTheWideSums(tenant, clock);
            assertThat(query("SELECT 1 FROM run_rollups_hourly_models WHERE tenant_id = '" + tenant
                             + "' AND model = 'late-model'")).hasSize(1);

            // A day later: one more local day becomes final and is folded.
            clock.advance(Duration.ofDays(1));
            s.runNow("rollup-daily");
            assertThat(daily(tenant)).isEqualTo(summedHourly(tenant, folded.plusDays(1)));
            assertThat(daily(tenant)).anySatisfy(r -> assertThat(r.get(1)).isEqualTo(folded.toString()));
            assertNarrowRowsAreTheWideSums(tenant, clock);
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

    static UUID newTenant(String zone) throws SQLException {
        UUID id = UUID.randomUUID();
        exec("INSERT INTO tenants (tenant_id, name, time_zone) VALUES ('" + id + "', 'rollup test', '" + zone + "')");
        return id;
    }

    static void insertHourly(UUID tenant, LocalDate day, int hour, String model, String status, Random r)
            throws SQLException {
        try (Connection c = TestJobs.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO run_rollups_hourly (tenant_id, hour, model, provider, feature, environment,"
                     + " status, runs, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,"
                     + " reasoning_tokens, cost_micros, cost_unknown_runs, latency_ms_sum, latency_ms_max,"
                     + " retries, latency_histogram) VALUES (?, ?, ?, 'prov', 'feat', 'default', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, tenant);
            ps.setTimestamp(2, Timestamp.from(day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                                                  .plus(Duration.ofHours(hour))));
            ps.setString(3, model);
            ps.setString(4, status);
            for (int i = 5; i <= 13; i++) {
                ps.setLong(i, r.nextInt(100_000));
            }
            ps.setLong(14, r.nextInt(60_000));
            ps.setLong(15, r.nextInt(5));
            Long[] histogram = new Long[17];
            for (int i = 0; i < histogram.length; i++) {
                histogram[i] = (long) r.nextInt(50);
            }
            Array array = c.createArrayOf("bigint", histogram);
            ps.setArray(16, array);
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

    /** What the daily rows should be: a direct aggregate of the hourly rows of local days before {@code until}. */
    static List<List<String>> summedHourly(UUID tenant, LocalDate until) throws SQLException {
        StringBuilder sums = new StringBuilder();
        for (String col : SUMS) {
            sums.append("sum(").append(col).append(")::text, ");
        }
        // Histogram summed by unnesting, independently of sum_histograms_agg.
        return query("SELECT tenant_id::text, day::text, model, provider, feature, environment, status, "
                     + sums + "max(latency_ms_max)::text,"
                     + " (SELECT array_agg(s ORDER BY i)::text FROM (SELECT i, sum(v)::bigint AS s"
                     + "    FROM run_rollups_hourly h2, unnest(h2.latency_histogram) WITH ORDINALITY AS u(v, i)"
                     + "   WHERE h2.tenant_id = h.tenant_id AND (h2.hour AT TIME ZONE '" + ZONE + "')::date = day"
                     + "     AND h2.model = h.model AND h2.provider = h.provider AND h2.feature = h.feature"
                     + "     AND h2.environment = h.environment AND h2.status = h.status GROUP BY i) x)"
                     + " FROM (SELECT *, (hour AT TIME ZONE '" + ZONE + "')::date AS day FROM run_rollups_hourly) h"
                     + " WHERE tenant_id = '" + tenant + "' AND day < DATE '" + until + "'"
                     + " GROUP BY tenant_id, day, model, provider, feature, environment, status"
                     + " ORDER BY day, model, provider, feature, environment, status");
    }

    /**
     * The narrow rows (V18) are the wide rows summed per model, provider and status: the daily
     * ones for every folded day, the hourly ones for every hour before the fold horizon.
     */
    static void assertNarrowRowsAreTheWideSums(UUID tenant, MutableClock clock) throws SQLException {
        Instant foldBefore = RollupHorizons.foldBefore(clock.instant());
        assertThat(narrow(tenant, "run_rollups_daily_models", "day")).isNotEmpty()
                .isEqualTo(wideSummed(tenant, "run_rollups_daily", "day", "TRUE"));
        assertThat(narrow(tenant, "run_rollups_hourly_models", "hour")).isNotEmpty()
                .isEqualTo(wideSummed(tenant, "run_rollups_hourly", "hour", "hour < '" + foldBefore + "'"));
        assertThat(query("SELECT models_hourly_until = '" + foldBefore + "' FROM rollup_daily_state WHERE tenant_id = '"
                         + tenant + "'")).containsExactly(List.of("t"));
    }

    static List<List<String>> narrow(UUID tenant, String table, String at) throws SQLException {
        return query("SELECT " + at + "::text, model, provider, status, " + String.join("::text, ", SUMS) + "::text"
                     + " FROM " + table + " WHERE tenant_id = '" + tenant + "' ORDER BY 1, 2, 3, 4");
    }

    static List<List<String>> wideSummed(UUID tenant, String table, String at, String where) throws SQLException {
        StringBuilder sums = new StringBuilder();
        for (String col : SUMS) {
            sums.append(sums.length() == 0 ? "" : ", ").append("sum(").append(col).append(")::text");
        }
        return query("SELECT " + at + "::text, model, provider, status, " + sums + " FROM " + table
                     + " WHERE tenant_id = '" + tenant + "' AND " + where + " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4");
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
