package dev.tollgate.callbacks;

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
 * subscription.trial_ending: Stripe's customer.subscription.trial_will_end (three days before a trial
 * ends) as a callback, so the product can remind the customer to add a card. The other subscription
 * callbacks follow the mirror's changes (database triggers, V8); this event changes nothing in the
 * subscription, so it is an effect of the event itself. Once per subscription and trial end, however
 * often the event is delivered or replayed.
 */
@ApplicationScoped
public class TrialEndingCallbacks implements EventEffect {

    static final String TYPE = "subscription.trial_ending";
    private static final String EVENT = "customer.subscription.trial_will_end";
    private static final String WRITE = "select tollgate_callback($1, tollgate_customer_account($2, $3), $4, $5::text::jsonb)";

    private final ObjectMapper mapper;

    public TrialEndingCallbacks(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public Uni<Void> apply(SqlConnection connection, List<ParsedEvent> events) {
        List<Tuple> callbacks = new ArrayList<>();
        for (ParsedEvent event : events) {
            JsonNode subscription = event.object();
            if (EVENT.equals(event.type()) && subscription.path("trial_end").isIntegralNumber()) {
                callbacks.add(callback(subscription));
            }
        }
        return callbacks.isEmpty() ? Uni.createFrom().voidItem()
                : connection.preparedQuery(WRITE).executeBatch(callbacks).replaceWithVoid();
    }

    private Tuple callback(JsonNode subscription) {
        String id = subscription.path("id").asText();
        long trialEnd = subscription.path("trial_end").asLong();
        ObjectNode data = mapper.createObjectNode();
        data.put("subscription_id", id);
        data.put("customer_id", subscription.path("customer").asText(null));
        data.put("status", subscription.path("status").asText(null));
        data.put("price_id", subscription.path("items").path("data").path(0).path("price").path("id").asText(null));
        data.put("trial_end", trialEnd);
        JsonNode metadata = subscription.path("metadata");
        return Tuple.of(TYPE, subscription.path("customer").asText(null),
                metadata.isObject() ? metadata.toString() : null, TYPE + ":" + id + ":" + trialEnd, data.toString());
    }
}
