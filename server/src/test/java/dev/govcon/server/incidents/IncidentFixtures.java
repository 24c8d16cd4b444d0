package dev.govcon.server.incidents;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.govcon.server.policies.ViolationMapper;
import dev.govcon.server.policies.ViolationRow;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;

/** Controls, violations, signals and failed job runs written the way their owners write them. */
final class IncidentFixtures {
    final RunningServer server;
    final RunFixtures sql;

    IncidentFixtures(RunningServer server) {
        this.server = server;
        this.sql = new RunFixtures(server.database.dataSource());
    }

    /** A tenant whose history the engine reads from {@code since} (its creation time). */
    RunningServer.Tenant tenant(String name, Instant since) {
        RunningServer.Tenant t = server.newTenant(name);
        sql.update("UPDATE tenants SET created_at = ? WHERE tenant_id = ?", Timestamp.from(since), UUID.fromString(t.id()));
        return t;
    }

    UUID limit(String tenantId, String name, String feature) {
        UUID id = UUID.randomUUID();
        sql.update("""
                   INSERT INTO policy_limits (tenant_id, limit_id, name, limit_kind, amount, scope_feature, action,
                                              status, source, created_at, updated_at)
                   VALUES (?, ?, ?, 'SPEND_PER_DAY', 1000000, ?, 'BLOCK', 'ACTIVE', 'MANUAL', now(), now())
                   """, UUID.fromString(tenantId), id, name, feature);
        return id;
    }

    UUID violation(String tenantId, UUID limitId, String action, Instant at) {
        UUID id = UUID.randomUUID();
        ViolationRow row = new ViolationRow(UUID.fromString(tenantId), id, "LIMIT", limitId, "Daily spend",
                                            "SPEND_PER_DAY", action, "GUARD_CHECK", "search", "gpt-4o", "", "", "openai",
                                            "production", at, "run-" + id.toString().substring(0, 8), "",
                                            "spend over the daily limit", 1_200_000, 1_000_000, 200_000, "", "{}");
        server.database.inTransaction(s -> s.getMapper(ViolationMapper.class).insertBatch(List.of(row)));
        return id;
    }

    UUID signal(String tenantId, String type, String dimension, String key, String severity, Instant at) {
        UUID id = UUID.randomUUID();
        sql.update("""
                   INSERT INTO risk_signals (tenant_id, signal_id, signal_type, dimension, dimension_key, value,
                                             baseline, unit, severity, state, first_seen_at, last_seen_at, message)
                   VALUES (?, ?, ?, ?, ?, 0.4, 0.05, 'ratio', ?, 'OPEN', ?, ?, 'error rate 40% vs 5%')
                   """, UUID.fromString(tenantId), id, type, dimension, key, severity, Timestamp.from(at),
                   Timestamp.from(at));
        return id;
    }

    void failedJobRun(String job, Instant at) {
        sql.update("""
                   INSERT INTO job_runs (job_name, run_id, started_at, finished_at, outcome, error)
                   VALUES (?, ?, ?, ?, 'FAILED', 'connection refused')
                   """, job, UUID.randomUUID(), Timestamp.from(at.minusSeconds(5)), Timestamp.from(at));
    }

    long runEngine() {
        var result = server.server.jobs().runNow(IncidentEngineJob.NAME);
        if (!result.error().isEmpty()) {
            throw new AssertionError("incident engine failed: " + result.error());
        }
        return result.items();
    }

    long count(String sqlText, Object... args) {
        return sql.queryLong(sqlText, args);
    }
}
