package dev.tollgate.credits;

import static dev.tollgate.common.Json.longValue;
import static dev.tollgate.common.Json.ref;
import static dev.tollgate.common.Json.text;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.catalog.CatalogConfig;
import dev.tollgate.webhook.EventEffect;
import dev.tollgate.webhook.ParsedEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Credits that follow from Stripe events: a paid credit-pack Checkout grants its credits once per
 * session; a succeeded refund of that payment claws back its share once per refund. A refund seen
 * before its session is settled when the grant is made, so delivery order does not matter.
 */
@ApplicationScoped
public class CreditEffects implements EventEffect {

    private static final String SESSION_FOR_INTENT = "select id, client_reference_id, metadata, amount_total"
            + " from stripe_checkout_session where payment_intent_id = $1 and mode = 'payment'";
    private static final String GRANTED = "select amount from credit_ledger where source_key = $1";
    private static final String REFUNDS_FOR_INTENT = "select id, amount from stripe_refund"
            + " where payment_intent_id = $1 and status = 'succeeded'";

    private final CreditLedger ledger;
    private final CatalogConfig catalog;

    public CreditEffects(CreditLedger ledger, CatalogConfig catalog) {
        this.ledger = ledger;
        this.catalog = catalog;
    }

    @Override
    public Uni<Void> apply(SqlConnection connection, List<ParsedEvent> events) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (ParsedEvent event : events) {
            chain = chain.flatMap(x -> applyOne(connection, event));
        }
        return chain;
    }

    private Uni<Void> applyOne(SqlConnection tx, ParsedEvent event) {
        return switch (event.type()) {
            case "checkout.session.completed", "checkout.session.async_payment_succeeded" ->
                grantPack(tx, event.object());
            case "refund.created", "refund.updated" -> "succeeded".equals(text(event.object(), "status"))
                    ? clawBack(tx, ref(event.object(), "payment_intent"), text(event.object(), "id"),
                            longValue(event.object(), "amount"))
                    : Uni.createFrom().voidItem();
            default -> Uni.createFrom().voidItem();
        };
    }

    private Uni<Void> grantPack(SqlConnection tx, JsonNode session) {
        Optional<PackPurchase> purchase = PackPurchase.of(session, catalog);
        if (purchase.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        PackPurchase p = purchase.get();
        return ledger.credit(tx, p.accountId(), "grant", p.credits(), grantKey(p.sessionId()),
                "Credit pack " + p.packId() + " x" + p.quantity())
                .flatMap(x -> p.paymentIntentId() == null
                        ? Uni.createFrom().voidItem()
                        : tx.preparedQuery(REFUNDS_FOR_INTENT).execute(Tuple.of(p.paymentIntentId()))
                                .flatMap(refunds -> {
                                    Uni<Void> chain = Uni.createFrom().voidItem();
                                    for (Row refund : refunds) {
                                        chain = chain.flatMap(y -> clawBack(tx, p.paymentIntentId(),
                                                refund.getString("id"), refund.getLong("amount")));
                                    }
                                    return chain;
                                }));
    }

    /** Takes back the refunded share of the credits the payment bought (rounded down to favour nobody twice). */
    private Uni<Void> clawBack(SqlConnection tx, String paymentIntentId, String refundId, Long refunded) {
        if (paymentIntentId == null || refundId == null || refunded == null || refunded <= 0) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(SESSION_FOR_INTENT).execute(Tuple.of(paymentIntentId)).flatMap(sessions -> {
            if (sessions.rowCount() == 0) {
                return Uni.createFrom().voidItem(); // settled when the session arrives (grantPack)
            }
            Row session = sessions.iterator().next();
            return tx.preparedQuery(GRANTED).execute(Tuple.of(grantKey(session.getString("id")))).flatMap(granted -> {
                Long total = session.getLong("amount_total");
                if (granted.rowCount() == 0 || total == null || total <= 0) {
                    return Uni.createFrom().voidItem();
                }
                long credits = granted.iterator().next().getLong("amount");
                long back = Math.min(credits, Math.floorDiv(credits * Math.min(refunded, total), total));
                String account = PackPurchase.account(session.getString("client_reference_id"),
                        session.getString("metadata"));
                if (back <= 0 || account == null) {
                    return Uni.createFrom().voidItem();
                }
                return ledger.credit(tx, account, "refund", -back, "refund:" + refundId,
                        "Refund " + refundId + " of " + paymentIntentId).replaceWithVoid();
            });
        });
    }

    static String grantKey(String sessionId) {
        return "checkout:" + sessionId;
    }
}
