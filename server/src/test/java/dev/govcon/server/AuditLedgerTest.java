package dev.govcon.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.govcon.server.audit.AuditLedger;
import dev.govcon.server.audit.AuditMapper;
import dev.govcon.server.audit.AuditRow;
import dev.govcon.server.testing.RunningServer;

/** Every governance action leaves a chained, tamper-evident row that the database refuses to change. */
class AuditLedgerTest {
    static RunningServer server;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        server = RunningServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<AuditRow> ledger(String tenantId) {
        List<AuditRow> rows = new java.util.ArrayList<>(server.database.read(
                s -> s.getMapper(AuditMapper.class).latest(UUID.fromString(tenantId), 1000)));
        java.util.Collections.reverse(rows);
        return rows;
    }

    static AuditMapper.ChainCheck verify(String tenantId) {
        return server.database.read(s -> AuditLedger.verify(s, UUID.fromString(tenantId)));
    }

    @Test
    void eachActionWritesARowWithActorAndBeforeAndAfter() throws Exception {
        var t = server.newTenant("Audit Acme");
        JsonNode key = server.post("/api/v1/connectivity/api-keys", "{\"name\":\"ci\",\"role\":\"INGEST\"}", t.ownerKey()).json();
        String keyId = key.get("api_key").get("id").asText();
        server.delete("/api/v1/connectivity/api-keys/" + keyId, t.ownerKey());
        JsonNode invitation = server.post("/api/v1/accounts/users/invite",
                "{\"email\":\"eve@audit.example\",\"role\":\"MEMBER\"}", t.ownerKey()).json();
        JsonNode joined = server.post("/api/v1/accounts/invitations/accept",
                "{\"token\":\"" + invitation.get("token").asText() + "\"}", null).json();
        String eve = joined.get("user").get("id").asText();
        server.put("/api/v1/accounts/users/" + eve + "/role", "{\"role\":\"VIEWER\"}", t.ownerKey());
        server.delete("/api/v1/accounts/users/" + eve, t.ownerKey());
        server.put("/api/v1/accounts/profile", "{\"display_name\":\"Audited\"}", t.ownerKey());

        List<AuditRow> rows = ledger(t.id());
        assertThat(rows).extracting(AuditRow::action).containsExactly(
                "tenant.created", "api_key.created", "api_key.revoked", "invitation.created",
                "invitation.accepted", "user.joined", "user.role_changed", "user.removed", "profile.updated");
        assertThat(rows).extracting(AuditRow::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);

        AuditRow revoked = rows.get(2);
        assertThat(revoked.actorType()).isEqualTo("USER");
        assertThat(revoked.actorId()).isEqualTo(t.ownerUserId());
        assertThat(revoked.resourceId()).isEqualTo(keyId);
        assertThat(JSON.readTree(revoked.beforeState()).get("active").asBoolean()).isTrue();
        assertThat(JSON.readTree(revoked.afterState()).get("active").asBoolean()).isFalse();
        assertThat(revoked.requestId()).isNotEmpty();

        AuditRow roleChange = rows.get(6);
        assertThat(JSON.readTree(roleChange.beforeState()).get("role").asText()).isEqualTo("MEMBER");
        assertThat(JSON.readTree(roleChange.afterState()).get("role").asText()).isEqualTo("VIEWER");
        // The secret shown once never reaches the ledger.
        rows.forEach(r -> assertThat(String.valueOf(r.afterState())).doesNotContain(key.get("secret").asText()));

        AuditMapper.ChainCheck check = verify(t.id());
        assertThat(check.entries()).isEqualTo(9);
        assertThat(check.firstBrokenSeq()).isNull();
        for (int i = 1; i < rows.size(); i++) {
            assertThat(rows.get(i).prevHash()).isEqualTo(rows.get(i - 1).hash());
        }
    }

    @Test
    void theDatabaseRejectsUpdateDeleteAndTruncate() throws Exception {
        var t = server.newTenant("Immutable");
        try (Connection c = server.database.dataSource().getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            for (String sql : List.of(
                    "UPDATE audit_ledger SET action = 'forged' WHERE tenant_id = '" + t.id() + "'",
                    "DELETE FROM audit_ledger WHERE tenant_id = '" + t.id() + "'",
                    "TRUNCATE audit_ledger")) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql)
                        .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            }
        }
        assertThat(ledger(t.id())).extracting(AuditRow::action).containsExactly("tenant.created");
    }

    @Test
    void tamperingIsDetectedByTheHashChain() throws Exception {
        var t = server.newTenant("Tampered");
        server.put("/api/v1/accounts/profile", "{\"display_name\":\"One\"}", t.ownerKey());
        server.put("/api/v1/accounts/profile", "{\"display_name\":\"Two\"}", t.ownerKey());
        assertThat(verify(t.id()).firstBrokenSeq()).isNull();

        // Someone with superuser rights switches the guard off and rewrites history.
        try (Connection c = server.database.dataSource().getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("ALTER TABLE audit_ledger DISABLE TRIGGER trg_audit_ledger_immutable");
            st.execute("UPDATE audit_ledger SET actor_label = 'someone else' WHERE tenant_id = '" + t.id() + "' AND seq = 2");
            st.execute("ALTER TABLE audit_ledger ENABLE TRIGGER trg_audit_ledger_immutable");
            c.commit();
        }
        AuditMapper.ChainCheck check = verify(t.id());
        assertThat(check.entries()).isEqualTo(3);
        assertThat(check.firstBrokenSeq()).isEqualTo(2L);
    }

    @Test
    void concurrentActionsKeepOneUnbrokenChain() throws Exception {
        var t = server.newTenant("Concurrent Audit");
        List<java.util.concurrent.CompletableFuture<Integer>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int n = i;
            calls.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> server.post(
                    "/api/v1/connectivity/api-keys", "{\"name\":\"k" + n + "\",\"role\":\"VIEWER\"}", t.ownerKey()).status()));
        }
        for (var call : calls) {
            assertThat(call.get()).isEqualTo(200);
        }
        AuditMapper.ChainCheck check = verify(t.id());
        assertThat(check.entries()).isEqualTo(13);
        assertThat(check.firstBrokenSeq()).isNull();
    }
}
