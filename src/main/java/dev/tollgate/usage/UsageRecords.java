package dev.tollgate.usage;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The usage_record table (V12_1): inserting once per key, the sender's claims and outcomes, period sums. */
@ApplicationScoped
class UsageRecords {

    static final String API = "api";
    static final String OVERAGE = "overage";

    private static final String COLUMNS = "id, account_id, source, idempotency_key, meter, value, occurred_at,"
            + " identifier, status, created_at";
    private static final String INSERT = "insert into usage_record (account_id, source, idempotency_key, meter,"
            + " event_name, customer_id, value, occurred_at) select * from unnest($1::text[], $2::text[], $3::text[],"
            + " $4::text[], $5::text[], $6::text[], $7::bigint[], $8::timestamptz[])"
            + " on conflict (account_id, source, idempotency_key) do nothing returning " + COLUMNS;
    private static final String BY_KEYS = "select " + COLUMNS + " from usage_record u join unnest($1::text[],"
            + " $2::text[], $3::text[]) as k(account_id, source, idempotency_key) using (account_id, source,"
            + " idempotency_key)";
    /**
     * Locks due records for the round's transaction ({@link UsageSender}): SKIP LOCKED gives concurrent senders
     * (replicas) disjoint rows, and the lock, not a lease written to the row, keeps them off while it is sent,
     * so a delivered record is written once (its outcome), not twice. A sender that dies mid-round leaves
     * nothing behind: its transaction ends with its connection and the records are due at once.
     */
    private static final String DUE = "select id, event_name, customer_id, value, occurred_at, identifier,"
            + " attempts + 1 as attempt from usage_record where status = 'pending' and next_attempt_at <= now()"
            + " order by next_attempt_at, id limit $1 for update skip locked";
    private static final String SENT = "update usage_record set status = 'sent', sent_at = now(), last_error = null,"
            + " attempts = attempts + 1 where id = any($1)";
    private static final String RETRY = "update usage_record u set last_error = r.error, attempts = u.attempts + 1,"
            + " next_attempt_at = now() + make_interval(secs => r.delay)"
            + " from unnest($1::bigint[], $2::text[], $3::float8[]) as r(id, error, delay) where u.id = r.id";
    private static final String FAILED = "update usage_record u set status = 'failed', last_error = r.error,"
            + " attempts = u.attempts + 1 from unnest($1::bigint[], $2::text[]) as r(id, error) where u.id = r.id";
    private static final String PERIOD = "select meter, coalesce(sum(value), 0)::bigint as total, count(*) as records"
            + " from usage_record where account_id = $1 and ($2::text is null or meter = $2)"
            + " and occurred_at >= $3 and occurred_at < $4 group by meter order by meter";

    /** A record to store. */
    record NewRecord(String accountId, String source, String key, String meter, String eventName, String customerId,
            long value, OffsetDateTime occurredAt) {
    }

    /** A stored record; {@code identifier} is the meter event's identifier in Stripe. */
    record Stored(long id, String accountId, String source, String key, String meter, long value,
            OffsetDateTime occurredAt, String identifier, String status, OffsetDateTime createdAt) {
    }

    /** A record locked for one delivery attempt; {@code attempt} counts this one. */
    record Claimed(long id, String eventName, String customerId, long value, OffsetDateTime occurredAt,
            String identifier, int attempt) {
    }

    /** An attempt that did not deliver: the record, the error, and when to try again (retry only). */
    record Outcome(Claimed record, String error, Duration retryIn) {
    }

    /** One meter's usage in a period. */
    record MeterTotal(String meter, long total, long records) {
    }

    private final Pool pool;

    UsageRecords(Pool pool) {
        this.pool = pool;
    }

    /**
     * Inserts the records whose key is new; answers, per record in order, its stored row and whether this
     * insert wrote it (a key already stored, or repeated earlier in the list, answers the stored row).
     */
    Uni<List<Written>> insert(SqlClient client, List<NewRecord> records) {
        return client.preparedQuery(INSERT).execute(Tuple.wrap(new ArrayList<Object>(List.of(
                records.stream().map(NewRecord::accountId).toArray(String[]::new),
                records.stream().map(NewRecord::source).toArray(String[]::new),
                records.stream().map(NewRecord::key).toArray(String[]::new),
                records.stream().map(NewRecord::meter).toArray(String[]::new),
                records.stream().map(NewRecord::eventName).toArray(String[]::new),
                records.stream().map(NewRecord::customerId).toArray(String[]::new),
                records.stream().map(NewRecord::value).toArray(Long[]::new),
                records.stream().map(NewRecord::occurredAt).toArray(OffsetDateTime[]::new))))).flatMap(inserted -> {
                    Map<List<String>, Stored> fresh = new HashMap<>();
                    inserted.forEach(row -> fresh.put(keyOf(row), stored(row)));
                    List<NewRecord> others = records.stream().filter(r -> !fresh.containsKey(keyOf(r))).toList();
                    if (others.isEmpty()) {
                        return Uni.createFrom().item(written(records, fresh, Map.of()));
                    }
                    return byKeys(client, others).map(existing -> written(records, fresh, existing));
                });
    }

