package dev.govcon.server.policies;

import java.util.UUID;

import dev.govcon.server.testing.RunFixtures;

/**
 * Rules and limits written straight into their tables (the CRUD API is built elsewhere), with
 * just the columns the reads here look at.
 */
final class ControlFixtures {
    private final RunFixtures sql;

    ControlFixtures(RunFixtures sql) {
        this.sql = sql;
    }

    /** Scope values: feature, model, end user, API key id, provider, environment ("" = any). */
    UUID limit(UUID tenantId, String name, String kind, long amount, double warnAtRatio, String action, String status,
               String... scope) {
        UUID id = UUID.randomUUID();
        String[] s = scope(scope);
        sql.update("""
                   INSERT INTO policy_limits (tenant_id, limit_id, name, limit_kind, amount, warn_at_ratio,
                       scope_feature, scope_model, scope_end_user, scope_api_key_id, scope_provider,
                       scope_environment, action, status, source, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'MANUAL', now(), now())
                   """, tenantId, id, name, kind, amount, warnAtRatio, s[0], s[1], s[2], s[3], s[4], s[5],
                   action, status);
        return id;
    }

    UUID rule(UUID tenantId, String name, String type, String enforcement, String action, String status,
              String... scope) {
        UUID id = UUID.randomUUID();
        String[] s = scope(scope);
        sql.update("""
                   INSERT INTO policy_rules (tenant_id, rule_id, name, rule_type, enforcement, scope_feature,
                       scope_model, scope_end_user, scope_api_key_id, scope_provider, scope_environment,
                       action, status, source, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'MANUAL', now(), now())
                   """, tenantId, id, name, type, enforcement, s[0], s[1], s[2], s[3], s[4], s[5], action, status);
        return id;
    }

    private static String[] scope(String... given) {
        String[] s = {"", "", "", "", "", ""};
        System.arraycopy(given, 0, s, 0, given.length);
        return s;
    }
}
