package dev.tollgate.credits;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Appends to the credit ledger, exactly once per source key, keeping the running balance in step.
 * Every write is one transaction: entry first (its unique key decides "first time or repeat", and
 * makes a concurrent repeat wait for the first to commit), then the balance row (its row lock
 * serializes debits of one account, and its check keeps it from going negative).
 */
@ApplicationScoped
public class CreditLedger {

    private static final String INSERT = "insert into credit_ledger (account_id, kind, amount, balance_after, source_key,"
            + " reason, actor) values ($1, $2, $3, 0, $4, $5, $6) on conflict (source_key) do nothing returning id";
    private static final String CREDIT = "insert into credit_balance (account_id, balance) values ($1, greatest($2, 0))"
            + " on conflict (account_id) do update set balance = greatest(credit_balance.balance + $2, 0),"
            + " updated_at = now() returning balance";
    private static final String DEBIT = "update credit_balance set balance = balance - $2, updated_at = now()"
            + " where account_id = $1 and balance >= $2 returning balance";
    private static final String SET_BALANCE_AFTER = "update credit_ledger set balance_after = $2 where id = $1";
    /** Records the entry's balance and spends {@code $4} expiring credits, in one statement. */
    private static final String SET_BALANCE_AFTER_SPENDING = "with " + ExpiringCredits.spendCtes(3, 4)
            + " update credit_ledger set balance_after = $2 where id = $1";
    private static final String INSERT_GRANTS = "insert into credit_ledger (account_id, kind, amount, balance_after,"
            + " source_key, reason) select u.account_id, 'grant', u.amount, 0, u.source_key, u.reason from unnest("
            + "$1::text[], $2::bigint[], $3::text[], $4::text[]) with ordinality as u(account_id, amount, source_key,"
            + " reason, n) order by u.n on conflict (source_key) do nothing returning id, source_key";
    // Accounts in a fixed order, so concurrent transactions lock balance rows in the same order.
    private static final String ADD_TO_BALANCES = "insert into credit_balance (account_id, balance) select account_id,"
            + " sum(amount) from unnest($1::text[], $2::bigint[]) as u(account_id, amount) group by account_id"
            + " order by account_id on conflict (account_id) do update set balance = credit_balance.balance"
            + " + excluded.balance, updated_at = now() returning account_id, balance";
    private static final String SET_BALANCES_AFTER = "update credit_ledger l set balance_after = u.balance_after"
            + " from unnest($1::bigint[], $2::bigint[]) as u(id, balance_after) where l.id = u.id";
    private static final String EXPIRING_ALL = "insert into credit_expiring (entry_id, account_id, expires_at,"
            + " remaining) select * from unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::bigint[])";
    private static final String EXPIRING = "insert into credit_expiring (entry_id, account_id, expires_at, remaining)"
            + " values ($1, $2, $3, $4)";
    private static final String BY_SOURCE = "select id, kind, amount, balance_after, reason, created_at, account_id,"
            + " actor from credit_ledger where source_key = $1";

    /**
     * What a debit (or adjustment) came to. {@code repeated}: the key was seen before and this is its first
     * result. {@code actor}: who made the entry (operators' adjustments), else null.
     */
    public record Debit(boolean accepted, boolean repeated, long balance, LedgerEntry entry, String actor) {
    }

    /** A grant for {@link #grantAll}: {@code expiresAt} null for credits that last. */
    public record Grant(String accountId, long amount, String sourceKey, String reason, OffsetDateTime expiresAt) {
    }

    private final Pool pool;
    private final CreditQueries queries;

    public CreditLedger(Pool pool, CreditQueries queries) {
        this.pool = pool;
        this.queries = queries;
    }

    /**
     * Adds a grant, refund claw-back or adjustment inside the caller's transaction (the processor's, for
     * effects of Stripe events). A claw-back never takes the balance below zero. Returns the new entry,
     * or empty when the source key was already in the ledger.
     */
    public Uni<Optional<LedgerEntry>> credit(SqlClient tx, String accountId, String kind, long amount, String sourceKey,
            String reason) {
        return credit(tx, accountId, kind, amount, sourceKey, reason, null);
    }

    /**
     * Grants credits that lapse at {@code expiresAt} (null: never) inside the caller's transaction; what
     * is left of them then is taken back by {@link CreditExpiry}. Empty when the key was already granted.
     */
    public Uni<Optional<LedgerEntry>> grant(SqlClient tx, String accountId, long amount, String sourceKey,
            String reason, OffsetDateTime expiresAt) {
        return credit(tx, accountId, "grant", amount, sourceKey, reason, expiresAt);
    }

