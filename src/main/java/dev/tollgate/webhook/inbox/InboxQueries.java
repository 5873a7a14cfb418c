package dev.tollgate.webhook.inbox;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.account.AccountCustomers;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Read access to the inbox for operators: what arrived, what is stuck, and why. */
@ApplicationScoped
public class InboxQueries {

    private static final String FILTER = " from stripe_event where ($1::text is null or status = $1)"
            + " and ($2::text is null or type = $2)"
            + " and ($3::timestamptz is null or received_at >= $3)"
            + " and ($4::timestamptz is null or received_at < $4)";
    private static final String COLUMNS = "id, type, object_type, object_id, status, attempts, created, api_version,"
            + " source, received_at, processed_at, next_attempt_at, last_error";
    /**
     * Ids of every mirrored object that belongs to the account's customers ($1 = account id): the customers
     * themselves, their subscriptions, invoices, payments, charges, Checkout Sessions, and the refunds and
     * disputes of their payments. Each lookup uses a customer_id (or payment_intent_id) index.
     */
    private static final String ACCOUNT_OBJECTS = "with customers(id) as (" + AccountCustomers.IDS + "),"
            + " intents(id) as (select id from stripe_payment_intent where customer_id in (select id from customers))"
            + " select id from customers"
            + " union all select id from stripe_subscription where customer_id in (select id from customers)"
            + " union all select id from stripe_invoice where customer_id in (select id from customers)"
            + " union all select id from intents"
            + " union all select id from stripe_charge where customer_id in (select id from customers)"
            + " union all select id from stripe_checkout_session where customer_id in (select id from customers)"
            + " or client_reference_id = $1"
            + " union all select id from stripe_refund where payment_intent_id in (select id from intents)"
            + " union all select id from stripe_dispute where payment_intent_id in (select id from intents)";

    private final Pool pool;

    public InboxQueries(Pool pool) {
        this.pool = pool;
    }

    /** A filter over the inbox; null fields do not filter. */
    public record Filter(String status, String type, OffsetDateTime from, OffsetDateTime to) {
        Tuple params() {
            return Tuple.of(status, type, from, to);
        }
    }

    /** One inbox row without its payload. */
    public record Summary(String id, String type, String objectType, String objectId, String status, int attempts,
            long created, String apiVersion, String source, OffsetDateTime receivedAt, OffsetDateTime processedAt,
            OffsetDateTime nextAttemptAt, String lastError) {
    }

    public record Page(List<Summary> items, long total) {
    }

    public Uni<Page> list(Filter filter, int limit, int offset) {
        Tuple page = filter.params().addInteger(limit).addInteger(offset);
        Uni<List<Summary>> items = pool
                .preparedQuery("select " + COLUMNS + FILTER + " order by received_at desc, seq desc limit $5 offset $6")
                .execute(page)
                .map(rows -> {
                    List<Summary> result = new ArrayList<>();
                    rows.forEach(row -> result.add(summary(row)));
                    return result;
                });
        Uni<Long> total = pool.preparedQuery("select count(*)" + FILTER).execute(filter.params())
                .map(rows -> rows.iterator().next().getLong(0));
        return Uni.combine().all().unis(items, total).asTuple().map(t -> new Page(t.getItem1(), t.getItem2()));
    }

    /** The row and its stored payload (the exact bytes Stripe signed). */
    public Uni<Optional<Detail>> find(String id) {
        return pool.preparedQuery("select " + COLUMNS + ", payload from stripe_event join stripe_event_payload"
                + " using (id) where id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 0
                        ? Optional.empty()
                        : Optional.of(new Detail(summary(rows.iterator().next()),
                                rows.iterator().next().getString("payload"))));
    }

    public record Detail(Summary summary, String payload) {
    }

    /** The newest inbox events about the account's Stripe objects, without payloads. */
    public Uni<List<Summary>> touchingAccount(String accountId, int limit) {
        return pool.preparedQuery("select " + COLUMNS + " from stripe_event where object_id in (" + ACCOUNT_OBJECTS
                + ") order by received_at desc, seq desc limit $2").execute(Tuple.of(accountId, limit))
                .map(rows -> {
                    List<Summary> result = new ArrayList<>();
                    rows.forEach(row -> result.add(summary(row)));
                    return result;
                });
    }

    private static Summary summary(Row row) {
        return new Summary(row.getString("id"), row.getString("type"), row.getString("object_type"),
                row.getString("object_id"), row.getString("status"),
                row.getInteger("attempts"), row.getLong("created"), row.getString("api_version"),
                row.getString("source"), row.getOffsetDateTime("received_at"), row.getOffsetDateTime("processed_at"),
                row.getOffsetDateTime("next_attempt_at"), row.getString("last_error"));
    }
}
