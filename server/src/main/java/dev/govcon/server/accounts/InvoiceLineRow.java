package dev.govcon.server.accounts;

import java.util.UUID;

public record InvoiceLineRow(UUID invoiceId, int lineNo, String description, long quantity, long unitPriceMicros,
                             long amountMicros) {
}
