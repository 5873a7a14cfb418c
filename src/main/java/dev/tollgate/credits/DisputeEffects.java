package dev.tollgate.credits;

import static dev.tollgate.common.Json.longValue;
import static dev.tollgate.common.Json.ref;
import static dev.tollgate.common.Json.text;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.webhook.processing.EventEffect;
import dev.tollgate.webhook.processing.ParsedEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A disputed payment: charge.dispute.created calls the product back (payment.disputed) and, when configured,
 * freezes the account's credits; charge.dispute.closed calls back (payment.dispute_closed), lifts the freeze
 * and, when the dispute is lost, takes back the disputed share of the credits the payment bought, once per
 * dispute (a ledger entry of kind refund, key dispute:&lt;id&gt;: a lost dispute is a forced refund). Plans and licenses follow
 * Stripe's subscription events as always.
 */
@ApplicationScoped
public class DisputeEffects implements EventEffect {

    static final String DISPUTED = "payment.disputed";
    static final String CLOSED = "payment.dispute_closed";
    /** The account of the disputed payment: its charge's or intent's customer, else the pack Checkout's account. */
    private static final String CONTEXT = "select coalesce("
            + " tollgate_customer_account((select customer_id from stripe_charge where id = $1), null),"
            + " tollgate_customer_account((select customer_id from stripe_payment_intent where id = $2), null),"
            + " (select coalesce(client_reference_id, metadata::json ->> 'account_id') from stripe_checkout_session"
            + " where payment_intent_id = coalesce($2, (select payment_intent_id from stripe_charge where id = $1))"
            + " and mode = 'payment' limit 1)) as account_id,"
            + " coalesce($2, (select payment_intent_id from stripe_charge where id = $1)) as payment_intent_id";
    private static final String SESSION_FOR_INTENT = "select id, amount_total from stripe_checkout_session"
            + " where payment_intent_id = $1 and mode = 'payment'";
    private static final String GRANTED = "select amount from credit_ledger where source_key = $1";
    private static final String CALLBACK = "select tollgate_callback($1, $2, $3, $4::text::jsonb)";

    private final CreditLedger ledger;
    private final DisputesConfig config;
    private final ObjectMapper mapper;

    public DisputeEffects(CreditLedger ledger, DisputesConfig config, ObjectMapper mapper) {
        this.ledger = ledger;
        this.config = config;
        this.mapper = mapper;
    }

    @Override
    public Uni<Void> apply(SqlConnection connection, List<ParsedEvent> events) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (ParsedEvent event : events) {
            if (event.type().equals("charge.dispute.created") || event.type().equals("charge.dispute.closed")) {
                chain = chain.flatMap(x -> applyOne(connection, event.type(), event.object()));
            }
        }
        return chain;
    }

    private Uni<Void> applyOne(SqlConnection tx, String type, JsonNode dispute) {
        String id = text(dispute, "id");
        if (id == null) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(CONTEXT).execute(Tuple.of(ref(dispute, "charge"), ref(dispute, "payment_intent")))
                .flatMap(rows -> {
                    Row row = rows.iterator().next();
                    String account = row.getString("account_id");
                    String intent = row.getString("payment_intent_id");
                    boolean created = type.equals("charge.dispute.created");
                    Uni<Void> callback = tx.preparedQuery(CALLBACK).execute(Tuple.of(created ? DISPUTED : CLOSED,
                            account, (created ? DISPUTED : CLOSED) + ":" + id,
                            callbackData(dispute, intent, created && config.freezeCredits() && account != null)))
                            .replaceWithVoid();
                    if (account == null) {
                        return callback;
                    }
                    if (created) {
                        return callback.flatMap(x -> config.freezeCredits()
                                ? tx.preparedQuery("insert into credit_freeze (account_id, dispute_id) values ($1, $2)"
                                        + " on conflict do nothing").execute(Tuple.of(account, id)).replaceWithVoid()
                                : Uni.createFrom().voidItem());
                    }
                    return callback
                            .flatMap(x -> tx.preparedQuery("delete from credit_freeze where dispute_id = $1")
                                    .execute(Tuple.of(id)))
                            .flatMap(x -> "lost".equals(text(dispute, "status"))
                                    ? clawBack(tx, account, intent, id, longValue(dispute, "amount"))
                                    : Uni.createFrom().voidItem());
                });
    }

    /** Takes back the disputed share of the pack's credits, once per dispute. */
    private Uni<Void> clawBack(SqlConnection tx, String account, String intent, String disputeId, Long disputed) {
        if (intent == null || disputed == null || disputed <= 0) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(SESSION_FOR_INTENT).execute(Tuple.of(intent)).flatMap(sessions -> {
            if (sessions.rowCount() == 0) {
                return Uni.createFrom().voidItem();
            }
            Row session = sessions.iterator().next();
            Long paid = session.getLong("amount_total");
            return tx.preparedQuery(GRANTED).execute(Tuple.of(CreditEffects.grantKey(session.getString("id"))))
                    .flatMap(granted -> {
                        if (granted.rowCount() == 0 || paid == null || paid <= 0) {
                            return Uni.createFrom().voidItem();
                        }
                        long back = CreditEffects.clawBackCredits(granted.iterator().next().getLong("amount"),
                                disputed, paid);
                        return back <= 0 ? Uni.createFrom().voidItem()
                                : ledger.credit(tx, account, "refund", -back, "dispute:" + disputeId,
                                        "Dispute " + disputeId + " lost, payment " + intent).replaceWithVoid();
                    });
        });
    }

    private String callbackData(JsonNode dispute, String intent, boolean frozen) {
        ObjectNode data = mapper.createObjectNode();
        data.put("dispute_id", text(dispute, "id"));
        data.put("charge_id", ref(dispute, "charge"));
        data.put("payment_intent_id", intent);
        data.put("status", text(dispute, "status"));
        data.put("reason", text(dispute, "reason"));
        data.put("amount", longValue(dispute, "amount"));
        data.put("currency", text(dispute, "currency"));
        data.put("credits_frozen", frozen);
        return data.toString();
    }
}
