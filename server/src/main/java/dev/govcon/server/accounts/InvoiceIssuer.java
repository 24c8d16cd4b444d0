package dev.govcon.server.accounts;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.govcon.proto.v1.Actor;
import dev.govcon.server.audit.AuditLedger;
import dev.govcon.server.db.Database;
import dev.govcon.server.tenancy.MemberMapper;

/**
 * Issues one tenant's invoice for one closed period, exactly once: the invoice, its lines and
 * its audit row are written in one transaction, and the insert is
 * {@code ON CONFLICT (tenant_id, period_start) DO NOTHING}, so a second attempt (another
 * replica, a restart, a retry) writes nothing. The figures come from {@code run_rollups_hourly};
 * seats are the active members when it is issued.
 */
final class InvoiceIssuer {
    static final Actor ACTOR = Actor.newBuilder().setType(Actor.Type.SYSTEM).setId(InvoiceJob.NAME)
            .setLabel(InvoiceJob.NAME).build();
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM", Locale.ROOT);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT);

    private final Database database;
    private final PlanCatalogue catalogue;

    InvoiceIssuer(Database database, PlanCatalogue catalogue) {
        this.database = database;
        this.catalogue = catalogue;
    }

    /** True when this call issued the invoice; false when the period had one already. */
    boolean issue(TenantBillingRow tenant, BillingPeriod period, Instant now) {
        PlanCatalogue.Plan plan = BillingProtos.known(catalogue, tenant.planAt(period.start()));
        return database.inTransaction(s -> {
            BillingMapper m = s.getMapper(BillingMapper.class);
            m.lockTenantInvoicing(tenant.tenantId());
            UsageRow usage = m.usage(tenant.tenantId(), period.start(), period.end());
            int seats = s.getMapper(MemberMapper.class).countActive(tenant.tenantId());
            UUID id = UUID.randomUUID();
            List<InvoiceLineRow> lines = InvoiceLines.of(id, plan, period, usage.runs());
            long total = InvoiceLines.total(lines);
            InvoiceRow invoice = new InvoiceRow(tenant.tenantId(), id, number(tenant, period), "ISSUED",
                    period.start(), period.end(), now, null, plan.id(), catalogue.currency(), total, total,
                    usage.runs(), usage.totalTokens(), usage.costMicros(), seats, now);
            if (m.insertInvoice(invoice) == 0) {
                return false;
            }
            m.insertLines(tenant.tenantId(), id, lines);
            AuditLedger.record(s, tenant.tenantId(), ACTOR, "invoice.issued", "invoice", id.toString(), null,
                               BillingProtos.invoice(invoice, lines));
            return true;
        });
    }

    /**
     * {@code GC-<tenant>-2026-07}; a period that does not start on the 1st (the first one
     * after a time-zone change) gets its start day, so numbers stay unique per tenant.
     */
    static String number(TenantBillingRow tenant, BillingPeriod period) {
        ZonedDateTime start = period.start().atZone(period.zone());
        String when = start.getDayOfMonth() == 1 && start.toLocalTime().equals(java.time.LocalTime.MIDNIGHT)
                ? MONTH.format(start) : DAY.format(start);
        return "GC-" + tenant.tenantId().toString().substring(0, 8).toUpperCase(Locale.ROOT) + "-" + when;
    }
}
