package dev.tollgate.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.Seats;

/**
 * The JSON a receiver gets: {@code {id, object: "event", type, created, account_id, data}}. The database
 * triggers record Stripe's price ids; the plan and interval they stand for come from the catalog here.
 */
@ApplicationScoped
public class CallbackBody {

    private final ObjectMapper mapper;
    private final Catalog catalog;

    public CallbackBody(ObjectMapper mapper, Catalog catalog) {
        this.mapper = mapper;
        this.catalog = catalog;
    }

    public String of(CallbackOutbox.Claimed callback) {
        ObjectNode body = mapper.createObjectNode();
        body.put("id", callback.id());
        body.put("object", "event");
        body.put("type", callback.type());
        body.put("created", callback.created().toEpochSecond());
        body.put("account_id", callback.accountId());
        body.set("data", data(callback.type(), callback.data()));
        return body.toString();
    }

    public JsonNode data(String type, String json) {
        JsonNode data;
        try {
            data = mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("A callback's stored data is not JSON", e);
        }
        if (type.startsWith("subscription.") && data instanceof ObjectNode object) {
            plan(object, "price_id", "plan", "interval");
            plan(object, "previous_price_id", "previous_plan", "previous_interval");
            if (object.has("quantity")) {
                seats(object, "price_id", "quantity", "seats");
                seats(object, "previous_price_id", "previous_quantity", "previous_seats");
            }
            if (type.equals("subscription.changed")) {
                changes(object);
            }
        }
        return data;
    }

    /** The seats the subscription covers: its quantity on a per-seat plan, else the plan's seats limit. */
    private void seats(ObjectNode data, String priceField, String quantityField, String seatsField) {
        JsonNode price = data.get(priceField);
        JsonNode quantity = data.get(quantityField);
        Optional<Catalog.PlanPrice> plan = price == null || price.isNull() ? Optional.empty()
                : catalog.planForPrice(price.asText());
        Long seats = plan.map(p -> Seats.of(p.plan(), quantity == null || !quantity.isNumber() ? null
                : quantity.asLong())).orElse(null);
        if (seats == null) {
            data.putNull(seatsField);
        } else {
            data.put(seatsField, seats);
        }
    }

    /** What a subscription.changed changed: "plan", "interval", "seats" (in that order), by the fields above. */
    private static void changes(ObjectNode data) {
        ArrayNode changes = data.putArray("changes");
        for (String field : new String[] { "plan", "interval", "seats" }) {
            if (!data.path(field).equals(data.path("previous_" + field))) {
                changes.add(field);
            }
        }
    }

    private void plan(ObjectNode data, String priceField, String planField, String intervalField) {
        JsonNode price = data.get(priceField);
        Optional<Catalog.PlanPrice> plan = price == null || price.isNull() ? Optional.empty()
                : catalog.planForPrice(price.asText());
        if (plan.isPresent()) {
            data.put(planField, plan.get().planId());
            data.put(intervalField, plan.get().interval().name().toLowerCase(Locale.ROOT));
        } else {
            data.putNull(planField);
            data.putNull(intervalField);
        }
    }
}
