package dev.govcon.server.accounts;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

public interface BillingMapper extends Mapper {

    TenantBillingRow tenant(@Param("tenantId") UUID tenantId);

    /** The tenant row locked: plan changes of one tenant happen one at a time. */
    TenantBillingRow lockTenant(@Param("tenantId") UUID tenantId);

    /** Every tenant, for the invoice job (server-wide, like the other jobs). */
    List<TenantBillingRow> allTenants();

    /** Sets (or, with nulls, clears) the plan change waiting for the next period. */
    int schedulePlan(@Param("tenantId") UUID tenantId, @Param("planId") String planId, @Param("from") Instant from);

    /** Moves a scheduled plan whose period has begun into plan_id; 1 when it did. */
    int applyScheduledPlan(@Param("tenantId") UUID tenantId, @Param("now") Instant now);

    /** Finished runs of the rollup hours [from, to). */
    UsageRow usage(@Param("tenantId") UUID tenantId, @Param("from") Instant from, @Param("to") Instant to);

    /** Keys not revoked and not expired at {@code now}. */
    int activeKeys(@Param("tenantId") UUID tenantId, @Param("now") Instant now);

    /** 1 when inserted; 0 when the tenant already has an invoice for this period. */
    /** Until the transaction ends, other issuers of this tenant's invoices wait (see the XML). */
    String lockTenantInvoicing(@Param("tenantId") UUID tenantId);

    int insertInvoice(InvoiceRow invoice);

    void insertLines(@Param("tenantId") UUID tenantId, @Param("invoiceId") UUID invoiceId,
                     @Param("lines") List<InvoiceLineRow> lines);

    InvoiceRow findInvoice(@Param("tenantId") UUID tenantId, @Param("invoiceId") UUID invoiceId);

    InvoiceRow findInvoiceForPeriod(@Param("tenantId") UUID tenantId, @Param("periodStart") Instant periodStart);

    /** Newest period first, after the (periodStart, id) cursor when given. */
    List<InvoiceRow> listInvoices(@Param("tenantId") UUID tenantId, @Param("status") String status,
                                  @Param("afterAt") Instant afterAt, @Param("afterId") UUID afterId,
                                  @Param("limit") int limit);

    List<InvoiceLineRow> lines(@Param("tenantId") UUID tenantId, @Param("invoiceIds") Collection<UUID> invoiceIds);
}
