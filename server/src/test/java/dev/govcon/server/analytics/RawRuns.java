package dev.govcon.server.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

import javax.sql.DataSource;

/**
 * The tenant's run records read straight from {@code llm_run_records}, and the figures the
 * analytics endpoints should answer computed from them in plain Java: what the tests compare
 * every rollup-based answer against.
 */
final class RawRuns {
    record Raw(String model, String provider, String feature, String environment, String status, Instant end,
               long input, long output, long total, long cost, long latency) {
        boolean succeeded() {
            return status.equals("SUCCEEDED");
        }
    }

    /** Totals of a set of runs. */
    record Agg(long runs, long succeeded, long input, long output, long total, long cost, long latency) {
        static final Agg ZERO = new Agg(0, 0, 0, 0, 0, 0, 0);

        Agg plus(Raw r) {
            return new Agg(runs + 1, succeeded + (r.succeeded() ? 1 : 0), input + r.input(), output + r.output(),
                           total + r.total(), cost + r.cost(), latency + r.latency());
        }

        static Agg of(List<Raw> runs) {
            Agg a = ZERO;
            for (Raw r : runs) {
                a = a.plus(r);
            }
            return a;
        }

        long costPerSuccess() {
            return succeeded == 0 ? 0 : cost / succeeded;
        }
    }

    final List<Raw> all;

    private RawRuns(List<Raw> all) {
        this.all = all;
    }

    static RawRuns load(DataSource ds, UUID tenantId) {
        List<Raw> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT model, provider, feature, environment, status, end_time, input_tokens, output_tokens,
                       input_tokens + output_tokens + cached_input_tokens + cache_write_tokens + reasoning_tokens,
                       cost_micros, latency_ms
                FROM llm_run_records WHERE tenant_id = ?""")) {
            ps.setObject(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Raw(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                    rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getLong(7), rs.getLong(8),
                                    rs.getLong(9), rs.getLong(10), rs.getLong(11)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new RawRuns(out);
    }

    List<Raw> in(Instant from, Instant to, Predicate<Raw> keep) {
        return all.stream().filter(r -> !r.end().isBefore(from) && r.end().isBefore(to)).filter(keep).toList();
    }

    static <K extends Comparable<K>> Map<K, Agg> by(List<Raw> runs, Function<Raw, K> key) {
        Map<K, Agg> out = new TreeMap<>();
        runs.forEach(r -> out.merge(key.apply(r), Agg.ZERO.plus(r), RawRuns::sum));
        return out;
    }

    static Agg sum(Agg a, Agg b) {
        return new Agg(a.runs + b.runs, a.succeeded + b.succeeded, a.input + b.input, a.output + b.output,
                       a.total + b.total, a.cost + b.cost, a.latency + b.latency);
    }

    /** Start of the day / week (Monday) / hour of {@code at} in {@code zone}. */
    static Instant bucket(Instant at, ZoneId zone, String unit) {
        ZonedDateTime t = at.atZone(zone);
        return switch (unit) {
            case "hour" -> t.truncatedTo(ChronoUnit.HOURS).toInstant();
            case "week" -> t.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).truncatedTo(ChronoUnit.DAYS)
                    .toInstant();
            default -> t.truncatedTo(ChronoUnit.DAYS).toInstant();
        };
    }
}
