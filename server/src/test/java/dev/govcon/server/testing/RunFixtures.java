package dev.govcon.server.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.sql.DataSource;

/**
 * Test-only rows for the read side, written straight into the tables (the write side is not
 * used): finished runs in llm_run_records with rollups rebuilt from them by one SQL aggregate,
 * live runs, traces and system records.
 */
public final class RunFixtures {
    public static final UUID NIL_TENANT = new UUID(0, 0);
    /** The bucket bounds of V2's comment, written out independently of LatencyHistogram. */
    private static final String BOUNDS =
            "ARRAY[50,100,200,300,500,750,1000,1500,2000,3000,5000,7500,10000,15000,30000,60000]::bigint[]";

    private final DataSource ds;

    public RunFixtures(DataSource ds) {
        this.ds = ds;
    }

    /** A finished run; answers its record id. */
    public record Finished(String runId, String model, String provider, String feature, String endUser,
                           String environment, String status, Instant start, Instant end, long inputTokens,
                           long outputTokens, long cachedInputTokens, long cacheWriteTokens,
                           long reasoningTokens, long costMicros, String costSource, boolean costUnknown,
                           long latencyMs, String error, String metadataJson) {
    }

    public UUID insertRecord(UUID tenantId, Finished r) {
        UUID recordId = UUID.randomUUID();
        update("""
               INSERT INTO llm_run_records (tenant_id, record_id, run_id, model, provider, feature, end_user,
                   integration_id, environment, status, start_time, end_time, input_tokens, output_tokens,
                   cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_micros, cost_source,
                   cost_unknown, latency_ms, error, metadata, reservation_id, received_at, content_hash)
               VALUES (?, ?, ?, ?, ?, ?, ?, 'sdk-1', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, '', ?, '\\x00')
               """,
               tenantId, recordId, r.runId(), r.model(), r.provider(), r.feature(), r.endUser(), r.environment(),
               r.status(), ts(r.start()), ts(r.end()), r.inputTokens(), r.outputTokens(), r.cachedInputTokens(),
               r.cacheWriteTokens(), r.reasoningTokens(), r.costMicros(), r.costSource(), r.costUnknown(),
               r.latencyMs(), r.error(), r.metadataJson(), ts(r.start()));
        return recordId;
    }

    /** Replaces the tenant's rollups with an aggregate of its run records (hour of end_time). */
    public void rebuildRollups(UUID tenantId) {
        String histogram = IntStream.rangeClosed(0, 16)
                .mapToObj(i -> "count(*) FILTER (WHERE bucket = " + i + ")")
                .collect(Collectors.joining(", ", "ARRAY[", "]::bigint[]"));
        update("DELETE FROM run_rollups_hourly WHERE tenant_id = ?", tenantId);
        // Each run's hour and latency bucket computed once (a million-run load spends its time here).
        update("""
               INSERT INTO run_rollups_hourly
               SELECT tenant_id, hour, model, provider, feature, environment, status,
                      count(*), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens),
                      sum(cache_write_tokens), sum(reasoning_tokens), sum(cost_micros),
                      count(*) FILTER (WHERE cost_unknown), sum(latency_ms), max(latency_ms), %s,
                      count(*) FILTER (WHERE retry_of_run_id <> '')
               FROM (SELECT r.*, date_trunc('hour', r.end_time) AS hour, width_bucket(r.latency_ms, %s) AS bucket
                     FROM llm_run_records r WHERE r.tenant_id = ?) r
               GROUP BY tenant_id, hour, model, provider, feature, environment, status
               """.formatted(histogram, BOUNDS), tenantId);
    }

    public void insertLive(UUID tenantId, String runId, String model, String provider, String feature,
                           String endUser, String environment, Instant start) {
        update("""
               INSERT INTO runs (tenant_id, run_id, model, provider, feature, end_user, integration_id,
                                 environment, start_time, metadata)
               VALUES (?, ?, ?, ?, ?, ?, 'sdk-1', ?, ?, '{"live":"yes"}'::jsonb)
               """, tenantId, runId, model, provider, feature, endUser, environment, ts(start));
    }

    /** A trace of {@code steps} steps, inserted last step first. */
    public void insertTrace(UUID tenantId, String runId, int steps, Instant start) {
        update("INSERT INTO aos_traces (tenant_id, run_id, step_count) VALUES (?, ?, ?)", tenantId, runId, steps);
        for (int i = steps - 1; i >= 0; i--) {
            update("""
                   INSERT INTO aos_trace_steps (tenant_id, run_id, step_index, kind, name, parent_step_index,
                       status, start_time, end_time, latency_ms, model, provider, input_tokens, output_tokens,
                       cost_micros, input_summary, output_summary, attributes)
                   VALUES (?, ?, ?, ?, ?, ?, 'SUCCEEDED', ?, ?, ?, 'gpt-4o', 'openai', ?, ?, ?, 'in', 'out',
                           '{"tool":"search"}'::jsonb)
                   """, tenantId, runId, i, i == 0 ? "AGENT" : "TOOL", "step-" + i, i == 0 ? null : 0,
                   ts(start.plusMillis(10L * i)), ts(start.plusMillis(10L * i + 5)), 5L, 10L * i, 2L * i,
                   i == 0 ? null : 100L * i);
        }
    }

    public UUID insertSystem(UUID tenantId, String level, String component, String event, String message,
                             Instant at) {
        UUID id = UUID.randomUUID();
        update("""
               INSERT INTO system_records (tenant_id, record_id, occurred_at, level, component, event, message,
                                           details, instance)
               VALUES (?, ?, ?, ?, ?, ?, ?, '{"count": 3, "job": "x"}'::jsonb, 'replica-1')
               """, tenantId, id, ts(at), level, component, event, message);
        return id;
    }

    public void update(String sql, Object... args) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Runs statements as the (superuser) test login in one transaction. */
    public void execute(String... statements) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            for (String sql : statements) {
                st.execute(sql);
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of every row. */
    public java.util.List<String> queryStrings(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            java.util.List<String> out = new java.util.ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public long queryLong(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
