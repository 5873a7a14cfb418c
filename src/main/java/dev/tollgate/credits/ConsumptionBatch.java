package dev.tollgate.credits;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.credits.CreditLedger.Debit;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Applies several consumptions of one account in one transaction, in the order they arrived: the
 * balance row is locked once, repeats of a key (earlier or within the batch) answer the first outcome,
 * each new debit is accepted while the balance covers it, and all entries, the balance and the expiring
 * grants are written together. One commit instead of one per debit is what lets a busy account's
 * debits, serialized by its row lock, keep up.
 */
@ApplicationScoped
class ConsumptionBatch {

    record Request(long amount, String sourceKey, String reason) {
    }

    private static final String LOCK = "select balance from credit_balance where account_id = $1 for update";
    private static final String EXISTING = "select id, kind, amount, balance_after, reason, created_at, account_id,"
            + " source_key from credit_ledger where source_key = any($1)";
    private static final String INSERT = "insert into credit_ledger (account_id, kind, amount, balance_after,"
            + " source_key, reason) select $1, 'consume', -u.amount, u.balance_after, u.source_key, u.reason"
            + " from unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[])"
            + " as u(amount, balance_after, source_key, reason) returning id, source_key, created_at";
    private static final String SETTLE = "with " + ExpiringCredits.spendCtes(1, 2)
            + " update credit_balance set balance = $3, updated_at = now() where account_id = $1";

    private final Pool pool;

    ConsumptionBatch(Pool pool) {
        this.pool = pool;
    }

    Uni<List<Debit>> apply(String accountId, List<Request> requests) {
        return pool.withTransaction(tx -> tx.preparedQuery(LOCK).execute(Tuple.of(accountId)).flatMap(locked -> {
            long balance = locked.rowCount() == 0 ? 0 : locked.iterator().next().getLong("balance");
            String[] keys = requests.stream().map(Request::sourceKey).distinct().toArray(String[]::new);
            return tx.preparedQuery(EXISTING).execute(Tuple.of(keys))
                    .flatMap(existing -> decide(tx, accountId, requests, balance, existing));
        }));
    }

    private Uni<List<Debit>> decide(SqlClient tx, String accountId, List<Request> requests, long opening,
            Iterable<Row> existing) {
        Map<String, Debit> byKey = new HashMap<>();
        for (Row row : existing) {
            if (!accountId.equals(row.getString("account_id")) || !"consume".equals(row.getString("kind"))) {
                throw new IllegalStateException("source key reused across accounts");
            }
            LedgerEntry entry = new LedgerEntry(row.getLong("id"), "consume", row.getLong("amount"),
                    row.getLong("balance_after"), row.getString("reason"), row.getOffsetDateTime("created_at"));
            byKey.put(row.getString("source_key"), new Debit(true, true, entry.balanceAfter(), entry, null));
        }
        long balance = opening;
        List<Request> accepted = new ArrayList<>();
        Set<String> acceptedKeys = new HashSet<>();
        List<Long> balances = new ArrayList<>();
        Debit[] outcomes = new Debit[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            if (byKey.containsKey(request.sourceKey()) || acceptedKeys.contains(request.sourceKey())) {
                continue; // answered below, once the first attempt's entry exists
            }
            if (balance >= request.amount()) {
                balance -= request.amount();
                accepted.add(request);
                acceptedKeys.add(request.sourceKey());
                balances.add(balance);
            } else {
                outcomes[i] = new Debit(false, false, balance, null, null);
            }
        }
        if (accepted.isEmpty()) {
            return Uni.createFrom().item(answers(requests, outcomes, byKey));
        }
        long closing = balance;
        long spent = opening - closing;
        return tx.preparedQuery(INSERT).execute(Tuple.of(accountId,
                accepted.stream().map(Request::amount).toArray(Long[]::new), balances.toArray(Long[]::new),
                accepted.stream().map(Request::sourceKey).toArray(String[]::new),
                accepted.stream().map(Request::reason).toArray(String[]::new)))
                .flatMap(inserted -> {
                    Map<String, Row> rows = new HashMap<>();
                    inserted.forEach(row -> rows.put(row.getString("source_key"), row));
                    for (int i = 0; i < accepted.size(); i++) {
                        Request request = accepted.get(i);
                        Row row = rows.get(request.sourceKey());
                        LedgerEntry entry = new LedgerEntry(row.getLong("id"), "consume", -request.amount(),
                                balances.get(i), request.reason(), row.getOffsetDateTime("created_at"));
                        byKey.put(request.sourceKey(), new Debit(true, false, balances.get(i), entry, null));
                    }
                    return tx.preparedQuery(SETTLE).execute(Tuple.of(accountId, spent, closing))
                            .replaceWith(answers(requests, outcomes, byKey));
                });
    }

    /** Refusals stay as decided; every other request answers its key's entry (a repeat after the first). */
    private static List<Debit> answers(List<Request> requests, Debit[] outcomes, Map<String, Debit> byKey) {
        List<Debit> answers = new ArrayList<>(requests.size());
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            if (outcomes[i] != null) {
                answers.add(outcomes[i]);
                continue;
            }
            String key = requests.get(i).sourceKey();
            Debit first = byKey.get(key);
            boolean repeat = first.repeated() || !answered.add(key);
            answers.add(repeat ? new Debit(true, true, first.balance(), first.entry(), first.actor()) : first);
        }
        return answers;
    }
}
