package dev.govcon.server.guard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.govcon.server.db.Database;

/**
 * Writes rules and limits straight into their tables, as the policies API does (the same
 * triggers notify every replica), so guard tests depend only on the schema.
 */
final class TestControls {
    private final Database database;
    private final String table;
    private final Map<String, Object> columns = new LinkedHashMap<>();

    private TestControls(Database database, String table, String idColumn, String tenantId) {
        this.database = database;
        this.table = table;
        columns.put("tenant_id", UUID.fromString(tenantId));
        columns.put(idColumn, UUID.randomUUID());
        columns.put("name", table + " " + columns.get(idColumn).toString().substring(0, 8));
        columns.put("action", "BLOCK");
        columns.put("status", "ACTIVE");
        columns.put("source", "MANUAL");
        columns.put("created_at", java.sql.Timestamp.from(Instant.now()));
        columns.put("updated_at", java.sql.Timestamp.from(Instant.now()));
    }

    static TestControls rule(Database db, String tenantId, String type) {
        return new TestControls(db, "policy_rules", "rule_id", tenantId).set("rule_type", type);
    }

    static TestControls limit(Database db, String tenantId, String kind, long amount) {
        return new TestControls(db, "policy_limits", "limit_id", tenantId).set("limit_kind", kind).set("amount", amount);
    }

    TestControls set(String column, Object value) {
        columns.put(column, value);
        return this;
    }

    TestControls action(String action) {
        return set("action", action);
    }

    TestControls status(String status) {
        return set("status", status);
    }

    TestControls scope(String field, String value) {
        return set("scope_" + field, value);
    }

    TestControls texts(String column, String... values) {
        return set(column, values);
    }

    UUID insert() {
        String names = String.join(", ", columns.keySet());
        String marks = String.join(", ", columns.keySet().stream()
                .map(c -> c.equals("required_metadata") ? "?::jsonb" : "?").toList());
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")")) {
            int i = 1;
            for (Object v : columns.values()) {
                if (v instanceof String[] array) {
                    ps.setArray(i++, c.createArrayOf("text", array));
                } else {
                    ps.setObject(i++, v);
                }
            }
            ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return (UUID) columns.values().stream().skip(1).findFirst().orElseThrow();
    }

    static void sql(Database database, String sql, Object... args) {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static long scalar(Database database, String sql, Object... args) {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
