package dev.govcon.server.policies;

import static dev.govcon.server.policies.PolicyRulesTest.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.FieldMask;

import dev.govcon.proto.v1.ControlAction;
import dev.govcon.proto.v1.CreatePolicyLimitRequest;
import dev.govcon.proto.v1.DeletePolicyLimitRequest;
import dev.govcon.proto.v1.GetPolicyLimitRequest;
import dev.govcon.proto.v1.LimitKind;
import dev.govcon.proto.v1.ListPolicyLimitsRequest;
import dev.govcon.proto.v1.PolicyLimit;
import dev.govcon.proto.v1.PolicySource;
import dev.govcon.proto.v1.PolicyStatus;
import dev.govcon.proto.v1.Scope;
import dev.govcon.proto.v1.UpdatePolicyLimitRequest;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.audit.AuditMapper;
import dev.govcon.server.audit.AuditRow;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Limits over REST and gRPC: every field round-trips, amount and warn_at_ratio are checked,
 * updates are optimistic, DELETE disables and keeps the limit, changes are audited, and an
 * ACTIVE limit shows the usage the guard's budget ledger holds for its current window (in the
 * tenant's time zone).
 */
class PolicyLimitsTest {
    private static final String LIMITS = "/api/v1/policy-limits";
    private static final ObjectMapper JSON = new ObjectMapper();

