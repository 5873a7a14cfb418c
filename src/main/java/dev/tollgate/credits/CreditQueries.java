package dev.tollgate.credits;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads of an account's credits: balance, ledger pages, what is about to expire. Writes: {@link CreditLedger}. */
@ApplicationScoped
public class CreditQueries {

    private static final String BALANCE = "select balance from credit_balance where account_id = $1";
    private static final String PAGE = "select id, kind, amount, balance_after, reason, created_at from credit_ledger"
            + " where account_id = $1 order by id desc limit $2 offset $3";
    private static final String COUNT = "select count(*) from credit_ledger where account_id = $1";
    private static final String AUDIT_PAGE = "select id, kind, amount, balance_after, reason, created_at, actor,"
            + " source_key from credit_ledger where account_id = $1 order by id desc limit $2";
    private static final String EXPIRING = "select remaining, expires_at from credit_expiring where account_id = $1"
            + " and remaining > 0 order by expires_at limit 20";

    /** A ledger entry with who made it (operators' adjustments) and what caused it, for the admin view. */
    public record AuditedEntry(long id, String kind, long amount, long balanceAfter, String reason, String actor,
            String sourceKey, OffsetDateTime createdAt) {
    }

    /** Credits that will lapse unless spent. */
    public record Expiring(long amount, OffsetDateTime expiresAt) {
    }

    private final Pool pool;

    public CreditQueries(Pool pool) {
        this.pool = pool;
    }

    public Uni<Long> balance(String accountId) {
        return pool.preparedQuery(BALANCE).execute(Tuple.of(accountId))
                .map(rows -> rows.rowCount() == 0 ? 0L : rows.iterator().next().getLong("balance"));
    }

    /** Newest first. */
    public Uni<List<LedgerEntry>> page(String accountId, int limit, int offset) {
        return pool.preparedQuery(PAGE).execute(Tuple.of(accountId, limit, offset)).map(rows -> {
            List<LedgerEntry> entries = new ArrayList<>();
            rows.forEach(row -> entries.add(entry(row)));
            return entries;
        });
    }

    public Uni<Long> count(String accountId) {
        return pool.preparedQuery(COUNT).execute(Tuple.of(accountId)).map(rows -> rows.iterator().next().getLong(0));
    }

    /** The newest entries with their actor and source key: what an operator audits. */
    public Uni<List<AuditedEntry>> recentAudited(String accountId, int limit) {
        return pool.preparedQuery(AUDIT_PAGE).execute(Tuple.of(accountId, limit)).map(rows -> {
            List<AuditedEntry> entries = new ArrayList<>();
            rows.forEach(row -> entries.add(new AuditedEntry(row.getLong("id"), row.getString("kind"),
                    row.getLong("amount"), row.getLong("balance_after"), row.getString("reason"),
                    row.getString("actor"), row.getString("source_key"), row.getOffsetDateTime("created_at"))));
            return entries;
        });
    }

    /** Soonest first. */
    public Uni<List<Expiring>> expiring(String accountId) {
        return pool.preparedQuery(EXPIRING).execute(Tuple.of(accountId)).map(rows -> {
            List<Expiring> expiring = new ArrayList<>();
            rows.forEach(row -> expiring.add(new Expiring(row.getLong("remaining"), row.getOffsetDateTime("expires_at"))));
            return expiring;
        });
    }

    static LedgerEntry entry(Row row) {
        return new LedgerEntry(row.getLong("id"), row.getString("kind"), row.getLong("amount"),
                row.getLong("balance_after"), row.getString("reason"), row.getOffsetDateTime("created_at"));
    }
}
