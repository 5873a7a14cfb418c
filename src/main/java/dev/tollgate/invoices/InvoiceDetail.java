package dev.tollgate.invoices;

import static dev.tollgate.common.Json.longValue;
import static dev.tollgate.common.Json.text;
import static dev.tollgate.common.Json.time;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** An invoice as a receipt page shows it: its lines, tax and the links to Stripe's page and PDF. */
public record InvoiceDetail(String id, String number, String status, String currency, Long subtotal, Long tax,
        Long total, Long amountDue, Long amountPaid, Long amountRemaining, String hostedInvoiceUrl, String invoicePdf,
        String subscriptionId, String billingReason, OffsetDateTime createdAt, List<Line> lines) {

    public record Line(String id, String description, Long amount, Long quantity, String currency, Boolean proration,
            OffsetDateTime periodStart, OffsetDateTime periodEnd) {
    }

    /** Read from the invoice's JSON (dahlia shapes: taxes under total_taxes, proration under parent.*_details). */
    public static InvoiceDetail of(JsonNode invoice) {
        List<Line> lines = new ArrayList<>();
        for (JsonNode line : invoice.path("lines").path("data")) {
            JsonNode parent = line.path("parent");
            JsonNode details = parent.path(parent.path("type").asText(""));
            lines.add(new Line(text(line, "id"), text(line, "description"), longValue(line, "amount"),
                    longValue(line, "quantity"), text(line, "currency"),
                    details.has("proration") ? details.path("proration").asBoolean() : null,
                    time(line.path("period"), "start"), time(line.path("period"), "end")));
        }
        return new InvoiceDetail(text(invoice, "id"), text(invoice, "number"), text(invoice, "status"),
                text(invoice, "currency"), longValue(invoice, "subtotal"), tax(invoice), longValue(invoice, "total"),
                longValue(invoice, "amount_due"), longValue(invoice, "amount_paid"),
                longValue(invoice, "amount_remaining"), text(invoice, "hosted_invoice_url"),
                text(invoice, "invoice_pdf"), PaymentActions.subscription(invoice), text(invoice, "billing_reason"),
                time(invoice, "created"), lines);
    }

    /** The sum of the invoice's taxes; without any, what the total holds beyond the total excluding tax. */
    private static Long tax(JsonNode invoice) {
        JsonNode taxes = invoice.path("total_taxes");
        if (taxes.isArray()) {
            long sum = 0;
            for (JsonNode tax : taxes) {
                sum += tax.path("amount").asLong(0);
            }
            return sum;
        }
        Long total = longValue(invoice, "total");
        Long excluding = longValue(invoice, "total_excluding_tax");
        return total != null && excluding != null ? total - excluding : 0L;
    }
}
