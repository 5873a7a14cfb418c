package dev.tollgate.subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.account.AccountCustomers;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads an account's subscription from the webhook mirrors ({@link AccountCustomers}). A live subscription wins over ended
 * ones; among equals, the one Stripe changed last.
 */
@ApplicationScoped
public class SubscriptionQueries {

    private static final String OF_ACCOUNT = "select s.id, s.customer_id, s.status, s.price_id, s.quantity,"
            + " s.current_period_start, s.current_period_end, s.trial_end, s.cancel_at_period_end, s.cancel_at,"
            + " s.ended_at from stripe_subscription s where s.customer_id in (" + AccountCustomers.IDS + ")";
    private static final String CURRENT = OF_ACCOUNT
            + " order by case s.status when 'active' then 0 when 'trialing' then 0 when 'past_due' then 1"
            + " when 'unpaid' then 2 when 'paused' then 2 when 'incomplete' then 3 else 4 end,"
            + " s.version_created desc limit 1";

    private final Pool pool;

    public SubscriptionQueries(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<CurrentSubscription>> current(String accountId) {
        return pool.preparedQuery(CURRENT).execute(Tuple.of(accountId)).map(rows -> rows.rowCount() == 0
                ? Optional.empty()
                : Optional.of(map(rows.iterator().next())));
    }

    /** Every subscription the account ever had, the one Stripe changed last first. */
    public Uni<List<CurrentSubscription>> history(String accountId) {
        return pool.preparedQuery(OF_ACCOUNT + " order by s.version_created desc, s.id desc")
                .execute(Tuple.of(accountId)).map(rows -> {
                    List<CurrentSubscription> result = new ArrayList<>();
                    rows.forEach(row -> result.add(map(row)));
                    return result;
                });
    }

    /** The subscription's item a plan change replaces (Tollgate's subscriptions have one). */
    public Uni<Optional<String>> firstItemId(String subscriptionId) {
        return pool.preparedQuery("select id from stripe_subscription_item where subscription_id = $1 order by id limit 1")
                .execute(Tuple.of(subscriptionId))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty()
                        : Optional.of(rows.iterator().next().getString("id")));
    }

    /** Maps a row with the columns of {@link CurrentSubscription} (as the queries here select them). */
    public static CurrentSubscription map(Row row) {
        return new CurrentSubscription(row.getString("id"), row.getString("customer_id"), row.getString("status"),
                row.getString("price_id"), row.getLong("quantity"), row.getOffsetDateTime("current_period_start"),
                row.getOffsetDateTime("current_period_end"), row.getOffsetDateTime("trial_end"),
                Boolean.TRUE.equals(row.getBoolean("cancel_at_period_end")), row.getOffsetDateTime("cancel_at"),
                row.getOffsetDateTime("ended_at"));
    }
}
