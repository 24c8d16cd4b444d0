package dev.govcon.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.govcon.proto.v1.ChangeBillingPlanRequest;
import dev.govcon.proto.v1.GetInvoiceRequest;
import dev.govcon.proto.v1.Invoice;
import dev.govcon.proto.v1.InvoiceStatus;
import dev.govcon.sdk.GovconClient;
import dev.govcon.server.jobs.JobRunResult;
import dev.govcon.server.jobs.RunOutcome;
import dev.govcon.server.testing.RunFixtures;
import dev.govcon.server.testing.RunningServer;
import dev.govcon.server.testing.RunningServer.Reply;
import dev.govcon.server.wire.Times;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The invoice of a closed period is issued once, even by two servers on one database running
 * the job at the same moment and again afterwards, with lines equal to the usage counted from
 * the raw run records; a scheduled plan change applies only after the old period is invoiced.
 */
class InvoiceJobTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** Past the team plan's 100,000 included runs: 1,234 over, billed as 2 blocks of 1,000. */
    private static final int RUNS = 101_234;

    static RunningServer a;
    static RunningServer b;
    static RunFixtures fixtures;
    static RunningServer.Tenant team;
    static RunningServer.Tenant changing;
    static BillingPeriod period;

    @BeforeAll
    static void start() {
        a = RunningServer.start();
        b = RunningServer.start(a.database);
        fixtures = new RunFixtures(a.database.dataSource());
        team = parisTenant("Invoice Team");
        changing = parisTenant("Invoice Changing");
        period = BillingPeriod.containing(a.clock.instant(), PARIS);
        UUID id = UUID.fromString(team.id());
        fixtures.update("UPDATE tenants SET plan_id = 'team' WHERE tenant_id = ?", id);
        // The period's runs, every 15 s from its start, with varied tokens and cost...
        fixtures.update("""
                INSERT INTO llm_run_records (tenant_id, record_id, run_id, model, provider, feature, environment,
                    status, start_time, end_time, input_tokens, output_tokens, reasoning_tokens, cost_micros,
                    cost_source, latency_ms, received_at, content_hash)
                SELECT ?, gen_random_uuid(), 'bulk-' || i, 'gpt-4o-mini', 'openai', 'chat', 'production',
                       CASE WHEN i % 50 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END,
                       ?::timestamptz + i * interval '15 seconds',
                       ?::timestamptz + i * interval '15 seconds' + interval '1 second',
                       100 + i % 7, 20, i % 3, 30 + i % 11, 'COST_SOURCE_CALLER', 1000, now(), '\\x00'
                FROM generate_series(0, ? - 1) AS i
                """, id, Timestamp.from(period.start()), Timestamp.from(period.start()), RUNS);
        // ...and one on each side of it, which belong to other periods.
        edgeRun(id, "before", period.start().minusSeconds(1));
        edgeRun(id, "after", period.end());
        fixtures.rebuildRollups(id);
    }

    private static void edgeRun(UUID tenant, String runId, Instant end) {
        fixtures.insertRecord(tenant, new RunFixtures.Finished(runId, "gpt-4o", "openai", "chat", "u", "production",
                "SUCCEEDED", end.minusSeconds(1), end, 5000, 5000, 0, 0, 0, 50_000, "COST_SOURCE_CALLER", false, 1000,
                "", "{}"));
    }

    static RunningServer.Tenant parisTenant(String name) {
        RunningServer.Tenant t = a.newTenant(name);
        assertThat(a.put("/api/v1/accounts/profile", "{\"time_zone\":\"Europe/Paris\"}", t.ownerKey()).status())
                .isEqualTo(200);
        return t;
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    /** Both servers' clocks to {@code at}. */
    private static void clockTo(Instant at) {
        a.clock.advance(Duration.between(a.clock.instant(), at));
        b.clock.advance(Duration.between(b.clock.instant(), at));
    }

    private static long invoices(RunningServer.Tenant t) {
        return fixtures.queryLong("SELECT count(*) FROM invoices WHERE tenant_id = ?", UUID.fromString(t.id()));
    }

    private static long audits(RunningServer.Tenant t, String action) {
        return fixtures.queryLong("SELECT count(*) FROM audit_ledger WHERE tenant_id = ? AND action = ?",
                                  UUID.fromString(t.id()), action);
    }

    @Test
    void aClosedPeriodIsInvoicedOnceFromItsRuns() throws Exception {
        // Changed this period: takes effect with the next one.
        try (GovconClient owner = a.grpc(changing.ownerKey())) {
            owner.accounts().changeBillingPlan(ChangeBillingPlanRequest.newBuilder().setPlanId("team").build());
        }

        // Half an hour after the period's end it is not closed yet: late runs may still arrive.
        clockTo(period.end().plus(Duration.ofMinutes(30)));
        assertThat(a.server.jobs().runNow(InvoiceJob.NAME).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(invoices(team)).isZero();
        // Meanwhile the scheduled change is in effect, and cannot be changed until it is applied.
        assertThat(a.get("/api/v1/accounts/billing/plan", changing.ownerKey()).json().get("id").asText()).isEqualTo("team");
        try (GovconClient owner = a.grpc(changing.ownerKey())) {
            assertThatThrownBy(() -> owner.accounts().changeBillingPlan(
                    ChangeBillingPlanRequest.newBuilder().setPlanId("business").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        }

        // Closed: both servers run the job at once, then each once more (a restart, a later tick).
        Instant closeAt = period.end().plus(InvoiceJob.GRACE).plusSeconds(60);
        clockTo(closeAt);
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<JobRunResult> onA = CompletableFuture.supplyAsync(() -> await(go, a));
        CompletableFuture<JobRunResult> onB = CompletableFuture.supplyAsync(() -> await(go, b));
        go.countDown();
        List<RunOutcome> outcomes = List.of(onA.get().outcome(), onB.get().outcome());
        assertThat(outcomes).contains(RunOutcome.SUCCEEDED).allMatch(o -> o == RunOutcome.SUCCEEDED || o == RunOutcome.SKIPPED);
        JobRunResult again = b.server.jobs().runNow(InvoiceJob.NAME);
        assertThat(again.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(again.items()).as("nothing left to issue").isZero();
        assertThat(a.server.jobs().runNow(InvoiceJob.NAME).items()).isZero();

        assertThat(invoices(team)).isEqualTo(1);
        assertThat(audits(team, "invoice.issued")).isEqualTo(1);

        // The lines, against the raw run records of the period.
        UUID id = UUID.fromString(team.id());
        long runs = fixtures.queryLong("SELECT count(*) FROM llm_run_records WHERE tenant_id = ? AND end_time >= ? "
                                       + "AND end_time < ?", id, Timestamp.from(period.start()), Timestamp.from(period.end()));
        long tokens = fixtures.queryLong("SELECT sum(input_tokens + output_tokens + cached_input_tokens + cache_write_tokens "
                                         + "+ reasoning_tokens) FROM llm_run_records WHERE tenant_id = ? AND end_time >= ? "
                                         + "AND end_time < ?", id, Timestamp.from(period.start()), Timestamp.from(period.end()));
        long spend = fixtures.queryLong("SELECT sum(cost_micros) FROM llm_run_records WHERE tenant_id = ? AND end_time >= ? "
                                        + "AND end_time < ?", id, Timestamp.from(period.start()), Timestamp.from(period.end()));
        assertThat(runs).isEqualTo(RUNS);
        long blocks = (runs - 100_000 + 999) / 1000;
        assertThat(blocks).isEqualTo(2);

        JsonNode list = a.get("/api/v1/accounts/billing/invoices", team.ownerKey()).json().get("invoices");
        assertThat(list).hasSize(1);
        JsonNode invoice = list.get(0);
        assertThat(invoice.get("status").asText()).isEqualTo("INVOICE_ISSUED");
        assertThat(invoice.get("plan_id").asText()).isEqualTo("team");
        assertThat(invoice.get("currency").asText()).isEqualTo("USD");
        assertThat(invoice.get("number").asText())
                .isEqualTo("GC-" + team.id().substring(0, 8).toUpperCase() + "-" + period.month());
        assertThat(Instant.parse(invoice.get("period_start").asText())).isEqualTo(period.start());
        assertThat(Instant.parse(invoice.get("period_end").asText())).isEqualTo(period.end());
        assertThat(Instant.parse(invoice.get("issued_at").asText())).isBetween(closeAt, closeAt.plusSeconds(1));
        JsonNode lines = invoice.get("lines");
        assertThat(lines).hasSize(3);
        assertLine(lines.get(0), "Team plan, " + period.label(), 1, 99_000_000, 99_000_000);
        assertLine(lines.get(1), "Runs in the period (100,000 included)", runs, 0, 0);
        assertLine(lines.get(2), "Runs over the plan: 1,234, per started block of 1,000 runs", blocks, 1_000_000,
                   blocks * 1_000_000);
        assertThat(invoice.get("subtotal_micros").asLong()).isEqualTo(99_000_000 + blocks * 1_000_000);
        assertThat(invoice.get("total_micros").asLong()).isEqualTo(101_000_000);
        String invoiceId = invoice.get("id").asText();
        assertThat(fixtures.queryLong("SELECT total_tokens FROM invoices WHERE tenant_id = ?", id)).isEqualTo(tokens);
        assertThat(fixtures.queryLong("SELECT tracked_spend_micros FROM invoices WHERE tenant_id = ?", id)).isEqualTo(spend);

        // One invoice by id, over REST and gRPC alike; another tenant's id is 404.
        assertThat(a.get("/api/v1/accounts/billing/invoices/" + invoiceId, team.ownerKey()).json()).isEqualTo(invoice);
        try (GovconClient owner = b.grpc(team.ownerKey())) {
            Invoice grpc = owner.accounts().getInvoice(GetInvoiceRequest.newBuilder().setId(invoiceId).build());
            assertThat(grpc.getStatus()).isEqualTo(InvoiceStatus.INVOICE_ISSUED);
            assertThat(grpc.getTotalMicros()).isEqualTo(101_000_000);
            assertThat(Times.instant(grpc.getPeriodStart())).isEqualTo(period.start());
        }
        Reply foreign = a.get("/api/v1/accounts/billing/invoices/" + invoiceId, changing.ownerKey());
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(a.get("/api/v1/accounts/billing/invoices?status=INVOICE_PAID", team.ownerKey()).json()
                .get("invoices")).isEmpty();

        // The tenant that changed plan: its closed period billed on the old plan, the new one now in place.
        JsonNode old = a.get("/api/v1/accounts/billing/invoices", changing.ownerKey()).json().get("invoices").get(0);
        assertThat(old.get("plan_id").asText()).isEqualTo("free");
        assertThat(old.get("total_micros").asLong()).isZero();
        JsonNode plan = a.get("/api/v1/accounts/billing/plan", changing.ownerKey()).json();
        assertThat(plan.get("id").asText()).isEqualTo("team");
        assertThat(plan.get("scheduled_plan_id").asText()).isEmpty();
        assertThat(fixtures.queryLong("SELECT count(*) FROM tenants WHERE tenant_id = ? AND plan_id = 'team' "
                                      + "AND scheduled_plan_id IS NULL", UUID.fromString(changing.id()))).isEqualTo(1);
        assertThat(audits(changing, "billing_plan.applied")).isEqualTo(1);
    }

    /** Repeated: the collision it guards against (both inserts in flight at once) is a matter of timing. */
    @RepeatedTest(20)
    void twoIssuersRacingForOnePeriodWriteOneInvoice() throws Exception {
        RunningServer.Tenant t = parisTenant("Invoice Race");
        UUID id = UUID.fromString(t.id());
        TenantBillingRow row = a.database.read(s -> s.getMapper(BillingMapper.class).tenant(id));
        BillingPeriod own = BillingPeriod.containing(row.createdAt(), PARIS);
        InvoiceIssuer issuer = new InvoiceIssuer(a.database, PlanCatalogue.shipped());
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Boolean>> racers = List.of(
                CompletableFuture.supplyAsync(() -> race(go, issuer, row, own)),
                CompletableFuture.supplyAsync(() -> race(go, issuer, row, own)),
                CompletableFuture.supplyAsync(() -> race(go, issuer, row, own)));
        go.countDown();
        long issued = 0;
        for (CompletableFuture<Boolean> r : racers) {
            issued += r.get() ? 1 : 0;
        }
        assertThat(issued).isEqualTo(1);
        assertThat(invoices(t)).isEqualTo(1);
        assertThat(fixtures.queryLong("SELECT count(*) FROM invoice_lines WHERE tenant_id = ?", id)).isEqualTo(2);
        assertThat(audits(t, "invoice.issued")).isEqualTo(1);
    }

    private static boolean race(CountDownLatch go, InvoiceIssuer issuer, TenantBillingRow row, BillingPeriod p) {
        try {
            go.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return issuer.issue(row, p, a.clock.instant());
    }

    private static JobRunResult await(CountDownLatch go, RunningServer server) {
        try {
            go.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return server.server.jobs().runNow(InvoiceJob.NAME);
    }

    private static void assertLine(JsonNode line, String description, long quantity, long unitPrice, long amount) {
        assertThat(line.get("description").asText()).isEqualTo(description);
        assertThat(line.get("quantity").asLong()).isEqualTo(quantity);
        assertThat(line.get("unit_price_micros").asLong()).isEqualTo(unitPrice);
        assertThat(line.get("amount_micros").asLong()).isEqualTo(amount);
    }
}