    /**
     * Several grants in the caller's transaction with a handful of statements whatever their number (the
     * processor grants a whole batch's plan credits at once): each source key once, as {@link #grant}.
     */
    public Uni<Void> grantAll(SqlClient tx, List<Grant> grants) {
        Map<String, Grant> byKey = new LinkedHashMap<>();
        grants.stream().filter(g -> g.amount() > 0).forEach(g -> byKey.putIfAbsent(g.sourceKey(), g));
        if (byKey.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Grant> unique = List.copyOf(byKey.values());
        return tx.preparedQuery(INSERT_GRANTS).execute(Tuple.of(
                unique.stream().map(Grant::accountId).toArray(String[]::new),
                unique.stream().map(Grant::amount).toArray(Long[]::new),
                unique.stream().map(Grant::sourceKey).toArray(String[]::new),
                unique.stream().map(Grant::reason).toArray(String[]::new))).flatMap(inserted -> {
                    Map<String, Long> ids = new HashMap<>();
                    inserted.forEach(row -> ids.put(row.getString("source_key"), row.getLong("id")));
                    List<Grant> added = unique.stream().filter(g -> ids.containsKey(g.sourceKey())).toList();
                    if (added.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    return tx.preparedQuery(ADD_TO_BALANCES).execute(Tuple.of(
                            added.stream().map(Grant::accountId).toArray(String[]::new),
                            added.stream().map(Grant::amount).toArray(Long[]::new)))
                            .flatMap(balances -> recordBalancesAfter(tx, added, ids, balances));
                });
    }

    /** Each entry's balance: the account's new balance less the grants after it in the batch. */
    private Uni<Void> recordBalancesAfter(SqlClient tx, List<Grant> added, Map<String, Long> ids,
            Iterable<Row> balances) {
        Map<String, Long> running = new HashMap<>();
        balances.forEach(row -> running.put(row.getString("account_id"), row.getLong("balance")));
        Long[] entryIds = new Long[added.size()];
        Long[] after = new Long[added.size()];
        for (int i = added.size() - 1; i >= 0; i--) {
            Grant grant = added.get(i);
            long balance = running.get(grant.accountId());
            entryIds[i] = ids.get(grant.sourceKey());
            after[i] = balance;
            running.put(grant.accountId(), balance - grant.amount());
        }
        List<Grant> expiring = added.stream().filter(g -> g.expiresAt() != null).toList();
        Uni<Void> recorded = tx.preparedQuery(SET_BALANCES_AFTER).execute(Tuple.of(entryIds, after)).replaceWithVoid();
        if (expiring.isEmpty()) {
            return recorded;
        }
        return recorded.flatMap(x -> tx.preparedQuery(EXPIRING_ALL).execute(Tuple.of(
                expiring.stream().map(g -> ids.get(g.sourceKey())).toArray(Long[]::new),
                expiring.stream().map(Grant::accountId).toArray(String[]::new),
                expiring.stream().map(Grant::expiresAt).toArray(OffsetDateTime[]::new),
                expiring.stream().map(Grant::amount).toArray(Long[]::new))).replaceWithVoid());
    }

    private Uni<Optional<LedgerEntry>> credit(SqlClient tx, String accountId, String kind, long amount,
            String sourceKey, String reason, OffsetDateTime expiresAt) {
        return tx.preparedQuery(INSERT).execute(Tuple.of(accountId, kind, amount, sourceKey, reason, null))
                .flatMap(inserted -> {
                    if (inserted.rowCount() == 0) {
                        return Uni.createFrom().item(Optional.<LedgerEntry> empty());
                    }
                    long id = inserted.iterator().next().getLong("id");
                    Uni<Void> expiring = expiresAt == null || amount <= 0
                            ? Uni.createFrom().voidItem()
                            : tx.preparedQuery(EXPIRING).execute(Tuple.of(id, accountId, expiresAt, amount))
                                    .replaceWithVoid();
                    return expiring.flatMap(x -> tx.preparedQuery(CREDIT).execute(Tuple.of(accountId, amount)))
                            .map(rows -> rows.iterator().next().getLong("balance"))
                            .flatMap(balance -> recordBalance(tx, id, balance, accountId,
                                    spentFromExpiring(kind, amount))
                                    .replaceWith(Optional.of(new LedgerEntry(id, kind, amount, balance, reason,
                                            OffsetDateTime.now()))));
                });
    }

    /**
     * Takes {@code amount} credits once per {@code sourceKey}: atomically, never below zero. A repeated
     * key answers the first attempt's outcome and takes nothing.
     */
    public Uni<Debit> debit(String accountId, long amount, String sourceKey, String reason) {
        return change(accountId, "consume", -amount, sourceKey, reason, null);
    }

    /**
     * An operator's manual grant (positive) or debit (negative), recorded with the operator as actor. A
     * debit is refused rather than clamped when the balance does not cover it, like a consumption; a
     * repeated key answers the first outcome.
     */
    public Uni<Debit> adjust(String accountId, long amount, String sourceKey, String reason, String actor) {
        return change(accountId, "adjustment", amount, sourceKey, reason, actor);
    }

    private Uni<Debit> change(String accountId, String kind, long amount, String sourceKey, String reason,
            String actor) {
        return pool.withTransaction(tx -> tx.preparedQuery(INSERT)
                .execute(Tuple.of(accountId, kind, amount, sourceKey, reason, actor))
                .flatMap(inserted -> {
                    if (inserted.rowCount() == 0) {
                        return repeated(tx, accountId, kind, sourceKey);
                    }
                    long id = inserted.iterator().next().getLong("id");
                    return amount < 0
                            ? firstDebit(tx, accountId, kind, -amount, id, reason, actor)
                            : firstCredit(tx, accountId, kind, amount, id, reason, actor);
                }))
                .onFailure(Insufficient.class).recoverWithUni(e -> queries.balance(accountId)
                        .map(balance -> new Debit(false, false, balance, null, null)));
    }

    private Uni<Debit> firstCredit(SqlClient tx, String accountId, String kind, long amount, long entryId,
            String reason, String actor) {
        return tx.preparedQuery(CREDIT).execute(Tuple.of(accountId, amount))
                .map(rows -> rows.iterator().next().getLong("balance"))
                .flatMap(balance -> recordBalance(tx, entryId, balance, accountId, 0)
                        .replaceWith(new Debit(true, false, balance,
                                new LedgerEntry(entryId, kind, amount, balance, reason, OffsetDateTime.now()), actor)));
    }

    private Uni<Debit> firstDebit(SqlClient tx, String accountId, String kind, long amount, long entryId,
            String reason, String actor) {
        return tx.preparedQuery(DEBIT).execute(Tuple.of(accountId, amount)).flatMap(rows -> {
            if (rows.rowCount() == 0) {
                // Roll back the entry too: a refused debit leaves no trace and its key may be retried.
                return Uni.createFrom().failure(new Insufficient());
            }
            long balance = rows.iterator().next().getLong("balance");
            return recordBalance(tx, entryId, balance, accountId, amount)
                    .replaceWith(new Debit(true, false, balance, new LedgerEntry(entryId, kind, -amount, balance,
                            reason, OffsetDateTime.now()), actor));
        });
    }

    private Uni<Debit> repeated(SqlClient tx, String accountId, String kind, String sourceKey) {
        return tx.preparedQuery(BY_SOURCE).execute(Tuple.of(sourceKey)).map(rows -> {
            Row row = rows.iterator().next();
            if (!accountId.equals(row.getString("account_id")) || !kind.equals(row.getString("kind"))) {
                throw new IllegalStateException("source key reused across accounts");
            }
            LedgerEntry entry = CreditQueries.entry(row);
            return new Debit(true, true, entry.balanceAfter(), entry, row.getString("actor"));
        });
    }

    /** The entry's balance after it; a debit also spends the account's expiring credits first. */
    private static Uni<Void> recordBalance(SqlClient tx, long entryId, long balance, String accountId, long spent) {
        return (spent > 0
                ? tx.preparedQuery(SET_BALANCE_AFTER_SPENDING).execute(Tuple.of(entryId, balance, accountId, spent))
                : tx.preparedQuery(SET_BALANCE_AFTER).execute(Tuple.of(entryId, balance))).replaceWithVoid();
    }

    /**
     * A claw-back or debit adjustment spends expiring credits first, like a consumption; an expiry
     * entry has already emptied its own grant, so it must take nothing more.
     */
    static long spentFromExpiring(String kind, long amount) {
        return amount < 0 && !"expiry".equals(kind) ? -amount : 0;
    }

    private static LedgerEntry entry(Row row) {
        return new LedgerEntry(row.getLong("id"), row.getString("kind"), row.getLong("amount"),
                row.getLong("balance_after"), row.getString("reason"), row.getOffsetDateTime("created_at"));
    }

    /** Not enough credits: the transaction is rolled back. */
    private static final class Insufficient extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Insufficient() {
            super("insufficient credits", null, false, false);
        }
    }
}
