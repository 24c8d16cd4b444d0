package dev.govcon.server.signals;

import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.govcon.server.activity.LatencyHistogram;
import dev.govcon.server.testing.RunFixtures;

/** Writes run_rollups_hourly rows directly: weeks of history in milliseconds. */
final class RollupSeeder {
    private final RunFixtures sql;
    private final UUID tenant;

    RollupSeeder(RunFixtures sql, UUID tenant) {
        this.sql = sql;
        this.tenant = tenant;
    }

    /** One hour of one (model, provider, feature, status): {@code runs} runs all taking {@code latencyMs}. */
    void hour(Instant hour, String model, String provider, String feature, String status, long runs, long tokens,
              long costMicros, long latencyMs) {
        long[] counts = new long[LatencyHistogram.BUCKETS];
        counts[LatencyHistogram.bucketOf(latencyMs)] = runs;
        String histogram = Arrays.stream(counts).mapToObj(Long::toString).collect(Collectors.joining(",", "{", "}"));
        sql.update("""
                   INSERT INTO run_rollups_hourly (tenant_id, hour, model, provider, feature, environment, status,
                       runs, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,
                       reasoning_tokens, cost_micros, cost_unknown_runs, latency_ms_sum, latency_ms_max,
                       latency_histogram)
                   VALUES (?, ?, ?, ?, ?, 'production', ?, ?, ?, 0, 0, 0, 0, ?, 0, ?, ?, ?::bigint[])
                   ON CONFLICT (tenant_id, hour, model, provider, feature, environment, status) DO UPDATE
                     SET runs = EXCLUDED.runs, input_tokens = EXCLUDED.input_tokens,
                         cost_micros = EXCLUDED.cost_micros, latency_ms_sum = EXCLUDED.latency_ms_sum,
                         latency_histogram = EXCLUDED.latency_histogram
                   """, tenant, java.sql.Timestamp.from(hour), model, provider, feature, status, runs, tokens,
                   costMicros, runs * latencyMs, latencyMs, histogram);
    }

    /** The same hour row for every hour in [from, to]. */
    void flat(Instant from, Instant to, String model, String provider, String feature, long runs, long tokens,
              long costMicros, long latencyMs) {
        long[] counts = new long[LatencyHistogram.BUCKETS];
        counts[LatencyHistogram.bucketOf(latencyMs)] = runs;
        String histogram = Arrays.stream(counts).mapToObj(Long::toString).collect(Collectors.joining(",", "{", "}"));
        sql.update("""
                   INSERT INTO run_rollups_hourly (tenant_id, hour, model, provider, feature, environment, status,
                       runs, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,
                       reasoning_tokens, cost_micros, cost_unknown_runs, latency_ms_sum, latency_ms_max,
                       latency_histogram)
                   SELECT ?, h, ?, ?, ?, 'production', 'SUCCEEDED', ?, ?, 0, 0, 0, 0, ?, 0, ?, ?, ?::bigint[]
                   FROM generate_series(?::timestamptz, ?::timestamptz, interval '1 hour') AS h
                   """, tenant, model, provider, feature, runs, tokens, costMicros, runs * latencyMs, latencyMs,
                   histogram, java.sql.Timestamp.from(from), java.sql.Timestamp.from(to));
    }

    UUID limit(String name, String kind, long amount, String feature) {
        UUID id = UUID.randomUUID();
        sql.update("""
                   INSERT INTO policy_limits (tenant_id, limit_id, name, limit_kind, amount, scope_feature,
                       action, status, source, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, 'WARN', 'ACTIVE', 'MANUAL', now(), now())
                   """, tenant, id, name, kind, amount, feature);
        return id;
    }
}
