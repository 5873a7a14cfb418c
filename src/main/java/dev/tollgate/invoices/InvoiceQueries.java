package dev.tollgate.invoices;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.account.AccountCustomers;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** One of the account's invoices as mirrored (its raw JSON, as Stripe last sent it). */
@ApplicationScoped
public class InvoiceQueries {

    private static final String OWN = "select raw from stripe_invoice where id = $2 and customer_id in ("
            + AccountCustomers.IDS + ")";
    private static final String OWN_METHOD = "select 1 from stripe_payment_method where id = $2 and customer_id in ("
            + AccountCustomers.IDS + ")";

    private final Pool pool;

    public InvoiceQueries(Pool pool) {
        this.pool = pool;
    }

    /** The invoice's raw JSON when it is one of the account's; empty for any other id. */
    public Uni<Optional<String>> own(String accountId, String invoiceId) {
        return pool.preparedQuery(OWN).execute(Tuple.of(accountId, invoiceId)).map(rows -> rows.rowCount() == 0
                ? Optional.empty()
                : Optional.of(rows.iterator().next().getString("raw")));
    }

    /** Whether the payment method is saved on one of the account's customers (as mirrored). */
    public Uni<Boolean> ownPaymentMethod(String accountId, String paymentMethodId) {
        return pool.preparedQuery(OWN_METHOD).execute(Tuple.of(accountId, paymentMethodId))
                .map(rows -> rows.rowCount() > 0);
    }
}
