package dev.tollgate.reconciliation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeForm;
import io.smallrye.mutiny.Multi;

/**
 * Reads one of Stripe's list endpoints page by page ({@code starting_after} the last id of the previous
 * page, while {@code has_more}). Pages are requested one at a time, as the consumer asks for them, so a
 * caller can make each page durable before the next one is read.
 */
@ApplicationScoped
public class StripeLists {

    /** One page of a Stripe list. */
    public record Page(List<JsonNode> data, boolean hasMore) {

        /** The id of the last object, the {@code starting_after} of the next page; null on an empty page. */
        public String lastId() {
            return data.isEmpty() ? null : data.get(data.size() - 1).path("id").asText(null);
        }
    }

    private final StripeApi stripe;

    public StripeLists(StripeApi stripe) {
        this.stripe = stripe;
    }

    /**
     * Pages of {@code path}, starting after {@code startingAfter} (null: from the start). {@code query}
     * builds the query of each request; it is called with the page's {@code starting_after}.
     */
    public Multi<Page> pages(String operation, String path, String startingAfter,
            Function<String, StripeForm> query) {
        AtomicReference<String> after = new AtomicReference<>(startingAfter);
        return Multi.createBy().repeating()
                .uni(() -> stripe.get(operation, path + "?" + query.apply(after.get())).map(StripeLists::page)
                        .invoke(page -> after.set(page.lastId())))
                // whilst: the page that ends the list is still emitted
                .whilst(page -> page.hasMore() && page.lastId() != null);
    }

    private static Page page(JsonNode body) {
        List<JsonNode> data = new ArrayList<>();
        body.path("data").forEach(data::add);
        return new Page(data, body.path("has_more").asBoolean(false));
    }
}
