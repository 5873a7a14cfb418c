package dev.tollgate.payments;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.account.AccountCustomers;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** An account's payments and invoices, newest first, from the webhook mirrors. */
@ApplicationScoped
public class PaymentQueries {

    private static final String PAYMENTS = "select pi.id, pi.amount, pi.currency, pi.status, pi.description,"
            + " coalesce(ch.payment_method_type, pi.payment_method_type) as method, ch.card_brand, ch.card_last4,"
            + " coalesce(pi.failure_message, ch.failure_message) as failure_reason,"
            + " coalesce(ch.amount_refunded, 0) as amount_refunded, ch.receipt_url, pi.created_at,"
            + " coalesce(inv.tax, (select cs.amount_tax from stripe_checkout_session cs"
            + " where cs.payment_intent_id = pi.id limit 1)) as tax"
            + " from stripe_payment_intent pi left join stripe_charge ch on ch.id = pi.latest_charge_id"
            + " left join stripe_invoice inv on inv.id = pi.invoice_id"
            + " where pi.customer_id in (" + AccountCustomers.IDS + ")"
            + " order by pi.created_at desc nulls last, pi.id desc limit $2 offset $3";
    private static final String PAYMENT_COUNT = "select count(*) from stripe_payment_intent"
            + " where customer_id in (" + AccountCustomers.IDS + ")";
    private static final String INVOICES = "select id, number, status, currency, amount_due, amount_paid,"
            + " amount_remaining, hosted_invoice_url, invoice_pdf, period_start, period_end, created_at, tax"
            + " from stripe_invoice where customer_id in (" + AccountCustomers.IDS + ")"
            + " order by created_at desc nulls last, id desc limit $2 offset $3";
    private static final String INVOICE_COUNT = "select count(*) from stripe_invoice"
            + " where customer_id in (" + AccountCustomers.IDS + ")";

    private final Pool pool;

    public PaymentQueries(Pool pool) {
        this.pool = pool;
    }

    /** @param tax the tax in {@code amount}: its invoice's, or its Checkout's; null when Stripe computed none */
    public record Payment(String id, long amount, String currency, String status, String description, String method,
            String cardBrand, String last4, String failureReason, long amountRefunded, boolean refunded,
            String receiptUrl, OffsetDateTime createdAt, Long tax) {
    }

    /** @param tax the sum of the invoice's taxes (Stripe's total_taxes); null when Stripe says nothing of tax */
    public record Invoice(String id, String number, String status, String currency, Long amountDue, Long amountPaid,
            Long amountRemaining, String hostedInvoiceUrl, String invoicePdf, OffsetDateTime periodStart,
            OffsetDateTime periodEnd, OffsetDateTime createdAt, Long tax) {
    }

    public record Page<T>(List<T> items, long total) {
    }

    public Uni<Page<Payment>> payments(String accountId, int limit, int offset) {
        return page(PAYMENTS, PAYMENT_COUNT, accountId, limit, offset, PaymentQueries::payment);
    }

    public Uni<Page<Invoice>> invoices(String accountId, int limit, int offset) {
        return page(INVOICES, INVOICE_COUNT, accountId, limit, offset, PaymentQueries::invoice);
    }

    private <T> Uni<Page<T>> page(String sql, String countSql, String accountId, int limit, int offset,
            java.util.function.Function<Row, T> mapper) {
        Uni<List<T>> items = pool.preparedQuery(sql).execute(Tuple.of(accountId, limit, offset))
                .map(rows -> map(rows, mapper));
        Uni<Long> total = pool.preparedQuery(countSql).execute(Tuple.of(accountId))
                .map(rows -> rows.iterator().next().getLong(0));
        return Uni.combine().all().unis(items, total).asTuple().map(t -> new Page<>(t.getItem1(), t.getItem2()));
    }

    private static <T> List<T> map(RowSet<Row> rows, java.util.function.Function<Row, T> mapper) {
        List<T> result = new ArrayList<>();
        rows.forEach(row -> result.add(mapper.apply(row)));
        return result;
    }

    private static Payment payment(Row row) {
        long amount = row.getLong("amount") == null ? 0 : row.getLong("amount");
        long refunded = row.getLong("amount_refunded");
        return new Payment(row.getString("id"), amount, row.getString("currency"), row.getString("status"),
                row.getString("description"), row.getString("method"), row.getString("card_brand"),
                row.getString("card_last4"), row.getString("failure_reason"), refunded, amount > 0 && refunded >= amount,
                row.getString("receipt_url"), row.getOffsetDateTime("created_at"), row.getLong("tax"));
    }

    private static Invoice invoice(Row row) {
        return new Invoice(row.getString("id"), row.getString("number"), row.getString("status"),
                row.getString("currency"), row.getLong("amount_due"), row.getLong("amount_paid"),
                row.getLong("amount_remaining"), row.getString("hosted_invoice_url"), row.getString("invoice_pdf"),
                row.getOffsetDateTime("period_start"), row.getOffsetDateTime("period_end"),
                row.getOffsetDateTime("created_at"), row.getLong("tax"));
    }
}
