package dev.tollgate.credits;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Takes back what is left of expired grants, as 'expiry' ledger entries (once per grant: the entry's
 * source key is the grant's). Each grant is one transaction that locks the account's balance row
 * before the grant row, the same order a debit takes them, so expiry and consumption never deadlock
 * and any number of replicas may run this.
 */
@ApplicationScoped
public class CreditExpiry {

    private static final Logger LOG = Logger.getLogger(CreditExpiry.class);
    private static final int BATCH = 200;
    private static final String DUE = "select entry_id, account_id from credit_expiring where remaining > 0"
            + " and expires_at <= now() order by expires_at limit $1";
    private static final String LOCK_BALANCE = "select balance from credit_balance where account_id = $1 for update";
    private static final String TAKE = "update credit_expiring e set remaining = 0 from (select remaining from"
            + " credit_expiring where entry_id = $1 for update) old where e.entry_id = $1 and old.remaining > 0"
            + " and e.expires_at <= now() returning old.remaining";

    private final Pool pool;
    private final CreditLedger ledger;
    private final Counter expired;

    public CreditExpiry(Pool pool, CreditLedger ledger, MeterRegistry registry) {
        this.pool = pool;
        this.ledger = ledger;
        this.expired = Counter.builder("tollgate.credits.expired").description("Credits taken back at expiry")
                .register(registry);
    }

    @Scheduled(every = "${tollgate.credits.expiry-interval:1m}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return expireDue().onFailure().invoke(e -> LOG.warnf("Credit expiry run failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Expires every grant that is due now; returns the number of credits taken back. */
    public Uni<Long> expireDue() {
        return pool.preparedQuery(DUE).execute(Tuple.of(BATCH)).flatMap(rows -> {
            List<Row> due = new ArrayList<>();
            rows.forEach(due::add);
            Uni<Long> total = Uni.createFrom().item(0L);
            for (Row grant : due) {
                long entryId = grant.getLong("entry_id");
                String account = grant.getString("account_id");
                total = total.flatMap(sum -> pool.withTransaction(tx -> expire(tx, entryId, account))
                        .invoke(n -> expired.increment(n)).map(n -> sum + n));
            }
            return total.flatMap(sum -> due.size() == BATCH ? expireDue().map(more -> sum + more)
                    : Uni.createFrom().item(sum));
        });
    }

    private Uni<Long> expire(SqlClient tx, long entryId, String account) {
        return tx.preparedQuery(LOCK_BALANCE).execute(Tuple.of(account))
                .flatMap(x -> tx.preparedQuery(TAKE).execute(Tuple.of(entryId)))
                .flatMap(taken -> {
                    if (taken.rowCount() == 0) {
                        return Uni.createFrom().item(0L); // another replica was first
                    }
                    long remaining = taken.iterator().next().getLong("remaining");
                    return ledger.credit(tx, account, "expiry", -remaining, "expiry:" + entryId,
                            "Credits of grant " + entryId + " expired").replaceWith(remaining);
                });
    }
}
