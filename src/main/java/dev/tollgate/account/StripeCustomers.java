package dev.tollgate.account;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeForm;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * One Stripe customer per account, created race-free: concurrent first checkouts of one account (on
 * any replica) queue on a transaction-scoped advisory lock, so only the first creates; the Stripe
 * idempotency key derived from the account makes even a retried create return the same customer.
 */
@ApplicationScoped
public class StripeCustomers {

    private static final String LOCK = "select pg_advisory_xact_lock(hashtextextended('account:' || $1, 0))";
    private static final String FIND = "select stripe_customer_id from account where id = $1";
    private static final String SAVE = "insert into account (id, stripe_customer_id, email) values ($1, $2, $3)"
            + " on conflict (id) do update set stripe_customer_id = coalesce(account.stripe_customer_id,"
            + " excluded.stripe_customer_id), updated_at = now() returning stripe_customer_id";

    private final Pool pool;
    private final StripeApi stripe;

    public StripeCustomers(Pool pool, StripeApi stripe) {
        this.pool = pool;
        this.stripe = stripe;
    }

    /** The account's Stripe customer id, created on first use. */
    public Uni<String> customerFor(String accountId, String email) {
        return pool.withTransaction(tx -> tx.preparedQuery(LOCK).execute(Tuple.of(accountId))
                .flatMap(x -> tx.preparedQuery(FIND).execute(Tuple.of(accountId)))
                .flatMap(rows -> {
                    String existing = rows.rowCount() == 0 ? null
                            : rows.iterator().next().getString("stripe_customer_id");
                    if (existing != null) {
                        return Uni.createFrom().item(existing);
                    }
                    StripeForm form = new StripeForm().add("metadata[account_id]", accountId).add("email", email);
                    return stripe.post("customers.create", "/v1/customers", form, "tollgate-customer-" + accountId)
                            .flatMap(customer -> tx.preparedQuery(SAVE)
                                    .execute(Tuple.of(accountId, customer.path("id").asText(), email))
                                    .map(saved -> saved.iterator().next().getString("stripe_customer_id")));
                }));
    }
}
