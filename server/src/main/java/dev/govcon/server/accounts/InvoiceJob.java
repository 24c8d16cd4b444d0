package dev.govcon.server.accounts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.govcon.server.audit.AuditLedger;
import dev.govcon.server.db.Database;
import dev.govcon.server.jobs.Job;
import dev.govcon.server.jobs.JobContext;
import dev.govcon.server.jobs.SystemRecords;

/**
 * "billing-invoices", every 15 minutes: for every tenant, issues the invoice of each billing
 * period that has closed (see {@link BillingPeriod}) and has none yet, oldest first, then
 * applies a plan change whose period has begun.
 *
 * <ul>
 * <li><b>When a period closes.</b> {@link #GRACE} (1 h) after its end, so that runs finished
 * before midnight but reported a little later (retries, batches, the run reaper's 15-minute
 * timeout) are in the rollups. Runs that arrive after that are not billed.</li>
 * <li><b>Which periods.</b> From the tenant's creation month (charged in full), or from the
 * end of its newest invoice, to the last closed period: periods missed while no replica ran
 * the job are caught up.</li>
 * <li><b>Exactly once.</b> By {@link InvoiceIssuer}: a unique (tenant, period start) in the
 * table and ON CONFLICT DO NOTHING in the issuing transaction. The scheduler's advisory lock
 * keeps two replicas from running the job at once, but correctness does not depend on it.</li>
 * <li><b>Plan changes.</b> A change takes effect at the start of the next period
 * ({@code tenants.scheduled_plan_*}); the job moves it into {@code tenants.plan_id} only once the
 * period before it is invoiced (a grace after its start), so that invoice keeps the old plan.</li>
 * </ul>
 * A tenant that cannot be invoiced (a plan missing from the catalogue, say) gets an ERROR
 * system record; the others are still invoiced, and the run ends FAILED. Returns the invoices
 * issued.
 */
public final class InvoiceJob implements Job {
    public static final String NAME = "billing-invoices";
    public static final Duration INTERVAL = Duration.ofMinutes(15);
    public static final Duration GRACE = Duration.ofHours(1);

    private final PlanCatalogue catalogue;

    public InvoiceJob(PlanCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Issues each tenant's invoice for every closed billing period, once";
    }

    @Override
    public Duration interval() {
        return INTERVAL;
    }

    @Override
    public long run(JobContext context) {
        Database database = context.database();
        Instant now = context.startedAt();
        InvoiceIssuer issuer = new InvoiceIssuer(database, catalogue);
        List<TenantBillingRow> tenants = database.read(s -> s.getMapper(BillingMapper.class).allTenants());
        long issued = 0;
        int failed = 0;
        for (TenantBillingRow tenant : tenants) {
            try {
                issued += closePeriods(issuer, tenant, now);
                applyDuePlanChange(database, tenant, now);
            } catch (RuntimeException e) {
                failed++;
                context.systemRecords().write(tenant.tenantId(), SystemRecords.Level.ERROR, "billing",
                        "invoice.failed", "Could not invoice this tenant: " + e.getMessage(),
                        Map.of("error", e.getClass().getSimpleName()));
            }
        }
        if (failed > 0) {
            throw new IllegalStateException(failed + " tenant(s) could not be invoiced (see their system records); "
                                            + issued + " invoice(s) issued");
        }
        return issued;
    }

    static long closePeriods(InvoiceIssuer issuer, TenantBillingRow tenant, Instant now) {
        BillingPeriod period = tenant.lastPeriodEnd() != null
                ? BillingPeriod.startingAt(tenant.lastPeriodEnd(), tenant.zone())
                : BillingPeriod.containing(tenant.createdAt(), tenant.zone());
        long issued = 0;
        while (!period.end().plus(GRACE).isAfter(now)) {
            if (issuer.issue(tenant, period, now)) {
                issued++;
            }
            period = period.next();
        }
        return issued;
    }

    private void applyDuePlanChange(Database database, TenantBillingRow seen, Instant now) {
        if (seen.scheduledPlanFrom() == null || seen.scheduledPlanFrom().plus(GRACE).isAfter(now)) {
            return;
        }
        database.inTransaction(s -> {
            BillingMapper m = s.getMapper(BillingMapper.class);
            TenantBillingRow before = m.lockTenant(seen.tenantId());
            if (m.applyScheduledPlan(seen.tenantId(), now) == 1) {
                // "Before" as it stood in the last period, so the entry shows the plan it replaced.
                Instant lastPeriod = before.scheduledPlanFrom().minusSeconds(1);
                AuditLedger.record(s, seen.tenantId(), InvoiceIssuer.ACTOR, "billing_plan.applied", "tenant",
                                   seen.tenantId().toString(), BillingProtos.describe(before, catalogue, lastPeriod),
                                   BillingProtos.describe(m.tenant(seen.tenantId()), catalogue, now));
            }
            return null;
        });
    }
}