    static RunningServer server;
    static RunningServer.Tenant acme;
    static RunFixtures sql;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        acme = server.newTenant("Limits Acme");
        sql = new RunFixtures(server.database.dataSource());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode ok(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private static String limit(String kind, long amount, String extra) {
        return "{\"limit\":{\"name\":\"" + kind + " limit\",\"kind\":\"LIMIT_KIND_" + kind + "\",\"amount\":\"" + amount
               + "\",\"action\":\"BLOCK\"" + (extra.isEmpty() ? "" : "," + extra) + "}}";
    }

    @Test
    void aLimitRoundTripsEveryFieldOverRestAndGrpc() {
        JsonNode created = ok(server.post(LIMITS, """
                {"limit": {"name": "Chat daily spend", "description": "Chat may spend $50 a day.",
                           "kind": "LIMIT_KIND_SPEND_PER_DAY", "amount": "50000000", "warn_at_ratio": 0.75,
                           "scope": {"feature": "chat", "model": "gpt-4o", "end_user": "u-9",
                                     "provider": "openai", "environment": "prod"},
                           "action": "WARN", "status": "POLICY_STATUS_ACTIVE"}}""", acme.ownerKey())).get("limit");
        String id = created.get("id").asText();
        assertThat(created.get("name").asText()).isEqualTo("Chat daily spend");
        assertThat(created.get("description").asText()).isEqualTo("Chat may spend $50 a day.");
        assertThat(created.get("kind").asText()).isEqualTo("LIMIT_KIND_SPEND_PER_DAY");
        assertThat(created.get("amount").asText()).isEqualTo("50000000");
        assertThat(created.get("warn_at_ratio").asDouble()).isEqualTo(0.75);
        assertThat(created.get("scope").get("feature").asText()).isEqualTo("chat");
        assertThat(created.get("scope").get("model").asText()).isEqualTo("gpt-4o");
        assertThat(created.get("scope").get("end_user").asText()).isEqualTo("u-9");
        assertThat(created.get("scope").get("api_key_id").asText()).isEmpty();
        assertThat(created.get("scope").get("provider").asText()).isEqualTo("openai");
        assertThat(created.get("scope").get("environment").asText()).isEqualTo("prod");
        assertThat(created.get("action").asText()).isEqualTo("WARN");
        assertThat(created.get("status").asText()).isEqualTo("POLICY_STATUS_ACTIVE");
        assertThat(created.get("source").asText()).isEqualTo("POLICY_SOURCE_MANUAL");
        assertThat(created.get("source_ref_id").asText()).isEmpty();
        assertThat(created.get("version").asText()).isEqualTo("1");
        assertThat(created.get("create_time").asText()).isEqualTo(server.clock.instant().toString());
        assertThat(created.get("update_time")).isEqualTo(created.get("create_time"));
        assertThat(created.get("created_by").get("id").asText()).isEqualTo(acme.ownerUserId());
        assertThat(created.get("updated_by")).isEqualTo(created.get("created_by"));
        // Nothing spent yet in today's window.
        JsonNode usage = created.get("usage");
        assertThat(usage.get("used").asText()).isEqualTo("0");
        assertThat(usage.get("reserved").asText()).isEqualTo("0");
        assertThat(usage.get("remaining").asText()).isEqualTo("50000000");
        assertThat(usage.get("exhausted").asBoolean()).isFalse();

        assertThat(ok(server.get(LIMITS + "/" + id, acme.ownerKey()))).isEqualTo(created);

        try (GovconClient client = server.grpc(acme.ownerKey())) {
            PolicyLimit sent = PolicyLimit.newBuilder()
                    .setName("Team tokens").setDescription("Tokens of one key per day.")
                    .setKind(LimitKind.LIMIT_KIND_TOKENS_PER_DAY).setAmount(2_000_000)
                    .setScope(Scope.newBuilder().setApiKeyId("0b9d6b5e-4a4e-4d43-9c1e-6d1f6f0f7a11"))
                    .setAction(ControlAction.LOG).setStatus(PolicyStatus.POLICY_STATUS_DRAFT)
                    .setSource(PolicySource.POLICY_SOURCE_TEMPLATE).setVersion(7)
                    .build();
            PolicyLimit made = client.policies().createPolicyLimit(
                    CreatePolicyLimitRequest.newBuilder().setLimit(sent).build()).getLimit();
            assertThat(LimitsLogic.writable(made)).isEqualTo(LimitsLogic.writable(sent));
            assertThat(made.getSource()).isEqualTo(PolicySource.POLICY_SOURCE_MANUAL);
            assertThat(made.getVersion()).isEqualTo(1);
            // A DRAFT limit counts nothing, so it has no usage.
            assertThat(made.hasUsage()).isFalse();
            assertThat(client.policies().getPolicyLimit(GetPolicyLimitRequest.newBuilder().setId(made.getId()).build()))
                    .isEqualTo(made);
            JsonNode overRest = ok(server.get(LIMITS + "/" + made.getId(), acme.ownerKey()));
            assertThat(overRest.get("scope").get("api_key_id").asText()).isEqualTo("0b9d6b5e-4a4e-4d43-9c1e-6d1f6f0f7a11");
            assertThat(overRest.get("amount").asText()).isEqualTo("2000000");
            assertThat(overRest.has("usage")).isFalse();
        }
    }

    @Test
    void amountAndWarnAtRatioAreChecked() {
        long before = ok(server.get(LIMITS, acme.ownerKey())).get("total_count").asLong();
        record Case(String body, String field) {
        }
        for (Case c : List.of(
                new Case(limit("SPEND_PER_DAY", 0, ""), "limit.amount"),
                new Case(limit("SPEND_PER_DAY", -1, ""), "limit.amount"),
                new Case(limit("SPEND_PER_DAY", 10, "\"warn_at_ratio\":1"), "limit.warn_at_ratio"),
                new Case(limit("SPEND_PER_DAY", 10, "\"warn_at_ratio\":-0.1"), "limit.warn_at_ratio"),
                new Case(limit("SPEND_PER_DAY", 10, "\"warn_at_ratio\":\"NaN\""), "limit.warn_at_ratio"),
                new Case("{\"limit\":{\"name\":\"n\",\"amount\":\"5\",\"action\":\"BLOCK\"}}", "limit.kind"),
                new Case("{\"limit\":{\"name\":\"n\",\"kind\":\"LIMIT_KIND_SPEND_PER_DAY\",\"amount\":\"5\"}}", "limit.action"),
                new Case("{\"limit\":{\"kind\":\"LIMIT_KIND_SPEND_PER_DAY\",\"amount\":\"5\",\"action\":\"BLOCK\"}}", "limit.name"))) {
            Reply reply = server.post(LIMITS, c.body(), acme.ownerKey());
            assertThat(reply.status()).as(c + " -> " + reply).isEqualTo(400);
            assertThat(reply.json().get("message").asText()).as(c.toString()).startsWith(c.field() + ": ");
        }
        assertThat(ok(server.get(LIMITS, acme.ownerKey())).get("total_count").asLong()).isEqualTo(before);
        // Just inside the bounds.
        JsonNode edge = ok(server.post(LIMITS, limit("REQUESTS_PER_MINUTE", 1, "\"warn_at_ratio\":0.999"), acme.ownerKey()));
        assertThat(edge.get("limit").get("amount").asText()).isEqualTo("1");
    }

    @Test
    void usageIsReadFromTheGuardsLedgerForTheCurrentWindow() {
        RunningServer.Tenant t = server.newTenant("Limits Usage");
        ok(server.put("/api/v1/accounts/profile", "{\"time_zone\":\"America/New_York\"}", t.ownerKey()));
        ZoneId zone = ZoneId.of("America/New_York");
        Instant now = server.clock.instant();

        JsonNode daily = ok(server.post(LIMITS, limit("SPEND_PER_DAY", 10_000_000, ""), t.ownerKey())).get("limit");
        JsonNode perMinute = ok(server.post(LIMITS, limit("REQUESTS_PER_MINUTE", 100, ""), t.ownerKey())).get("limit");
        JsonNode concurrent = ok(server.post(LIMITS, limit("CONCURRENT_RUNS", 4, ""), t.ownerKey())).get("limit");
        JsonNode monthly = ok(server.post(LIMITS, limit("SPEND_PER_MONTH", 500, ""), t.ownerKey())).get("limit");

        Instant dayStart = now.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
        Instant dayEnd = now.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
        Instant monthStart = now.atZone(zone).toLocalDate().withDayOfMonth(1).atStartOfDay(zone).toInstant();
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        window(t, daily, dayStart, dayEnd, 6_000_000, 1_500_000);
        // Yesterday's window is history: it does not count today.
        window(t, daily, dayStart.minus(Duration.ofDays(1)), dayStart, 9_999_999, 0);
        window(t, perMinute, minute, minute.plusSeconds(60), 100, 0);
        window(t, concurrent, Instant.EPOCH, Instant.parse("9999-12-31T00:00:00Z"), 1, 2);
        Instant monthEnd = now.atZone(zone).toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(zone).toInstant();
        window(t, monthly, monthStart, monthEnd, 450, 100);

        JsonNode d = ok(server.get(LIMITS + "/" + daily.get("id").asText(), t.ownerKey())).get("usage");
        assertThat(d.get("window_start_time").asText()).isEqualTo(dayStart.toString());
        assertThat(d.get("window_end_time").asText()).isEqualTo(dayEnd.toString());
        assertThat(d.get("used").asLong()).isEqualTo(6_000_000);
        assertThat(d.get("reserved").asLong()).isEqualTo(1_500_000);
        assertThat(d.get("remaining").asLong()).isEqualTo(2_500_000);
        assertThat(d.get("used_ratio").asDouble()).isEqualTo(0.75);
        assertThat(d.get("exhausted").asBoolean()).isFalse();

        JsonNode m = ok(server.get(LIMITS + "/" + perMinute.get("id").asText(), t.ownerKey())).get("usage");
        assertThat(m.get("window_start_time").asText()).isEqualTo(minute.toString());
        assertThat(m.get("used").asLong()).isEqualTo(100);
        assertThat(m.get("remaining").asLong()).isZero();
        assertThat(m.get("used_ratio").asDouble()).isEqualTo(1.0);
        assertThat(m.get("exhausted").asBoolean()).isTrue();

        JsonNode c = ok(server.get(LIMITS + "/" + concurrent.get("id").asText(), t.ownerKey())).get("usage");
        assertThat(c.get("window_start_time").asText()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(c.get("used").asLong()).isEqualTo(1);
        assertThat(c.get("reserved").asLong()).isEqualTo(2);
        assertThat(c.get("remaining").asLong()).isEqualTo(1);

        // Over-committed (a run cost more than it reserved): remaining stays at 0.
        JsonNode mo = ok(server.get(LIMITS + "/" + monthly.get("id").asText(), t.ownerKey())).get("usage");
        assertThat(mo.get("window_start_time").asText()).isEqualTo(monthStart.toString());
        assertThat(mo.get("remaining").asLong()).isZero();
        assertThat(mo.get("used_ratio").asDouble()).isEqualTo(1.1);
        assertThat(mo.get("exhausted").asBoolean()).isTrue();

        // The list shows the same usage, and the next minute starts from nothing.
        JsonNode listed = ok(server.get(LIMITS + "?kind=LIMIT_KIND_SPEND_PER_DAY", t.ownerKey())).get("limits");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("usage")).isEqualTo(d);
        server.clock.advance(Duration.ofSeconds(60));
        JsonNode next = ok(server.get(LIMITS + "/" + perMinute.get("id").asText(), t.ownerKey())).get("usage");
        assertThat(next.get("used").asLong()).isZero();
        assertThat(next.get("remaining").asLong()).isEqualTo(100);

        // A disabled limit has no usage.
        JsonNode disabled = ok(server.delete(LIMITS + "/" + daily.get("id").asText(), t.ownerKey())).get("limit");
        assertThat(disabled.has("usage")).isFalse();
        assertThat(ok(server.get(LIMITS + "/" + daily.get("id").asText(), t.ownerKey())).has("usage")).isFalse();
    }

    private static void window(RunningServer.Tenant t, JsonNode limit, Instant start, Instant end, long committed, long leased) {
        sql.update("INSERT INTO guard_windows (tenant_id, limit_id, window_start, window_end, committed, leased) "
                   + "VALUES (?, ?, ?, ?, ?, ?)", UUID.fromString(t.id()), UUID.fromString(limit.get("id").asText()),
                   java.sql.Timestamp.from(start), java.sql.Timestamp.from(end), committed, leased);
    }

    @Test
    void updatesAreOptimisticAndDeleteDisables() {
        String owner = acme.ownerKey();
        JsonNode created = ok(server.post(LIMITS, limit("TOKENS_PER_DAY", 1_000_000, "\"warn_at_ratio\":0.5"), owner)).get("limit");
        String id = created.get("id").asText();

        JsonNode v2 = ok(server.put(LIMITS + "/" + id, "{\"limit\":{\"version\":\"1\",\"amount\":\"2000000\",\"action\":\"WARN\"},"
                                                       + "\"update_mask\":\"amount,action\"}", owner)).get("limit");
        assertThat(v2.get("version").asText()).isEqualTo("2");
        assertThat(v2.get("amount").asText()).isEqualTo("2000000");
        assertThat(v2.get("action").asText()).isEqualTo("WARN");
        assertThat(v2.get("warn_at_ratio").asDouble()).isEqualTo(0.5);
        assertThat(v2.get("usage").get("remaining").asText()).isEqualTo("2000000");

        Reply stale = server.put(LIMITS + "/" + id, "{\"limit\":{\"version\":\"1\",\"amount\":\"5\"},\"update_mask\":\"amount\"}", owner);
        assertThat(stale.status()).as(stale.toString()).isEqualTo(409);
        assertThat(stale.json().get("message").asText()).startsWith("limit.version: ");
        Reply staleDelete = server.delete(LIMITS + "/" + id + "?version=1", owner);
        assertThat(staleDelete.status()).as(staleDelete.toString()).isEqualTo(409);
        assertThat(ok(server.get(LIMITS + "/" + id, owner))).isEqualTo(v2);

        // Full replace: the warning share not given is cleared, the unset status kept.
        JsonNode v3 = ok(server.put(LIMITS + "/" + id, "{\"limit\":{\"version\":\"2\",\"name\":\"Tokens\","
                + "\"kind\":\"LIMIT_KIND_TOKENS_PER_DAY\",\"amount\":\"3000000\",\"action\":\"BLOCK\"}}", owner)).get("limit");
        assertThat(v3.get("warn_at_ratio").asDouble()).isZero();
        assertThat(v3.get("status").asText()).isEqualTo("POLICY_STATUS_ACTIVE");
        assertThat(v3.get("name").asText()).isEqualTo("Tokens");

        try (GovconClient client = server.grpc(owner)) {
            assertThatThrownBy(() -> client.policies().updatePolicyLimit(UpdatePolicyLimitRequest.newBuilder()
                    .setId(id).setLimit(PolicyLimit.newBuilder().setVersion(2).setAmount(9))
                    .setUpdateMask(FieldMask.newBuilder().addPaths("amount")).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
            PolicyLimit deleted = client.policies().deletePolicyLimit(
                    DeletePolicyLimitRequest.newBuilder().setId(id).setVersion(3).build()).getLimit();
            assertThat(deleted.getStatus()).isEqualTo(PolicyStatus.POLICY_STATUS_DISABLED);
            assertThat(deleted.getVersion()).isEqualTo(4);
            assertThat(deleted.getAmount()).isEqualTo(3_000_000);
            PolicyLimit read = client.policies().getPolicyLimit(GetPolicyLimitRequest.newBuilder().setId(id).build());
            assertThat(read).isEqualTo(deleted);
            assertThat(client.policies().listPolicyLimits(ListPolicyLimitsRequest.newBuilder()
                    .setStatus(PolicyStatus.POLICY_STATUS_DISABLED).setPageSize(1000).build()).getLimitsList())
                    .extracting(PolicyLimit::getId).contains(id);
        }

        List<AuditRow> rows = new ArrayList<>(server.database.read(
                s -> s.getMapper(AuditMapper.class).latest(UUID.fromString(acme.id()), 1000)));
        java.util.Collections.reverse(rows);
        List<AuditRow> mine = rows.stream().filter(r -> r.resourceId().equals(id)).toList();
        assertThat(mine).extracting(AuditRow::action).containsExactly(
                "policy_limit.created", "policy_limit.updated", "policy_limit.updated", "policy_limit.deleted");
        assertThat(mine).extracting(AuditRow::resourceType).containsOnly("policy_limit");
        assertThat(mine.get(0).beforeState()).isNull();
        assertThat(json(mine.get(1).beforeState()).get("amount").asText()).isEqualTo("1000000");
        assertThat(json(mine.get(1).afterState()).get("amount").asText()).isEqualTo("2000000");
        assertThat(json(mine.get(3).afterState()).get("status").asText()).isEqualTo("POLICY_STATUS_DISABLED");
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void listsFilterByKindScopeAndStatusNewestFirst() {
        RunningServer.Tenant t = server.newTenant("Limits Lists");
        String owner = t.ownerKey();
        List<String> created = new ArrayList<>();
        for (String body : List.of(
                limit("SPEND_PER_DAY", 10, ""),
                limit("SPEND_PER_DAY", 10, "\"scope\":{\"feature\":\"chat\"}"),
                limit("REQUESTS_PER_MINUTE", 10, "\"scope\":{\"model\":\"gpt-4o\"}"),
                limit("CONCURRENT_RUNS", 10, "\"status\":\"POLICY_STATUS_DRAFT\""))) {
            server.clock.advance(Duration.ofSeconds(1));
            created.add(ok(server.post(LIMITS, body, owner)).get("limit").get("id").asText());
        }
        assertThat(ids(ok(server.get(LIMITS, owner)).get("limits")))
                .containsExactly(created.get(3), created.get(2), created.get(1), created.get(0));
        assertThat(ids(ok(server.get(LIMITS + "?kind=LIMIT_KIND_SPEND_PER_DAY", owner)).get("limits")))
                .containsExactly(created.get(1), created.get(0));
        assertThat(ids(ok(server.get(LIMITS + "?feature=search", owner)).get("limits")))
                .containsExactly(created.get(3), created.get(2), created.get(0));
        assertThat(ids(ok(server.get(LIMITS + "?model=claude-3-haiku-20240307", owner)).get("limits")))
                .containsExactly(created.get(3), created.get(1), created.get(0));
        assertThat(ids(ok(server.get(LIMITS + "?status=POLICY_STATUS_DRAFT", owner)).get("limits")))
                .containsExactly(created.get(3));
        JsonNode page = ok(server.get(LIMITS + "?page_size=3", owner));
        assertThat(page.get("total_count").asLong()).isEqualTo(4);
        JsonNode last = ok(server.get(LIMITS + "?page_size=3&page_token=" + page.get("next_page_token").asText(), owner));
        assertThat(ids(last.get("limits"))).containsExactly(created.get(0));
        assertThat(last.get("next_page_token").asText()).isEmpty();
    }
}
