package dev.govcon.server.accounts;

import java.time.Instant;
import java.util.UUID;

public record InvoiceRow(UUID tenantId, UUID invoiceId, String number, String status, Instant periodStart,
                         Instant periodEnd, Instant issuedAt, Instant paidAt, String planId, String currency,
                         long subtotalMicros, long totalMicros, long runs, long totalTokens,
                         long trackedSpendMicros, int seats, Instant createdAt) {
}
