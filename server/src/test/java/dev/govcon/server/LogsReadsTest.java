package dev.govcon.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.Actor;
import dev.govcon.proto.v1.AuditEntry;
import dev.govcon.proto.v1.GetAuditByActorRequest;
import dev.govcon.proto.v1.GetAuditByActorResponse;
import dev.govcon.proto.v1.GetAuditEntryRequest;
import dev.govcon.proto.v1.GetLlmRunRecordRequest;
import dev.govcon.proto.v1.GetLlmRunTraceRequest;
import dev.govcon.proto.v1.GetSystemLogSummaryRequest;
import dev.govcon.proto.v1.GetSystemLogSummaryResponse;
import dev.govcon.proto.v1.ListAuditEntriesRequest;
import dev.govcon.proto.v1.ListAuditEntriesResponse;
import dev.govcon.proto.v1.ListLlmRunRecordsRequest;
import dev.govcon.proto.v1.ListLlmRunRecordsResponse;
import dev.govcon.proto.v1.ListSystemRecordsRequest;
import dev.govcon.proto.v1.LlmRunRecord;
import dev.govcon.proto.v1.LogLevel;
import dev.govcon.proto.v1.SystemRecord;
import dev.govcon.proto.v1.VerifyAuditLedgerRequest;
import dev.govcon.proto.v1.VerifyAuditLedgerResponse;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunFixtures.Finished;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.TestDatabase;
import dev.govcon.server.testing.RunningServer.Reply;
import dev.govcon.server.wire.Times;

/** Run records, system records and the audit ledger through the Logs API. */
class LogsReadsTest {
    static RunningServer server;
    static RunFixtures fx;
    static RunningServer.Tenant acme;
    static RunningServer.Tenant other;
    static UUID acmeId;
    static Instant now;
    static final Map<String, UUID> records = new LinkedHashMap<>();
    static UUID acmeSystem;
    static UUID nilSystem;
    static UUID otherSystem;
    static UUID otherRecord;
    static GovconClient client;

