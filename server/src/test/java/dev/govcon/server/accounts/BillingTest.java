package dev.govcon.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.BillingPlan;
import dev.govcon.proto.v1.ChangeBillingPlanRequest;
import dev.govcon.proto.v1.GetBillingPlanRequest;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import dev.govcon.server.wire.Times;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The plan, the current period's usage (from rollups, in the tenant's time zone), plan changes
 * (OWNER only, from the next period, audited), invoice reads, roles and bad input.
 */
class BillingTest {
    private static final String PLAN = "/api/v1/accounts/billing/plan";
    private static final String USAGE = "/api/v1/accounts/billing/usage";
    private static final String INVOICES = "/api/v1/accounts/billing/invoices";
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    static RunningServer server;
    static RunFixtures fixtures;

    @BeforeAll
    static void start() {
        server = RunningServer.start();
        fixtures = new RunFixtures(server.database.dataSource());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static RunningServer.Tenant parisTenant(String name) {
        RunningServer.Tenant t = server.newTenant(name);
        Reply tz = server.put("/api/v1/accounts/profile", "{\"time_zone\":\"Europe/Paris\"}", t.ownerKey());
        assertThat(tz.status()).as(tz.toString()).isEqualTo(200);
        return t;
    }

    static String key(RunningServer.Tenant t, String role) {
        Reply reply = server.post("/api/v1/connectivity/api-keys", "{\"name\":\"" + role + "\",\"role\":\"" + role + "\"}",
                                  t.ownerKey());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("secret").asText();
    }

    static long auditCount(RunningServer.Tenant t, String action) {
        return fixtures.queryLong("SELECT count(*) FROM audit_ledger WHERE tenant_id = ? AND action = ?",
                                  UUID.fromString(t.id()), action);
    }

    static String queryString(String sql, Object... args) {
        try (var c = server.database.dataSource().getConnection(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Test
    void aFreshTenantIsOnTheFreePlanForTheCalendarMonthOfItsTimeZone() {
        RunningServer.Tenant t = parisTenant("Billing Fresh");
        String admin = key(t, "ADMIN");
        JsonNode plan = server.get(PLAN, admin).json();
        BillingPeriod month = BillingPeriod.containing(server.clock.instant(), PARIS);
        assertThat(plan.get("id").asText()).isEqualTo("free");
        assertThat(plan.get("name").asText()).isEqualTo("Free");
        assertThat(plan.get("included_runs").asLong()).isEqualTo(10_000);
        assertThat(plan.get("included_seats").asInt()).isEqualTo(3);
        assertThat(plan.get("price_micros").asText()).isEqualTo("0");
        assertThat(plan.get("period").asText()).isEqualTo("MONTHLY");
        assertThat(Instant.parse(plan.get("current_period_start").asText())).isEqualTo(month.start());
        assertThat(Instant.parse(plan.get("current_period_end").asText())).isEqualTo(month.end());
        assertThat(month.start().atZone(PARIS).toLocalTime().toString()).isEqualTo("00:00");
        assertThat(plan.get("scheduled_plan_id").asText()).isEmpty();
        assertThat(plan.has("scheduled_plan_from")).isFalse();

        assertThat(server.get(INVOICES, admin).json().get("invoices")).isEmpty();
    }

    @Test
    void usageOfTheCurrentPeriodComesFromTheRollups() {
        RunningServer.Tenant t = parisTenant("Billing Usage");
        UUID id = UUID.fromString(t.id());
        String admin = key(t, "ADMIN");
        String viewer = key(t, "VIEWER");
        Instant now = server.clock.instant();
        BillingPeriod month = BillingPeriod.containing(now, PARIS);
        // Three runs this period (from its first second), one the second before it began.
        for (int i = 0; i < 3; i++) {
            fixtures.insertRecord(id, new RunFixtures.Finished("usage-" + i, "gpt-4o", "openai", "chat", "u", "production",
                    "SUCCEEDED", month.start().plusSeconds(i), month.start().plusSeconds(i + 1), 1000, 200, 50, 20, 10,
                    12_345, "COST_SOURCE_CALLER", false, 700, "", "{}"));
        }
        fixtures.insertRecord(id, new RunFixtures.Finished("usage-before", "gpt-4o", "openai", "chat", "u", "production",
                "SUCCEEDED", month.start().minusSeconds(2), month.start().minusSeconds(1), 999, 999, 0, 0, 0, 99_999,
                "COST_SOURCE_CALLER", false, 700, "", "{}"));
        fixtures.rebuildRollups(id);
        // The viewer key is revoked: not counted.
        String viewerId = server.get("/api/v1/connectivity/api-keys?page_size=100", admin).json().get("api_keys")
                .findParents("role").stream().filter(k -> k.get("role").asText().equals("VIEWER"))
                .findFirst().orElseThrow().get("id").asText();
        assertThat(server.delete("/api/v1/connectivity/api-keys/" + viewerId, admin).status()).isEqualTo(200);

        JsonNode usage = server.get(USAGE, admin).json();
        assertThat(Instant.parse(usage.get("period_start").asText())).isEqualTo(month.start());
        assertThat(Instant.parse(usage.get("period_end").asText())).isEqualTo(month.end());
        assertThat(usage.get("runs").asLong()).isEqualTo(3);
        assertThat(usage.get("total_tokens").asLong()).isEqualTo(3 * (1000 + 200 + 50 + 20 + 10));
        assertThat(usage.get("tracked_spend_micros").asLong()).isEqualTo(3 * 12_345);
        assertThat(usage.get("seats").asInt()).as("the owner").isEqualTo(1);
        assertThat(usage.get("api_keys").asInt()).as("owner and admin keys").isEqualTo(2);
        assertThat(usage.get("included_runs").asLong()).isEqualTo(10_000);
        long projected = BillingLogic.project(3, month, now);
        assertThat(usage.get("projected_runs").asLong()).isEqualTo(projected).isGreaterThanOrEqualTo(3);
        assertThat(usage.get("projected_overage_micros").asLong()).isZero();
        assertThat(server.get(USAGE, viewer).status()).as("revoked").isEqualTo(401);
    }

    @Test
    void projectionIsLinearOverThePeriod() {
        BillingPeriod april = BillingPeriod.containing(Instant.parse("2026-04-15T00:00:00Z"), ZoneId.of("UTC"));
        assertThat(BillingLogic.project(1000, april, Instant.parse("2026-04-11T00:00:00Z"))).isEqualTo(3000);
        assertThat(BillingLogic.project(10, april, april.start().plusSeconds(60))).as("at least an hour elapsed")
                .isEqualTo(10 * 30 * 24);
        assertThat(BillingLogic.project(10, april, april.end())).isEqualTo(10);
        PlanCatalogue.Plan team = PlanCatalogue.shipped().plan("team").orElseThrow();
        assertThat(InvoiceLines.overageMicros(team, 100_000)).isZero();
        assertThat(InvoiceLines.overageMicros(team, 100_001)).isEqualTo(1_000_000);
        assertThat(InvoiceLines.overageMicros(team, 102_000)).isEqualTo(2_000_000);
        assertThat(InvoiceLines.overageMicros(team, 102_001)).isEqualTo(3_000_000);
    }

    @Test
    void anOwnerChangesThePlanFromTheNextPeriodAndEachChangeIsAudited() {
        RunningServer.Tenant t = parisTenant("Billing Change");
        BillingPeriod month = BillingPeriod.containing(server.clock.instant(), PARIS);
        try (GovconClient owner = server.grpc(t.ownerKey())) {
            BillingPlan scheduled = owner.accounts().changeBillingPlan(
                    ChangeBillingPlanRequest.newBuilder().setPlanId("team").build());
            assertThat(scheduled.getId()).as("this period stays on its plan").isEqualTo("free");
            assertThat(scheduled.getScheduledPlanId()).isEqualTo("team");
            assertThat(Times.instant(scheduled.getScheduledPlanFrom())).isEqualTo(month.end());
            assertThat(owner.accounts().getBillingPlan(GetBillingPlanRequest.getDefaultInstance())).isEqualTo(scheduled);
            assertThat(auditCount(t, "billing_plan.changed")).isEqualTo(1);

            String after = queryString(
                    "SELECT after_state::text FROM audit_ledger WHERE tenant_id = ? AND action = 'billing_plan.changed'",
                    UUID.fromString(t.id()));
            assertThat(after).contains("\"scheduled_plan_id\": \"team\"");

            assertThat(owner.accounts().changeBillingPlan(ChangeBillingPlanRequest.newBuilder().setPlanId("business").build())
                    .getScheduledPlanId()).isEqualTo("business");
            // The same again changes nothing and audits nothing.
            owner.accounts().changeBillingPlan(ChangeBillingPlanRequest.newBuilder().setPlanId("business").build());
            assertThat(auditCount(t, "billing_plan.changed")).isEqualTo(2);
            // Back to the current plan: the change is cancelled.
            BillingPlan cancelled = owner.accounts().changeBillingPlan(
                    ChangeBillingPlanRequest.newBuilder().setPlanId("free").build());
            assertThat(cancelled.getScheduledPlanId()).isEmpty();
            assertThat(cancelled.hasScheduledPlanFrom()).isFalse();
            assertThat(auditCount(t, "billing_plan.changed")).isEqualTo(3);

            for (String[] bad : new String[][] {{"platinum", "plan_id: 'platinum' is not a plan"}, {"", "plan_id: is required"}}) {
                assertThatThrownBy(() -> owner.accounts().changeBillingPlan(
                        ChangeBillingPlanRequest.newBuilder().setPlanId(bad[0]).build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                            assertThat(e.getStatus().getDescription()).startsWith(bad[1]);
                        });
            }
        }
        try (GovconClient admin = server.grpc(key(t, "ADMIN"))) {
            assertThatThrownBy(() -> admin.accounts().changeBillingPlan(
                    ChangeBillingPlanRequest.newBuilder().setPlanId("team").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        }
        assertThat(auditCount(t, "billing_plan.changed")).isEqualTo(3);
        assertThat(server.get(PLAN, t.ownerKey()).json().get("scheduled_plan_id").asText()).isEmpty();
    }

    @Test
    void anOwnerCanLeaveAPlanTheCatalogueNoLongerHas() {
        RunningServer.Tenant t = parisTenant("Billing Legacy");
        UUID id = UUID.fromString(t.id());
        fixtures.update("UPDATE tenants SET plan_id = 'legacy-2019' WHERE tenant_id = ?", id);
        try {
            Reply plan = server.get(PLAN, t.ownerKey());
            assertThat(plan.status()).isEqualTo(400);
            assertThat(plan.json().get("grpc-code").asText()).isEqualTo("FAILED_PRECONDITION");
            assertThat(plan.json().get("message").asText()).contains("legacy-2019");
            try (GovconClient owner = server.grpc(t.ownerKey())) {
                BillingPlan changed = owner.accounts().changeBillingPlan(
                        ChangeBillingPlanRequest.newBuilder().setPlanId("team").build());
                assertThat(changed.getId()).isEqualTo("legacy-2019");
                assertThat(changed.getScheduledPlanId()).isEqualTo("team");
            }
        } finally {
            // Every invoice job run bills every tenant: leave none on an unknown plan behind.
            fixtures.update("UPDATE tenants SET plan_id = 'free', scheduled_plan_id = NULL, scheduled_plan_from = NULL "
                            + "WHERE tenant_id = ?", id);
        }
    }

    @Test
    void aCatalogueWithAMistakeIsRefusedWhenLoaded() {
        String noFree = "{\"currency\":\"USD\",\"period\":\"MONTHLY\",\"plans\":[],\"support_channels\":[]}";
        String badChannel = "{\"currency\":\"USD\",\"period\":\"MONTHLY\",\"support_channels\":[],\"plans\":[{"
                + "\"id\":\"free\",\"name\":\"Free\",\"included_runs\":1,\"included_seats\":1,\"price_micros\":0,"
                + "\"overage_price_per_1k_runs_micros\":0,\"support\":{\"channels\":[\"fax\"],"
                + "\"first_response_hours\":{\"LOW\":1,\"MEDIUM\":1,\"HIGH\":1,\"CRITICAL\":1}}}]}";
        String negative = badChannel.replace("[\"fax\"]", "[]").replace("\"price_micros\":0", "\"price_micros\":-5");
        for (String[] c : new String[][] {{noFree, "'free' plan"}, {badChannel, "unknown support channel"},
                                          {negative, "'price_micros' must be a whole number >= 0"}}) {
            assertThatThrownBy(() -> PlanCatalogue.parse(
                    new java.io.ByteArrayInputStream(c[0].getBytes(java.nio.charset.StandardCharsets.UTF_8)), "test"))
                    .hasMessageContaining(c[1]);
        }
        assertThat(PlanCatalogue.shipped().planIds()).containsExactly("free", "team", "business", "enterprise");
    }

    @Test
    void billingIsReadByAdminsAndOwnersOnly() {
        RunningServer.Tenant t = parisTenant("Billing Roles");
        String admin = key(t, "ADMIN");
        String member = key(t, "MEMBER");
        String viewer = key(t, "VIEWER");
        String randomInvoice = INVOICES + "/" + UUID.randomUUID();
        for (String path : new String[] {PLAN, USAGE, INVOICES, randomInvoice}) {
            assertThat(server.get(path, member).status()).as(path).isEqualTo(403);
            assertThat(server.get(path, viewer).status()).as(path).isEqualTo(403);
            assertThat(server.get(path, admin).status()).as(path).isEqualTo(path.equals(randomInvoice) ? 404 : 200);
            assertThat(server.get(path, t.ownerKey()).status()).as(path).isEqualTo(path.equals(randomInvoice) ? 404 : 200);
        }
    }

    @Test
    void badInvoiceQueriesNameTheirField() {
        RunningServer.Tenant t = parisTenant("Billing Bad Input");
        String owner = t.ownerKey();
        assertThat(server.get(INVOICES + "/nope", owner).json().get("message").asText()).startsWith("id: ");
        assertThat(server.get(INVOICES + "?page_size=5000", owner).json().get("message").asText()).startsWith("page_size: ");
        Reply status = server.get(INVOICES + "?status=OVERDUE", owner);
        assertThat(status.status()).isEqualTo(400);
        assertThat(status.json().get("message").asText()).startsWith("status");
        assertThat(server.get(INVOICES + "?page_token=garbage", owner).json().get("message").asText())
                .startsWith("page_token: ");
    }
}
