package dev.tollgate.invoices;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.account.AccountCustomers;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The account's pending payment action, read from the database only: an invoice that needed authentication
 * is pending while its mirrored invoice is open and its payment intent (when known) still waits for the customer.
 * Paid, voided or uncollectible, or its payment succeeding or canceled, resolves it.
 */
@ApplicationScoped
public class PaymentActionQueries {

    private static final String PENDING = "select a.invoice_id, a.client_secret,"
            + " coalesce(i.hosted_invoice_url, a.hosted_invoice_url) as hosted_invoice_url,"
            + " coalesce(i.amount_remaining, a.amount) as amount, coalesce(i.currency, a.currency) as currency"
            + " from payment_action a join stripe_invoice i on i.id = a.invoice_id"
            + " left join stripe_payment_intent pi on pi.id = a.payment_intent_id"
            + " where a.customer_id in (" + AccountCustomers.IDS + ") and i.status = 'open'"
            + " and (pi.status is null or pi.status in ('requires_action', 'requires_payment_method',"
            + " 'requires_confirmation'))"
            + " order by a.created_at desc, a.invoice_id desc limit 1";

    private final Pool pool;

    public PaymentActionQueries(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<PaymentAction>> pending(String accountId) {
        return pool.preparedQuery(PENDING).execute(Tuple.of(accountId))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
    }

    private static PaymentAction map(Row row) {
        return new PaymentAction(PaymentAction.CONFIRM_PAYMENT, row.getString("invoice_id"),
                row.getString("client_secret"), row.getString("hosted_invoice_url"), row.getLong("amount"),
                row.getString("currency"));
    }
}
