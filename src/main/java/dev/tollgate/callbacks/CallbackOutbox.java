package dev.tollgate.callbacks;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The callback outbox table (V8): claiming due callbacks, recording attempts, the operator's reads. */
@ApplicationScoped
public class CallbackOutbox {

    /**
     * Claims due callbacks and leases them in one short statement: SKIP LOCKED lets concurrent workers (and
     * replicas) claim disjoint rows, and the lease (next_attempt_at in the future) keeps them from claiming
     * the row again while it is being delivered, without a transaction held open across the HTTP calls.
     */
    private static final String CLAIM = "with due as (select id from callback_outbox"
            + " where status = 'pending' and next_attempt_at <= now() order by next_attempt_at, seq limit $1"
            + " for update skip locked)"
            + " update callback_outbox o set attempts = o.attempts + 1,"
            + " next_attempt_at = now() + make_interval(secs => $2), updated_at = now()"
            + " from due where o.id = due.id"
            + " returning o.id, o.type, o.account_id, o.data::text as data, o.created_at, o.attempts, o.delivered_urls";
    /** Only the claim that is still current records its outcome (an operator may have reset the row meanwhile). */
    private static final String RECORD = "update callback_outbox set status = $3, delivered_urls = $4, last_error = $5,"
            + " delivered_at = case when $3 = 'delivered' then now() end,"
            + " next_attempt_at = now() + make_interval(secs => $6), updated_at = now()"
            + " where id = $1 and attempts = $2 and status = 'pending'";
    private static final String REDELIVER = "update callback_outbox set status = 'pending', attempts = 0,"
            + " next_attempt_at = now(), last_error = null, delivered_at = null,"
            + " delivered_urls = case when status = 'delivered' then '{}'::text[] else delivered_urls end,"
            + " updated_at = now() where id = $1 returning id";
    private static final String COLUMNS = "id, type, account_id, data::text as data, status, attempts, created_at,"
            + " next_attempt_at, delivered_at, last_error, delivered_urls";
    private static final String FILTER = " from callback_outbox where ($1::text is null or status = $1)"
            + " and ($2::text is null or type = $2) and ($3::text is null or account_id = $3)";

    /** A callback a worker has leased for one delivery attempt. {@code attempt} counts this one. */
    public record Claimed(String id, String type, String accountId, String data, OffsetDateTime created, int attempt,
            List<String> deliveredUrls) {
    }

    /** A callback as the operator sees it. */
    public record Stored(String id, String type, String accountId, String data, String status, int attempts,
            OffsetDateTime createdAt, OffsetDateTime nextAttemptAt, OffsetDateTime deliveredAt, String lastError,
            List<String> deliveredUrls) {
    }

    public record Filter(String status, String type, String account) {
    }

    private final Pool pool;

    public CallbackOutbox(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Claimed>> claim(int limit, Duration lease) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(limit, (double) lease.toMillis() / 1000)).map(rows -> {
            List<Claimed> claimed = new ArrayList<>();
            for (Row row : rows) {
                claimed.add(new Claimed(row.getString("id"), row.getString("type"), row.getString("account_id"),
                        row.getString("data"), row.getOffsetDateTime("created_at"), row.getInteger("attempts"),
                        urls(row)));
            }
            return claimed;
        });
    }

    /** Records an attempt's outcome; answers false when the claim was no longer current. */
    public Uni<Boolean> record(Claimed claimed, String status, List<String> deliveredUrls, String lastError,
            Duration retryIn) {
        return pool.preparedQuery(RECORD).execute(Tuple.tuple().addString(claimed.id()).addInteger(claimed.attempt())
                .addString(status).addArrayOfString(deliveredUrls.toArray(String[]::new)).addString(lastError)
                .addDouble((double) retryIn.toMillis() / 1000)).map(rows -> rows.rowCount() == 1);
    }

    /** Makes a callback due again with a fresh attempt budget; false when there is no such callback. */
    public Uni<Boolean> redeliver(String id) {
        return pool.preparedQuery(REDELIVER).execute(Tuple.of(id)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<List<Stored>> list(Filter filter, int limit, int offset) {
        return pool.preparedQuery("select " + COLUMNS + FILTER + " order by seq desc limit $4 offset $5")
                .execute(Tuple.of(filter.status(), filter.type(), filter.account(), limit, offset))
                .map(rows -> {
                    List<Stored> page = new ArrayList<>();
                    rows.forEach(row -> page.add(stored(row)));
                    return page;
                });
    }

    public Uni<Long> count(Filter filter) {
        return pool.preparedQuery("select count(*)" + FILTER)
                .execute(Tuple.of(filter.status(), filter.type(), filter.account()))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Optional<Stored>> find(String id) {
        return pool.preparedQuery("select " + COLUMNS + " from callback_outbox where id = $1").execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(stored(rows.iterator().next())));
    }

    /** Deletes delivered callbacks delivered before {@code age} ago; answers how many. */
    public Uni<Integer> purgeDelivered(Duration age) {
        return pool.preparedQuery("delete from callback_outbox where status = 'delivered'"
                + " and delivered_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) age.toSeconds())).map(rows -> rows.rowCount());
    }

    public Uni<Long> pending() {
        return pool.query("select count(*) from callback_outbox where status = 'pending'").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private static Stored stored(Row row) {
        return new Stored(row.getString("id"), row.getString("type"), row.getString("account_id"),
                row.getString("data"), row.getString("status"), row.getInteger("attempts"),
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("next_attempt_at"),
                row.getOffsetDateTime("delivered_at"), row.getString("last_error"), urls(row));
    }

    private static List<String> urls(Row row) {
        String[] urls = row.getArrayOfStrings("delivered_urls");
        return urls == null ? List.of() : Arrays.asList(urls);
    }
}