    @BeforeAll
    static void start() {
        // Its own database: the summary counts server-wide system records, which jobs tests write too.
        server = RunningServer.start(TestDatabase.isolated());
        fx = new RunFixtures(server.database.dataSource());
        acme = server.newTenant("Logs Acme");
        other = server.newTenant("Logs Other");
        acmeId = UUID.fromString(acme.id());
        now = server.clock.instant();
        for (int i = 0; i < 12; i++) {
            Instant end = now.minusSeconds(60L * i + 1);
            records.put("rec-" + i, fx.insertRecord(acmeId, new Finished("rec-" + i, i % 2 == 0 ? "gpt-4o" : "claude",
                    i % 2 == 0 ? "openai" : "anthropic", "chat", "u" + i % 3, "production",
                    i % 4 == 3 ? "FAILED" : "SUCCEEDED", end.minusMillis(200), end, 10, 20, 0, 0, 0, 500L * i,
                    "TENANT_PRICE", false, 200, "", "{\"k\":\"v\"}")));
        }
        fx.insertTrace(acmeId, "rec-2", 3, now.minusSeconds(200));
        otherRecord = fx.insertRecord(UUID.fromString(other.id()), new Finished("rec-0", "gpt-4o", "openai", "chat",
                "u", "production", "SUCCEEDED", now.minusSeconds(10), now.minusSeconds(5), 1, 1, 0, 0, 0, 1,
                "CALLER", false, 1, "", "{}"));

        acmeSystem = fx.insertSystem(acmeId, "ERROR", "ingest", "batch.failed", "disk full", now.minusSeconds(30));
        fx.insertSystem(acmeId, "INFO", "ingest", "batch.ok", "ok", now.minusSeconds(40));
        fx.insertSystem(acmeId, "WARN", "guard.leases", "lease.slow", "slow", now.minusSeconds(50));
        fx.insertSystem(acmeId, "DEBUG", "ingest", "batch.debug", "dbg", now.minusSeconds(60));
        nilSystem = fx.insertSystem(RunFixtures.NIL_TENANT, "INFO", "job.run-reaper", "job.finished", "reaped 0",
                                    now.minusSeconds(20));
        fx.insertSystem(acmeId, "ERROR", "ingest", "batch.failed", "long ago", now.minus(3, ChronoUnit.DAYS));
        otherSystem = fx.insertSystem(UUID.fromString(other.id()), "ERROR", "ingest", "batch.failed", "other's",
                                      now.minusSeconds(10));

        // Audit rows through the API: profile updates and key changes by the owner.
        for (int i = 0; i < 3; i++) {
            ok(server.put("/api/v1/accounts/profile", "{\"display_name\":\"Acme " + i + "\"}", acme.ownerKey()));
        }
        ok(server.post("/api/v1/connectivity/api-keys", "{\"name\":\"ci\",\"role\":\"INGEST\"}", acme.ownerKey()));
        client = server.grpc(acme.ownerKey());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void runRecordsListDetailAndTrace() {
        ListLlmRunRecordsResponse list = client.logs().listLlmRunRecords(ListLlmRunRecordsRequest.getDefaultInstance());
        assertThat(list.getRecordsList()).extracting(r -> r.getRun().getRunId())
                .containsExactlyElementsOf(records.keySet());
        assertThat(list.getRecords(0).getId()).isEqualTo(records.get("rec-0").toString());
        assertThat(list.getRecords(0).hasRecordedAt()).isTrue();

        List<String> paged = new ArrayList<>();
        String token = "";
        do {
            JsonNode page = ok(server.get("/api/v1/logs/llm-runs?page_size=5&model=gpt-4o&page_token=" + token,
                                          acme.ownerKey()));
            page.get("records").forEach(r -> paged.add(r.get("run").get("run_id").asText()));
            token = page.get("next_page_token").asText();
        } while (!token.isEmpty());
        assertThat(paged).containsExactly("rec-0", "rec-2", "rec-4", "rec-6", "rec-8", "rec-10");
        assertThat(client.logs().listLlmRunRecords(ListLlmRunRecordsRequest.newBuilder().setRunId("rec-3").build())
                .getRecordsList()).extracting(LlmRunRecord::getId).containsExactly(records.get("rec-3").toString());

        LlmRunRecord one = client.logs().getLlmRunRecord(GetLlmRunRecordRequest.newBuilder()
                .setId(records.get("rec-3").toString()).build());
        assertThat(one.getRun().getRunId()).isEqualTo("rec-3");
        assertThat(one.getRun().getStatus().name()).isEqualTo("FAILED");
        assertThat(one.getRun().getCostMicros()).isEqualTo(1500);
        assertThat(one.getRun().getCostSource().name()).isEqualTo("COST_SOURCE_TENANT_PRICE");
        assertThat(one.getRun().getMetadataMap()).containsEntry("k", "v");

        var trace = client.logs().getLlmRunTrace(GetLlmRunTraceRequest.newBuilder()
                .setId(records.get("rec-2").toString()).build());
        assertThat(trace.getRunId()).isEqualTo("rec-2");
        assertThat(trace.getStepsList()).extracting(s -> s.getStepIndex()).containsExactly(0, 1, 2);
        JsonNode restTrace = ok(server.get("/api/v1/logs/llm-runs/" + records.get("rec-2") + "/trace?page_size=2",
                                           acme.ownerKey()));
        assertThat(restTrace.get("steps")).hasSize(2);
        assertThat(restTrace.get("next_page_token").asText()).isNotEmpty();

        assertThat(server.get("/api/v1/logs/llm-runs/" + otherRecord, acme.ownerKey()).status()).isEqualTo(404);
        assertThat(server.get("/api/v1/logs/llm-runs/" + otherRecord + "/trace", acme.ownerKey()).status()).isEqualTo(404);
        assertThat(server.get("/api/v1/logs/llm-runs/" + UUID.randomUUID(), acme.ownerKey()).status()).isEqualTo(404);
    }

    @Test
    void systemSummaryCountsTheTenantsAndServerWideRecords() {
        GetSystemLogSummaryResponse s = client.logs().getSystemLogSummary(GetSystemLogSummaryRequest.getDefaultInstance());
        assertThat(s.getTotal()).isEqualTo(5);
        assertThat(s.getByLevelList()).extracting(l -> l.getLevel() + "=" + l.getCount()).containsExactly(
                "LOG_LEVEL_DEBUG=1", "LOG_LEVEL_INFO=2", "LOG_LEVEL_WARN=1", "LOG_LEVEL_ERROR=1");
        assertThat(s.getByComponentList()).extracting(c -> c.getComponent() + "=" + c.getCount())
                .containsExactly("ingest=3", "guard.leases=1", "job.run-reaper=1");
        var ingest = s.getByComponent(0);
        assertThat(ingest.getLastError()).isEqualTo("disk full");
        assertThat(Times.instant(ingest.getLastAt())).isEqualTo(now.minusSeconds(30).truncatedTo(ChronoUnit.MICROS));
        assertThat(ingest.getByLevelList()).extracting(l -> l.getLevel().name())
                .containsExactly("LOG_LEVEL_DEBUG", "LOG_LEVEL_INFO", "LOG_LEVEL_ERROR");

        JsonNode wide = ok(server.get("/api/v1/logs/system?start_time=" + now.minus(7, ChronoUnit.DAYS), acme.ownerKey()));
        assertThat(wide.get("total").asLong()).isEqualTo(6);
    }

    @Test
    void systemEntriesFilterPageAndDetail() {
        var all = client.logs().listSystemRecords(ListSystemRecordsRequest.getDefaultInstance());
        assertThat(all.getRecordsList()).extracting(SystemRecord::getMessage)
                .containsExactly("reaped 0", "disk full", "ok", "slow", "dbg", "long ago");
        assertThat(client.logs().listSystemRecords(ListSystemRecordsRequest.newBuilder()
                .setMinLevel(LogLevel.LOG_LEVEL_WARN).setStartTime(Times.ts(now.minus(1, ChronoUnit.HOURS))).build())
                .getRecordsList()).extracting(SystemRecord::getMessage).containsExactly("disk full", "slow");
        JsonNode byComponent = ok(server.get("/api/v1/logs/system/entries?component=ingest&event=batch.ok",
                                             acme.ownerKey()));
        assertThat(byComponent.get("records")).hasSize(1);
        List<String> paged = new ArrayList<>();
        String token = "";
        do {
            JsonNode page = ok(server.get("/api/v1/logs/system/entries?page_size=4&page_token=" + token, acme.ownerKey()));
            page.get("records").forEach(r -> paged.add(r.get("message").asText()));
            token = page.get("next_page_token").asText();
        } while (!token.isEmpty());
        assertThat(paged).containsExactly("reaped 0", "disk full", "ok", "slow", "dbg", "long ago");

        JsonNode one = ok(server.get("/api/v1/logs/system/" + acmeSystem, acme.ownerKey()));
        assertThat(one.get("level").asText()).isEqualTo("LOG_LEVEL_ERROR");
        assertThat(one.get("component").asText()).isEqualTo("ingest");
        assertThat(one.get("details").get("count").asInt()).isEqualTo(3);
        assertThat(one.get("instance").asText()).isEqualTo("replica-1");
        assertThat(ok(server.get("/api/v1/logs/system/" + nilSystem, acme.ownerKey())).get("event").asText())
                .isEqualTo("job.finished");
        assertThat(server.get("/api/v1/logs/system/" + otherSystem, acme.ownerKey()).status()).isEqualTo(404);
    }

    @Test
    void auditListFiltersDetailAndByActor() {
        ListAuditEntriesResponse all = client.logs().listAuditEntries(ListAuditEntriesRequest.getDefaultInstance());
        assertThat(all.getEntriesList()).extracting(AuditEntry::getAction).containsExactly(
                "api_key.created", "profile.updated", "profile.updated", "profile.updated", "tenant.created");
        assertThat(all.getEntriesList()).extracting(AuditEntry::getSeq).containsExactly(5L, 4L, 3L, 2L, 1L);
        for (int i = 0; i + 1 < all.getEntriesCount(); i++) {
            assertThat(all.getEntries(i).getPrevHash()).isEqualTo(all.getEntries(i + 1).getHash());
        }
        assertThat(client.logs().listAuditEntries(ListAuditEntriesRequest.newBuilder().setAction("profile.").build())
                .getEntriesCount()).isEqualTo(3);
        assertThat(client.logs().listAuditEntries(ListAuditEntriesRequest.newBuilder()
                .setActorId(acme.ownerUserId()).setActorType(Actor.Type.USER).build()).getEntriesCount()).isEqualTo(4);
        assertThat(client.logs().listAuditEntries(ListAuditEntriesRequest.newBuilder()
                .setResourceType("api_key").build()).getEntriesList()).extracting(AuditEntry::getAction)
                .containsExactly("api_key.created");
        JsonNode page1 = ok(server.get("/api/v1/logs/audit?page_size=2", acme.ownerKey()));
        JsonNode page2 = ok(server.get("/api/v1/logs/audit?page_size=2&page_token="
                                       + page1.get("next_page_token").asText(), acme.ownerKey()));
        assertThat(page2.get("entries").get(0).get("seq").asLong()).isEqualTo(3);

        AuditEntry updated = all.getEntries(1);
        JsonNode detail = ok(server.get("/api/v1/logs/audit/" + updated.getId(), acme.ownerKey()));
        assertThat(detail.get("action").asText()).isEqualTo("profile.updated");
        assertThat(detail.get("actor").get("type").asText()).isEqualTo("USER");
        assertThat(detail.get("after").get("display_name").asText()).isEqualTo("Acme 2");
        assertThat(detail.get("before").get("display_name").asText()).isEqualTo("Acme 1");
        assertThat(detail.get("hash").asText()).hasSize(64);
        assertThat(client.logs().getAuditEntry(GetAuditEntryRequest.newBuilder().setId(updated.getId()).build()))
                .isEqualTo(updated);

        GetAuditByActorResponse byActor = client.logs().getAuditByActor(GetAuditByActorRequest.getDefaultInstance());
        assertThat(byActor.getActorsList()).extracting(a -> a.getActor().getType() + ":" + a.getEntries())
                .containsExactly("USER:4", "SYSTEM:1");
        var owner = byActor.getActors(0);
        assertThat(owner.getActor().getId()).isEqualTo(acme.ownerUserId());
        assertThat(owner.getActionsList()).extracting(a -> a.getAction() + "=" + a.getCount())
                .containsExactly("profile.updated=3", "api_key.created=1");
        GetAuditByActorResponse first = client.logs().getAuditByActor(GetAuditByActorRequest.newBuilder().setPageSize(1).build());
        GetAuditByActorResponse second = client.logs().getAuditByActor(GetAuditByActorRequest.newBuilder().setPageSize(1)
                .setPageToken(first.getNextPageToken()).build());
        assertThat(second.getActorsList()).extracting(a -> a.getActor().getType().name()).containsExactly("SYSTEM");
        assertThat(second.getNextPageToken()).isEmpty();
    }

    @Test
    void verifyFindsAnIntactChainAndATamperedRow() {
        VerifyAuditLedgerResponse fine = client.logs().verifyAuditLedger(VerifyAuditLedgerRequest.getDefaultInstance());
        assertThat(fine.getValid()).isTrue();
        assertThat(fine.getEntriesChecked()).isEqualTo(5);
        assertThat(fine.getFirstBrokenSeq()).isZero();

        RunningServer.Tenant t = server.newTenant("Logs Tampered");
        for (int i = 0; i < 3; i++) {
            ok(server.put("/api/v1/accounts/profile", "{\"display_name\":\"T" + i + "\"}", t.ownerKey()));
        }
        fx.execute("ALTER TABLE audit_ledger DISABLE TRIGGER trg_audit_ledger_immutable",
                   "UPDATE audit_ledger SET action = 'profile.viewed' WHERE tenant_id = '" + t.id() + "' AND seq = 3",
                   "ALTER TABLE audit_ledger ENABLE TRIGGER trg_audit_ledger_immutable");
        JsonNode broken = ok(server.get("/api/v1/logs/audit/verify", t.ownerKey()));
        assertThat(broken.get("valid").asBoolean()).isFalse();
        assertThat(broken.get("entries_checked").asLong()).isEqualTo(4);
        assertThat(broken.get("first_broken_seq").asLong()).isEqualTo(3);
        assertThat(broken.get("message").asText()).contains("entry 3");
        // Acme's chain is untouched.
        assertThat(client.logs().verifyAuditLedger(VerifyAuditLedgerRequest.getDefaultInstance()).getValid()).isTrue();
    }

    @Test
    void anotherTenantsAuditAndBadInput() {
        String otherAudit;
        try (GovconClient c = server.grpc(other.ownerKey())) {
            otherAudit = c.logs().listAuditEntries(ListAuditEntriesRequest.getDefaultInstance()).getEntries(0).getId();
        }
        assertThat(server.get("/api/v1/logs/audit/" + otherAudit, acme.ownerKey()).status()).isEqualTo(404);

        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("/api/v1/logs/llm-runs?page_size=5000", "page_size");
        cases.put("/api/v1/logs/llm-runs?page_token=nope", "page_token");
        cases.put("/api/v1/logs/llm-runs/not-a-uuid", "id");
        cases.put("/api/v1/logs/llm-runs/not-a-uuid/trace", "id");
        cases.put("/api/v1/logs/system/not-a-uuid", "id");
        cases.put("/api/v1/logs/audit/not-a-uuid", "id");
        cases.put("/api/v1/logs/system?start_time=2026-01-02T00:00:00Z&end_time=2026-01-01T00:00:00Z", "end_time");
        cases.put("/api/v1/logs/system/entries?start_time=2026-01-02T00:00:00Z&end_time=2026-01-01T00:00:00Z", "end_time");
        cases.put("/api/v1/logs/system/entries?min_level=LOUD", "min_level");
        cases.put("/api/v1/logs/audit?page_token=" + "x".repeat(10), "page_token");
        cases.put("/api/v1/logs/audit/by-actor?page_token=abc", "page_token");
        cases.put("/api/v1/logs/audit/by-actor?page_size=1001", "page_size");
        cases.forEach((path, field) -> {
            Reply r = server.get(path, acme.ownerKey());
            assertThat(r.status()).as(path + " " + r).isEqualTo(400);
            assertThat(r.json().get("message").asText()).as(path).startsWith(field);
        });
    }

    static JsonNode ok(Reply r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }
}
