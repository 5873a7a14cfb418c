package dev.tollgate.account;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The currency an account is bound to. Stripe fixes a customer's currency with its first subscription or invoice
 * and refuses subscriptions and invoices in any other afterwards; the customer mirror holds that currency, and a
 * paid invoice (whose customer event may not have arrived yet) says the same. Unbound accounts may choose.
 */
@ApplicationScoped
public class AccountCurrency {

    private static final String SQL = "select currency, source from ("
            + " select c.currency, 'customer' as source, 0 as pref, c.updated_at as at from stripe_customer c"
            + " where c.id in (" + AccountCustomers.IDS + ") and c.currency is not null"
            + " union all select i.currency, 'paid_invoice', 1, i.created_at from stripe_invoice i"
            + " where i.customer_id in (" + AccountCustomers.IDS + ") and i.status = 'paid' and i.currency is not null"
            + ") bound order by pref, at limit 1";

    /** @param source where it was read: the Stripe customer ("customer") or a paid invoice ("paid_invoice") */
    public record Bound(String currency, String source) {
    }

    private final Pool pool;

    public AccountCurrency(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<Bound>> of(String accountId) {
        return pool.preparedQuery(SQL).execute(Tuple.of(accountId)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row row = rows.iterator().next();
            return Optional.of(new Bound(row.getString("currency").toLowerCase(java.util.Locale.ROOT),
                    row.getString("source")));
        });
    }
}
