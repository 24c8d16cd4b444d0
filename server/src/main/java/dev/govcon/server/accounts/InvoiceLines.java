package dev.govcon.server.accounts;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * What a period costs under a plan, in integer micro-dollars:
 * <ol>
 * <li>the plan's price for the period (quantity 1);</li>
 * <li>the period's runs, for information (unit price 0);</li>
 * <li>when the runs exceed the plan's included runs, the overage, billed per started block of
 * 1,000 runs at the plan's overage price (quantity = blocks, so quantity x unit price = amount
 * on every line; the description gives the exact number of runs over).</li>
 * </ol>
 * Seats are not charged (a plan's included seats are shown with the usage), and no tax is
 * computed: total = subtotal.
 */
final class InvoiceLines {
    static final long BLOCK = 1000;

    private InvoiceLines() {
    }

    static List<InvoiceLineRow> of(UUID invoiceId, PlanCatalogue.Plan plan, BillingPeriod period, long runs) {
        NumberFormat n = NumberFormat.getIntegerInstance(Locale.ENGLISH);
        List<InvoiceLineRow> lines = new ArrayList<>();
        lines.add(new InvoiceLineRow(invoiceId, 1, plan.name() + " plan, " + period.label(), 1, plan.priceMicros(),
                                     plan.priceMicros()));
        lines.add(new InvoiceLineRow(invoiceId, 2, "Runs in the period (" + n.format(plan.includedRuns())
                                                   + " included)", runs, 0, 0));
        long over = runsOver(plan, runs);
        if (over > 0) {
            long blocks = blocks(over);
            lines.add(new InvoiceLineRow(invoiceId, 3, "Runs over the plan: " + n.format(over)
                                                       + ", per started block of 1,000 runs",
                                         blocks, plan.overagePricePer1kRunsMicros(),
                                         blocks * plan.overagePricePer1kRunsMicros()));
        }
        return lines;
    }

    static long runsOver(PlanCatalogue.Plan plan, long runs) {
        return Math.max(0, runs - plan.includedRuns());
    }

    static long blocks(long runsOver) {
        return (runsOver + BLOCK - 1) / BLOCK;
    }

    /** The overage a number of runs would cost under the plan. */
    static long overageMicros(PlanCatalogue.Plan plan, long runs) {
        return blocks(runsOver(plan, runs)) * plan.overagePricePer1kRunsMicros();
    }

    static long total(List<InvoiceLineRow> lines) {
        return lines.stream().mapToLong(InvoiceLineRow::amountMicros).sum();
    }
}
