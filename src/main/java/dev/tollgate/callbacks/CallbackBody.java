package dev.tollgate.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.catalog.Catalog;

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
        }
        return data;
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
