package dev.tollgate.credits;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

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
 * debits, serialized by its row lock, keep up. A request that may go into overage ({@link OverageBilling})
 * takes what the balance holds when it is short and records the rest as usage in the same transaction.
 */
@ApplicationScoped
class ConsumptionBatch {

    /** {@code overage}: where the uncovered part goes when the balance is short; null: refuse (402). */
    record Request(long amount, String sourceKey, String reason, OverageBilling.Target overage) {

        Request(long amount, String sourceKey, String reason) {
            this(amount, sourceKey, reason, null);
        }
    }

    /** A debit and the part of it recorded as overage usage (0 for a plain debit). */
    record Outcome(Debit debit, long overage) {
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
    private final Instance<OverageBilling> overage;

    ConsumptionBatch(Pool pool, Instance<OverageBilling> overage) {
        this.pool = pool;
        this.overage = overage;
    }

    Uni<List<Outcome>> apply(String accountId, List<Request> requests) {
        return pool.withTransaction(tx -> tx.preparedQuery(LOCK).execute(Tuple.of(accountId)).flatMap(locked -> {
            long balance = locked.rowCount() == 0 ? 0 : locked.iterator().next().getLong("balance");
            String[] keys = requests.stream().map(Request::sourceKey).distinct().toArray(String[]::new);
            boolean mayOverdraw = requests.stream().anyMatch(r -> r.overage() != null);
            Uni<Map<String, Long>> recorded = mayOverdraw ? overage.get().recorded(tx, accountId, keys)
                    : Uni.createFrom().item(Map.of());
            return recorded.flatMap(overages -> tx.preparedQuery(EXISTING).execute(Tuple.of(keys))
                    .flatMap(existing -> decide(tx, accountId, requests, balance, existing, overages)));
        }));
    }

    /** One accepted request: what it takes from the balance (maybe 0) and what goes into overage. */
    private record Take(Request request, long credits, long balanceAfter, long overage) {
    }

    private Uni<List<Outcome>> decide(SqlClient tx, String accountId, List<Request> requests, long opening,
            Iterable<Row> existing, Map<String, Long> overages) {
        Map<String, Outcome> byKey = new HashMap<>();
        for (Row row : existing) {
            if (!accountId.equals(row.getString("account_id")) || !"consume".equals(row.getString("kind"))) {
                throw new IllegalStateException("source key reused across accounts");
            }
            LedgerEntry entry = new LedgerEntry(row.getLong("id"), "consume", row.getLong("amount"),
                    row.getLong("balance_after"), row.getString("reason"), row.getOffsetDateTime("created_at"));
            String key = row.getString("source_key");
            byKey.put(key, new Outcome(new Debit(true, true, entry.balanceAfter(), entry, null),
                    overages.getOrDefault(key, 0L)));
        }
        // Overage that took no credits at all has no ledger entry: its usage record is the first outcome.
        overages.forEach((key, value) -> byKey.putIfAbsent(key,
                new Outcome(new Debit(true, true, opening, null, null), value)));
        long balance = opening;
        List<Take> takes = new ArrayList<>();
        Set<String> acceptedKeys = new HashSet<>();
        Outcome[] outcomes = new Outcome[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            if (byKey.containsKey(request.sourceKey()) || acceptedKeys.contains(request.sourceKey())) {
                continue; // answered below, once the first attempt's entry exists
            }
            if (balance >= request.amount()) {
                balance -= request.amount();
                takes.add(new Take(request, request.amount(), balance, 0));
                acceptedKeys.add(request.sourceKey());
            } else if (request.overage() != null) {
                takes.add(new Take(request, balance, 0, request.amount() - balance));
                acceptedKeys.add(request.sourceKey());
                balance = 0;
            } else {
                outcomes[i] = new Outcome(new Debit(false, false, balance, null, null), 0);
            }
        }
        if (takes.isEmpty()) {
            return Uni.createFrom().item(answers(requests, outcomes, byKey));
        }
        long closing = balance;
        long spent = opening - closing;
        List<Take> debits = takes.stream().filter(t -> t.credits() > 0).toList();
        List<OverageBilling.Usage> usages = takes.stream().filter(t -> t.overage() > 0)
                .map(t -> new OverageBilling.Usage(t.request().overage(), t.overage(), t.request().sourceKey()))
                .toList();
        Uni<Void> usage = usages.isEmpty() ? Uni.createFrom().voidItem() : overage.get().record(tx, accountId, usages);
        return usage.flatMap(x -> insertDebits(tx, accountId, debits)).flatMap(entries -> {
            for (Take take : takes) {
                LedgerEntry entry = entries.get(take.request().sourceKey());
                byKey.put(take.request().sourceKey(),
                        new Outcome(new Debit(true, false, take.balanceAfter(), entry, null), take.overage()));
            }
            return spent == 0 ? Uni.createFrom().item(answers(requests, outcomes, byKey))
                    : tx.preparedQuery(SETTLE).execute(Tuple.of(accountId, spent, closing))
                            .replaceWith(answers(requests, outcomes, byKey));
        });
    }

    /** Inserts the entries of the requests that take credits; answers them by source key. */
    private Uni<Map<String, LedgerEntry>> insertDebits(SqlClient tx, String accountId, List<Take> debits) {
        if (debits.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return tx.preparedQuery(INSERT).execute(Tuple.of(accountId,
                debits.stream().map(Take::credits).toArray(Long[]::new),
                debits.stream().map(Take::balanceAfter).toArray(Long[]::new),
                debits.stream().map(t -> t.request().sourceKey()).toArray(String[]::new),
                debits.stream().map(t -> t.request().reason()).toArray(String[]::new)))
                .map(inserted -> {
                    Map<String, Row> rows = new HashMap<>();
                    inserted.forEach(row -> rows.put(row.getString("source_key"), row));
                    Map<String, LedgerEntry> entries = new HashMap<>();
                    for (Take take : debits) {
                        Row row = rows.get(take.request().sourceKey());
                        entries.put(take.request().sourceKey(), new LedgerEntry(row.getLong("id"), "consume",
                                -take.credits(), take.balanceAfter(), take.request().reason(),
                                row.getOffsetDateTime("created_at")));
                    }
                    return entries;
                });
    }

    /** Refusals stay as decided; every other request answers its key's entry (a repeat after the first). */
    private static List<Outcome> answers(List<Request> requests, Outcome[] outcomes, Map<String, Outcome> byKey) {
        List<Outcome> answers = new ArrayList<>(requests.size());
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            if (outcomes[i] != null) {
                answers.add(outcomes[i]);
                continue;
            }
            String key = requests.get(i).sourceKey();
            Outcome first = byKey.get(key);
            Debit debit = first.debit();
            boolean repeat = debit.repeated() || !answered.add(key);
            answers.add(repeat
                    ? new Outcome(new Debit(true, true, debit.balance(), debit.entry(), debit.actor()), first.overage())
                    : first);
        }
        return answers;
    }
}
