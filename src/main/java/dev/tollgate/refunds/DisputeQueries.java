package dev.tollgate.refunds;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.account.AccountCustomers;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** An account's disputes (mirrored), newest first: those of its customers' charges and payment intents. */
@ApplicationScoped
public class DisputeQueries {

    private static final String OF_ACCOUNT = "select d.id, d.charge_id, d.payment_intent_id, d.status, d.reason,"
            + " d.amount, d.currency, d.created_at,"
            + " exists (select 1 from credit_freeze f where f.dispute_id = d.id) as credits_frozen"
            + " from stripe_dispute d where d.charge_id in (select ch.id from stripe_charge ch where ch.customer_id in ("
            + AccountCustomers.IDS + ")) or d.payment_intent_id in (select pi.id from stripe_payment_intent pi"
            + " where pi.customer_id in (" + AccountCustomers.IDS + "))"
            + " order by d.created_at desc nulls last, d.id limit $2";

    public record Dispute(String id, String chargeId, String paymentIntentId, String status, String reason, Long amount,
            String currency, OffsetDateTime createdAt, boolean creditsFrozen) {
    }

    private final Pool pool;

    public DisputeQueries(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Dispute>> ofAccount(String accountId, int limit) {
        return pool.preparedQuery(OF_ACCOUNT).execute(Tuple.of(accountId, limit)).map(rows -> {
            List<Dispute> disputes = new ArrayList<>();
            rows.forEach(row -> disputes.add(new Dispute(row.getString("id"), row.getString("charge_id"),
                    row.getString("payment_intent_id"), row.getString("status"), row.getString("reason"),
                    row.getLong("amount"), row.getString("currency"), row.getOffsetDateTime("created_at"),
                    Boolean.TRUE.equals(row.getBoolean("credits_frozen")))));
            return disputes;
        });
    }
}
