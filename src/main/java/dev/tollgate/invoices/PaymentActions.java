package dev.tollgate.invoices;

import static dev.tollgate.common.Json.intValue;
import static dev.tollgate.common.Json.longValue;
import static dev.tollgate.common.Json.ref;
import static dev.tollgate.common.Json.text;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.webhook.processing.EventEffect;
import dev.tollgate.webhook.processing.ParsedEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * invoice.payment_action_required: the payment of an invoice (a subscription's first one, which leaves it
 * incomplete, or a renewal, which makes it past_due) needs the customer to authenticate. Records the
 * pending action (its client secret is read from Stripe afterwards, {@link PaymentActionSecrets}; the
 * insert is announced on the live stream by a trigger) and writes one payment.action_required callback
 * per invoice and attempt, however often the event is delivered.
 */
@ApplicationScoped
public class PaymentActions implements EventEffect {

    static final String CALLBACK = "payment.action_required";
    private static final String EVENT = "invoice.payment_action_required";
    private static final String RECORD = "insert into payment_action (invoice_id, customer_id, account_id,"
            + " subscription_id, amount, currency, hosted_invoice_url)"
            + " values ($1, $2, tollgate_customer_account($2, null), $3, $4, $5, $6)"
            + " on conflict (invoice_id) do update set account_id = coalesce(excluded.account_id,"
            + " payment_action.account_id), amount = excluded.amount, currency = excluded.currency,"
            + " hosted_invoice_url = coalesce(excluded.hosted_invoice_url, payment_action.hosted_invoice_url),"
            + " updated_at = now()";
    private static final String CALLBACK_WRITE = "select tollgate_callback($1, tollgate_customer_account($2, null),"
            + " $3, $4::text::jsonb)";

    private final ObjectMapper mapper;

    public PaymentActions(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public Uni<Void> apply(SqlConnection connection, List<ParsedEvent> events) {
        List<Tuple> actions = new ArrayList<>();
        List<Tuple> callbacks = new ArrayList<>();
        for (ParsedEvent event : events) {
            JsonNode invoice = event.object();
            if (!EVENT.equals(event.type()) || text(invoice, "id") == null) {
                continue;
            }
            actions.add(Tuple.tuple().addString(text(invoice, "id")).addString(ref(invoice, "customer"))
                    .addString(subscription(invoice)).addLong(amount(invoice)).addString(text(invoice, "currency"))
                    .addString(text(invoice, "hosted_invoice_url")));
            callbacks.add(callback(invoice));
        }
        if (actions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery(RECORD).executeBatch(actions)
                .flatMap(x -> connection.preparedQuery(CALLBACK_WRITE).executeBatch(callbacks)).replaceWithVoid();
    }

    private Tuple callback(JsonNode invoice) {
        String id = text(invoice, "id");
        Integer attempt = intValue(invoice, "attempt_count");
        ObjectNode data = mapper.createObjectNode();
        data.put("invoice_id", id);
        data.put("customer_id", ref(invoice, "customer"));
        data.put("subscription_id", subscription(invoice));
        data.put("amount", amount(invoice));
        data.put("currency", text(invoice, "currency"));
        data.put("hosted_invoice_url", text(invoice, "hosted_invoice_url"));
        data.put("billing_reason", text(invoice, "billing_reason"));
        return Tuple.of(CALLBACK, ref(invoice, "customer"), CALLBACK + ":" + id + ":" + (attempt == null ? 0 : attempt),
                data.toString());
    }

    private static Long amount(JsonNode invoice) {
        Long remaining = longValue(invoice, "amount_remaining");
        return remaining != null ? remaining : longValue(invoice, "amount_due");
    }

    static String subscription(JsonNode invoice) {
        String current = ref(invoice.path("parent").path("subscription_details"), "subscription");
        return current != null ? current : ref(invoice, "subscription");
    }
}
