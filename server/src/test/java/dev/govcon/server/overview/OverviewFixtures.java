package dev.govcon.server.overview;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import dev.govcon.server.testing.RunFixtures;

/**
 * Rows of the domains the overview reads, written straight into their tables: incidents,
 * lessons and proposals (built on another branch), risk signals (written by the signal job),
 * the guard's budget ledger, violations and finished runs.
 */
final class OverviewFixtures {
    final RunFixtures sql;

    OverviewFixtures(RunFixtures sql) {
        this.sql = sql;
    }

    /** {@code state}: ACTIVE, ACKNOWLEDGED or RESOLVED (acknowledged then resolved a minute after opening). */
    UUID incident(UUID tenantId, String title, String severity, String state, Instant openedAt) {
        UUID id = UUID.randomUUID();
        Instant ack = state.equals("ACTIVE") ? null : openedAt.plusSeconds(30);
        Instant resolved = state.equals("RESOLVED") ? openedAt.plusSeconds(60) : null;
        sql.update("""
                   INSERT INTO incidents (tenant_id, incident_id, fingerprint, cause, title, source, severity,
                       initial_severity, state, occurrence_count, opened_at, last_occurrence_at, acknowledged_at,
                       resolved_at, resolved_by_type, resolved_by_id, resolved_by_label, updated_at)
                   VALUES (?, ?, ?, 'test', ?, 'VIOLATION', ?, ?, ?, 2, ?, ?, ?, ?, ?, ?, ?, ?)
                   """, tenantId, id, "fp-" + id, title, severity, severity, state, ts(openedAt), ts(openedAt),
                   ts(ack), ts(resolved), resolved == null ? "" : "USER", resolved == null ? "" : "user-1",
                   resolved == null ? "" : "ops@example.com", ts(openedAt));
        return id;
    }

    UUID signal(UUID tenantId, String type, String severity, String state, Instant seenAt) {
        UUID id = UUID.randomUUID();
        sql.update("""
                   INSERT INTO risk_signals (tenant_id, signal_id, signal_type, dimension, dimension_key, value,
                       baseline, unit, severity, state, first_seen_at, last_seen_at, cleared_at, message)
                   VALUES (?, ?, ?, 'MODEL', ?, 0.4, 0.02, 'ratio', ?, ?, ?, ?, ?, ?)
                   """, tenantId, id, type, "model-" + id.toString().substring(0, 6), severity, state, ts(seenAt),
                   ts(seenAt), state.equals("CLEARED") ? ts(seenAt) : null, type + " on a model");
        return id;
    }

    /** An ACTIVE limit with no scope unless given (feature, model). */
    UUID limit(UUID tenantId, String name, String kind, long amount, String... scope) {
        UUID id = UUID.randomUUID();
        sql.update("""
                   INSERT INTO policy_limits (tenant_id, limit_id, name, limit_kind, amount, scope_feature,
                       scope_model, action, status, source, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, 'BLOCK', 'ACTIVE', 'MANUAL', now(), now())
                   """, tenantId, id, name, kind, amount, scope.length > 0 ? scope[0] : "",
                   scope.length > 1 ? scope[1] : "");
        return id;
    }

    /** What the guard's ledger holds for a limit in the window starting at {@code start}. */
    void usage(UUID tenantId, UUID limitId, Instant start, Instant end, long committed, long leased) {
        sql.update("""
                   INSERT INTO guard_windows (tenant_id, limit_id, window_start, window_end, committed, leased)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (tenant_id, limit_id, window_start)
                   DO UPDATE SET committed = EXCLUDED.committed, leased = EXCLUDED.leased
                   """, tenantId, limitId, ts(start), ts(end), committed, leased);
    }

    /** A proposal (and its lesson). {@code state}: PENDING, ACCEPTED or DEFERRED (until {@code deferredUntil}). */
    UUID proposal(UUID tenantId, String title, String lessonSeverity, String state, Instant createdAt,
                  Instant deferredUntil) {
        UUID lesson = UUID.randomUUID();
        sql.update("""
                   INSERT INTO lessons (tenant_id, lesson_id, lesson_key, kind, title, severity, first_detected_at,
                       last_detected_at, evidence_start, evidence_end)
                   VALUES (?, ?, ?, 'REPEATED_LIMIT_BREACH', ?, ?, ?, ?, ?, ?)
                   """, tenantId, lesson, "key-" + lesson, "lesson: " + title, lessonSeverity, ts(createdAt),
                   ts(createdAt), ts(createdAt.minusSeconds(86_400 * 7)), ts(createdAt));
        UUID id = UUID.randomUUID();
        sql.update("""
                   INSERT INTO policy_proposals (tenant_id, proposal_id, lesson_id, title, rationale, state, kind,
                       proposed, simulated_effect, created_at, deferred_until)
                   VALUES (?, ?, ?, ?, 'crossed its limit on 4 of 7 days', ?, 'LIMIT', '{}'::jsonb,
                           '{"runs_evaluated":"120","proposed":{"blocked_runs":"7","warned_runs":"3","prevented_cost_micros":"2500000"}}'::jsonb,
                           ?, ?)
                   """, tenantId, id, lesson, title, state, ts(createdAt), ts(deferredUntil));
        return id;
    }

    UUID violation(UUID tenantId, String controlName, String action, Instant at) {
        UUID id = UUID.randomUUID();
        sql.update("""
                   INSERT INTO limit_violations (tenant_id, violation_id, control_kind, control_id, control_name,
                       control_type, action, origin, feature, model, occurred_at, run_id, message)
                   VALUES (?, ?, 'LIMIT', ?, ?, 'SPEND_PER_DAY', ?, 'GUARD_CHECK', 'search', 'gpt-4o', ?, '', 'over budget')
                   """, tenantId, id, UUID.randomUUID(), controlName, action, ts(at));
        return id;
    }

    /** A finished run (rollups are not touched: call {@code sql.rebuildRollups}). */
    void run(UUID tenantId, String runId, String status, long costMicros, Instant end) {
        sql.insertRecord(tenantId, new RunFixtures.Finished(runId, "gpt-4o", "openai", "search", "u1", "production",
                status, end.minusMillis(800), end, 100, 50, 0, 0, 0, costMicros, "CALLER", false, 800,
                status.equals("SUCCEEDED") ? "" : "boom", "{}"));
    }

    static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