    /** A record and whether this insert wrote it. */
    record Written(Stored stored, boolean created) {
    }

    private static List<Written> written(List<NewRecord> records, Map<List<String>, Stored> fresh,
            Map<List<String>, Stored> existing) {
        List<Written> answers = new ArrayList<>(records.size());
        java.util.Set<List<String>> answered = new java.util.HashSet<>();
        for (NewRecord record : records) {
            List<String> key = keyOf(record);
            Stored created = fresh.get(key);
            if (created != null) {
                answers.add(new Written(created, answered.add(key)));
            } else {
                answers.add(new Written(existing.get(key), false));
            }
        }
        return answers;
    }

    private Uni<Map<List<String>, Stored>> byKeys(SqlClient client, List<NewRecord> records) {
        return client.preparedQuery(BY_KEYS).execute(Tuple.of(
                records.stream().map(NewRecord::accountId).toArray(String[]::new),
                records.stream().map(NewRecord::source).toArray(String[]::new),
                records.stream().map(NewRecord::key).toArray(String[]::new))).map(rows -> {
                    Map<List<String>, Stored> found = new HashMap<>();
                    rows.forEach(row -> found.put(keyOf(row), stored(row)));
                    return found;
                });
    }

    /** The overage recorded for consumption keys of one account, in the caller's transaction. */
    Uni<Map<String, Long>> overage(SqlClient tx, String accountId, String[] keys) {
        return tx.preparedQuery("select idempotency_key, value from usage_record where account_id = $1"
                + " and source = 'overage' and idempotency_key = any($2)").execute(Tuple.of(accountId, keys))
                .map(rows -> {
                    Map<String, Long> values = new HashMap<>();
                    rows.forEach(row -> values.put(row.getString("idempotency_key"), row.getLong("value")));
                    return values;
                });
    }

    /** Due records, locked until the transaction of {@code tx} ends. */
    Uni<List<Claimed>> lockDue(SqlClient tx, int limit) {
        return tx.preparedQuery(DUE).execute(Tuple.of(limit)).map(rows -> {
            List<Claimed> claimed = new ArrayList<>();
            rows.forEach(row -> claimed.add(new Claimed(row.getLong("id"), row.getString("event_name"),
                    row.getString("customer_id"), row.getLong("value"), row.getOffsetDateTime("occurred_at"),
                    row.getString("identifier"), row.getInteger("attempt"))));
            return claimed;
        });
    }

    Uni<Void> sent(SqlClient tx, List<Long> ids) {
        return ids.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(SENT).execute(Tuple.of(ids.toArray(Long[]::new))).replaceWithVoid();
    }

    /** Each record due again after its delay, with the attempt's error. */
    Uni<Void> retry(SqlClient tx, List<Outcome> outcomes) {
        return outcomes.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(RETRY).execute(Tuple.of(ids(outcomes), errors(outcomes),
                        outcomes.stream().map(o -> (double) o.retryIn().toMillis() / 1000).toArray(Double[]::new)))
                        .replaceWithVoid();
    }

    /** Records Stripe refused: final. */
    Uni<Void> failed(SqlClient tx, List<Outcome> outcomes) {
        return outcomes.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(FAILED).execute(Tuple.of(ids(outcomes), errors(outcomes))).replaceWithVoid();
    }

    private static Long[] ids(List<Outcome> outcomes) {
        return outcomes.stream().map(o -> o.record().id()).toArray(Long[]::new);
    }

    private static String[] errors(List<Outcome> outcomes) {
        return outcomes.stream().map(Outcome::error).toArray(String[]::new);
    }

    /** Each meter's usage of the account with occurred_at in [from, to). */
    Uni<List<MeterTotal>> totals(String accountId, String meter, OffsetDateTime from, OffsetDateTime to) {
        return pool.preparedQuery(PERIOD).execute(Tuple.of(accountId, meter, from, to)).map(rows -> {
            List<MeterTotal> totals = new ArrayList<>();
            rows.forEach(row -> totals.add(new MeterTotal(row.getString("meter"), row.getLong("total"),
                    row.getLong("records"))));
            return totals;
        });
    }

    /** Records by delivery status, for the metrics. */
    Uni<Map<String, Long>> countsByStatus() {
        return pool.query("select (select count(*) from usage_record where status = 'pending'),"
                + " (select count(*) from usage_record where status = 'failed')").execute().map(rows -> {
                    Row row = rows.iterator().next();
                    return Map.of("pending", row.getLong(0), "failed", row.getLong(1));
                });
    }

    private static Stored stored(Row row) {
        return new Stored(row.getLong("id"), row.getString("account_id"), row.getString("source"),
                row.getString("idempotency_key"), row.getString("meter"), row.getLong("value"),
                row.getOffsetDateTime("occurred_at"), row.getString("identifier"), row.getString("status"),
                row.getOffsetDateTime("created_at"));
    }

    private static List<String> keyOf(Row row) {
        return List.of(row.getString("account_id"), row.getString("source"), row.getString("idempotency_key"));
    }

    private static List<String> keyOf(NewRecord record) {
        return List.of(record.accountId(), record.source(), record.key());
    }
}
