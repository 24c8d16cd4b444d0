package dev.govcon.server.accounts;

import java.time.Instant;
import java.util.List;

import dev.govcon.proto.v1.BillingPlan;
import dev.govcon.proto.v1.Invoice;
import dev.govcon.proto.v1.InvoiceLine;
import dev.govcon.proto.v1.InvoiceStatus;
import dev.govcon.server.errors.Errors;
import dev.govcon.server.wire.Times;

/** Billing rows and catalogue entries as API messages. */
final class BillingProtos {
    private BillingProtos() {
    }

    /** The plan in effect at {@code now}, its current period, and a change waiting for the next one. */
    static BillingPlan plan(TenantBillingRow t, PlanCatalogue catalogue, Instant now) {
        known(catalogue, t.planAt(now));
        return describe(t, catalogue, now);
    }

    /**
     * As {@link #plan}, but a plan missing from the catalogue (one retired since) is described
     * by its id alone instead of refused: an owner must still be able to move off it.
     */
    static BillingPlan describe(TenantBillingRow t, PlanCatalogue catalogue, Instant now) {
        String id = t.planAt(now);
        BillingPeriod period = BillingPeriod.containing(now, t.zone());
        BillingPlan.Builder b = BillingPlan.newBuilder()
                .setId(id)
                .setName(id)
                .setPeriod(catalogue.period())
                .setCurrentPeriodStart(Times.ts(period.start()))
                .setCurrentPeriodEnd(Times.ts(period.end()));
        catalogue.plan(id).ifPresent(plan -> b
                .setName(plan.name())
                .setIncludedRuns(plan.includedRuns())
                .setIncludedSeats(plan.includedSeats())
                .setPriceMicros(plan.priceMicros())
                .setOveragePricePer1KRunsMicros(plan.overagePricePer1kRunsMicros()));
        if (t.scheduledPlanId() != null && now.isBefore(t.scheduledPlanFrom())) {
            b.setScheduledPlanId(t.scheduledPlanId()).setScheduledPlanFrom(Times.ts(t.scheduledPlanFrom()));
        }
        return b.build();
    }

    static PlanCatalogue.Plan known(PlanCatalogue catalogue, String planId) {
        return catalogue.plan(planId).orElseThrow(() -> Errors.failedPrecondition(
                "this tenant's plan '" + planId + "' is not in the plan catalogue; ask support"));
    }

    static Invoice invoice(InvoiceRow r, List<InvoiceLineRow> lines) {
        Invoice.Builder b = Invoice.newBuilder()
                .setId(r.invoiceId().toString())
                .setNumber(r.number())
                .setStatus(InvoiceStatus.valueOf("INVOICE_" + r.status()))
                .setPeriodStart(Times.ts(r.periodStart()))
                .setPeriodEnd(Times.ts(r.periodEnd()))
                .setPlanId(r.planId())
                .setSubtotalMicros(r.subtotalMicros())
                .setTotalMicros(r.totalMicros())
                .setCurrency(r.currency());
        Times.setIfPresent(r.issuedAt(), b::setIssuedAt);
        for (InvoiceLineRow l : lines) {
            b.addLines(InvoiceLine.newBuilder()
                    .setDescription(l.description())
                    .setQuantity(l.quantity())
                    .setUnitPriceMicros(l.unitPriceMicros())
                    .setAmountMicros(l.amountMicros()));
        }
        return b.build();
    }
}
