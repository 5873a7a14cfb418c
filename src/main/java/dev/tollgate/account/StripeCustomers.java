package dev.tollgate.account;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.common.ProblemException;
import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeForm;
import dev.tollgate.stripe.StripeKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * One Stripe customer per account, created race-free without holding a database connection while Stripe
 * answers (a pooled connection held for Stripe's 20 s timeout starves the webhook inbox). Concurrent first
 * uses of an account, on any replica, all ask Stripe with the same idempotency key derived from the
 * account, so Stripe creates one customer and answers it to each of them; the guarded insert then keeps
 * whichever id was stored first, and every caller answers with the stored one.
 */
@ApplicationScoped
public class StripeCustomers {

    private static final String FIND = "select stripe_customer_id from account where id = $1";
    private static final String SAVE = "insert into account (id, stripe_customer_id, email) values ($1, $2, $3)"
            + " on conflict (id) do update set stripe_customer_id = coalesce(account.stripe_customer_id,"
            + " excluded.stripe_customer_id), updated_at = now() returning stripe_customer_id";
    /** How long a refused concurrent create waits before looking for the customer the other one stored. */
    private static final Duration SETTLE = Duration.ofSeconds(1);

    private final Pool pool;
    private final StripeApi stripe;

    public StripeCustomers(Pool pool, StripeApi stripe) {
        this.pool = pool;
        this.stripe = stripe;
    }

    /**
     * The account's Stripe customer id, created on first use.
     *
     * @param email the customer's email for a new customer, or null to create it without one
     */
    public Uni<String> customerFor(String accountId, String email) {
        return stored(accountId).flatMap(existing -> existing != null
                ? Uni.createFrom().item(existing)
                : create(accountId, email).onFailure(StripeCustomers::refusedByStripe)
                        .recoverWithUni(refused -> Uni.createFrom().voidItem().onItem().delayIt().by(SETTLE)
                                .flatMap(x -> stored(accountId))
                                .flatMap(stored -> stored != null ? Uni.createFrom().item(stored)
                                        : create(accountId, email))));
    }

    private Uni<String> stored(String accountId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(accountId)).map(rows -> {
            Row row = rows.rowCount() == 0 ? null : rows.iterator().next();
            return row == null ? null : row.getString("stripe_customer_id");
        });
    }

    private Uni<String> create(String accountId, String email) {
        StripeForm form = new StripeForm().add("metadata[account_id]", accountId).add("email", email);
        return stripe.post("customers.create", "/v1/customers", form, StripeKeys.of("tollgate-customer", accountId))
                .flatMap(customer -> pool.preparedQuery(SAVE)
                        .execute(Tuple.of(accountId, customer.path("id").asText(), email))
                        .map(saved -> saved.iterator().next().getString("stripe_customer_id")));
    }

    /**
     * Stripe refuses a key that is in use by a request still in flight (409) or was used with other
     * parameters (another email): both mean a concurrent first use of the account, whose customer is
     * about to be stored.
     */
    private static boolean refusedByStripe(Throwable failure) {
        return failure instanceof ProblemException problem && problem.problem().status() == 400
                && problem.problem().type().endsWith("/stripe-invalid-request");
    }
}
