package dev.govcon.server.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.govcon.proto.v1.BillingPlan;
import dev.govcon.proto.v1.BillingUsage;
import dev.govcon.proto.v1.ChangeBillingPlanRequest;
import dev.govcon.proto.v1.Invoice;
import dev.govcon.proto.v1.InvoiceStatus;
import dev.govcon.proto.v1.ListInvoicesRequest;
import dev.govcon.proto.v1.ListInvoicesResponse;
import dev.govcon.server.audit.AuditLedger;
import dev.govcon.server.auth.Principal;
import dev.govcon.server.db.Database;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.errors.Validate;
import dev.govcon.server.paging.Page;
import dev.govcon.server.tenancy.MemberMapper;
import dev.govcon.server.wire.Times;

/**
 * The tenant's plan, its usage in the current period, its invoices, and plan changes.
 *
 * <p><b>Projection.</b> The usage projects the period's runs linearly: runs so far x period
 * length / time elapsed, with at least one hour elapsed (so a period's first minutes do not
 * project wildly); the projected overage is what those runs would cost under the plan, billed
 * as the invoice bills it ({@link InvoiceLines}).
 *
 * <p><b>Plan changes</b> (OWNER only, by the access table) take effect at the start of the next
 * period, as the contract says: the current period is invoiced on the plan it began with. A
 * second change in the same period replaces the first; changing back to the current plan
 * cancels it. Each change is audited ({@code billing_plan.changed}, before and after).
 */
final class BillingLogic {
    private static final Duration MIN_ELAPSED = Duration.ofHours(1);

    private final Database database;
    private final Clock clock;
    private final PlanCatalogue catalogue;

    BillingLogic(Database database, Clock clock, PlanCatalogue catalogue) {
        this.database = database;
        this.clock = clock;
        this.catalogue = catalogue;
    }

    BillingPlan plan(Principal caller) {
        Instant now = clock.instant();
        TenantBillingRow t = database.read(s -> s.getMapper(BillingMapper.class).tenant(caller.tenantId()));
        return BillingProtos.plan(t, catalogue, now);
    }

    BillingPlan changePlan(Principal caller, ChangeBillingPlanRequest req) {
        String planId = Validate.required("plan_id", req.getPlanId(), 64);
        if (catalogue.plan(planId).isEmpty()) {
            throw Errors.invalid("plan_id", "'" + planId + "' is not a plan; the catalogue has " + catalogue.planIds());
        }
        Instant now = clock.instant();
        return database.inTransaction(s -> {
            BillingMapper m = s.getMapper(BillingMapper.class);
            TenantBillingRow t = m.lockTenant(caller.tenantId());
            if (t.scheduledPlanFrom() != null && !now.isBefore(t.scheduledPlanFrom())) {
                throw Errors.failedPrecondition("the change to '" + t.scheduledPlanId() + "' is being applied as "
                        + "the previous period closes; try again after "
                        + t.scheduledPlanFrom().plus(InvoiceJob.GRACE).plus(InvoiceJob.INTERVAL));
            }
            BillingPlan before = BillingProtos.describe(t, catalogue, now);
            if (planId.equals(t.planId())) {
                if (t.scheduledPlanId() == null) {
                    return before;
                }
                m.schedulePlan(caller.tenantId(), null, null);
            } else if (planId.equals(t.scheduledPlanId())) {
                return before;
            } else {
                m.schedulePlan(caller.tenantId(), planId, BillingPeriod.containing(now, t.zone()).end());
            }
            BillingPlan after = BillingProtos.describe(m.tenant(caller.tenantId()), catalogue, now);
            AuditLedger.record(s, caller.tenantId(), caller.actor(), "billing_plan.changed", "tenant",
                               caller.tenantId().toString(), before, after);
            return after;
        });
    }

    BillingUsage usage(Principal caller) {
        Instant now = clock.instant();
        return database.read(s -> {
            BillingMapper m = s.getMapper(BillingMapper.class);
            TenantBillingRow t = m.tenant(caller.tenantId());
            PlanCatalogue.Plan plan = BillingProtos.known(catalogue, t.planAt(now));
            BillingPeriod period = BillingPeriod.containing(now, t.zone());
            UsageRow u = m.usage(caller.tenantId(), period.start(), period.end());
            long projected = project(u.runs(), period, now);
            return BillingUsage.newBuilder()
                    .setPeriodStart(Times.ts(period.start()))
                    .setPeriodEnd(Times.ts(period.end()))
                    .setRuns(u.runs())
                    .setTotalTokens(u.totalTokens())
                    .setTrackedSpendMicros(u.costMicros())
                    .setSeats(s.getMapper(MemberMapper.class).countActive(caller.tenantId()))
                    .setApiKeys(m.activeKeys(caller.tenantId(), now))
                    .setIncludedRuns(plan.includedRuns())
                    .setProjectedRuns(projected)
                    .setProjectedOverageMicros(InvoiceLines.overageMicros(plan, projected))
                    .build();
        });
    }

    static long project(long runs, BillingPeriod period, Instant now) {
        Duration length = Duration.between(period.start(), period.end());
        Duration elapsed = Duration.between(period.start(), now);
        if (elapsed.compareTo(MIN_ELAPSED) < 0) {
            elapsed = MIN_ELAPSED;
        }
        if (elapsed.compareTo(length) >= 0) {
            return runs;
        }
        return Math.round((double) runs * length.toMillis() / elapsed.toMillis());
    }

    ListInvoicesResponse listInvoices(Principal caller, ListInvoicesRequest req) {
        int size = Page.size(req.getPageSize());
        Page.Cursor after = Page.cursor(req.getPageToken());
        InvoiceStatus status = Validate.enumValue("status", req.getStatus(), false);
        String statusText = status == InvoiceStatus.INVOICE_STATUS_UNSPECIFIED ? null
                : status.name().substring("INVOICE_".length());
        return database.read(s -> {
            BillingMapper m = s.getMapper(BillingMapper.class);
            List<InvoiceRow> rows = m.listInvoices(caller.tenantId(), statusText, after == null ? null : after.at(),
                                                   after == null ? null : after.id(), size + 1);
            List<InvoiceRow> page = rows.stream().limit(size).toList();
            Map<UUID, List<InvoiceLineRow>> lines = page.isEmpty() ? Map.of()
                    : m.lines(caller.tenantId(), page.stream().map(InvoiceRow::invoiceId).toList()).stream()
                            .collect(Collectors.groupingBy(InvoiceLineRow::invoiceId));
            ListInvoicesResponse.Builder out = ListInvoicesResponse.newBuilder();
            page.forEach(r -> out.addInvoices(BillingProtos.invoice(r, lines.getOrDefault(r.invoiceId(), List.of()))));
            out.setNextPageToken(Page.nextToken(rows, size,
                                                last -> new Page.Cursor(last.periodStart(), last.invoiceId()).encode()));
            return out.build();
        });
    }

    Invoice getInvoice(Principal caller, String idText) {
        UUID id = Validate.id("id", idText);
        return database.read(s -> {
            BillingMapper m = s.getMapper(BillingMapper.class);
            InvoiceRow row = m.findInvoice(caller.tenantId(), id);
            if (row == null) {
                throw Errors.notFound("invoice", id);
            }
            return BillingProtos.invoice(row, m.lines(caller.tenantId(), List.of(id)));
        });
    }
}
