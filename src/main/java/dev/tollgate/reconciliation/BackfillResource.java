package dev.tollgate.reconciliation;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.mirror.MirrorSpec;
import dev.tollgate.mirror.MirrorSpecs;
import dev.tollgate.stripe.StripeForm;
import dev.tollgate.webhook.processing.DirectApplier;

/**
 * What the backfill imports, in this order (customers first, so that the subscriptions imported after
 * them find their account). Each object is applied under the event type whose effects its current state
 * should have: subscriptions issue or revoke licenses as their state says; invoices use
 * {@code invoice.updated}, so importing history never grants plan credits for periods that were paid
 * before Tollgate ran.
 */
public enum BackfillResource {

    CUSTOMERS("customers", "/v1/customers", MirrorSpecs.CUSTOMER, "customer.updated"),
    PRODUCTS("products", "/v1/products", MirrorSpecs.PRODUCT, "product.updated"),
    PRICES("prices", "/v1/prices", MirrorSpecs.PRICE, "price.updated"),
    /** status=all: Stripe leaves canceled subscriptions out of the list otherwise. */
    SUBSCRIPTIONS("subscriptions", "/v1/subscriptions", MirrorSpecs.SUBSCRIPTION, "customer.subscription.updated"),
    INVOICES("invoices", "/v1/invoices", MirrorSpecs.INVOICE, "invoice.updated"),
    /** The latest charge comes expanded: payment history shows its card brand and last digits. */
    PAYMENT_INTENTS("payment_intents", "/v1/payment_intents", MirrorSpecs.PAYMENT_INTENT, "payment_intent.updated"),
    REFUNDS("refunds", "/v1/refunds", MirrorSpecs.REFUND, "refund.updated");

    private final String resource;
    private final String path;
    private final MirrorSpec spec;
    private final String eventType;

    BackfillResource(String resource, String path, MirrorSpec spec, String eventType) {
        this.resource = resource;
        this.path = path;
        this.spec = spec;
        this.eventType = eventType;
    }

    public String resource() {
        return resource;
    }

    public String path() {
        return path;
    }

    StripeForm query(int pageSize, String startingAfter) {
        StripeForm form = new StripeForm().add("limit", pageSize);
        if (this == SUBSCRIPTIONS) {
            form.add("status", "all");
        } else if (this == PAYMENT_INTENTS) {
            form.add("expand[]", "data.latest_charge");
        }
        return form.add("starting_after", startingAfter);
    }

    /** The mirror writes for one listed object. */
    List<DirectApplier.Read> reads(JsonNode object) {
        List<DirectApplier.Read> reads = new ArrayList<>(2);
        if (this == PAYMENT_INTENTS && object.path("latest_charge").isObject() && object instanceof ObjectNode intent) {
            JsonNode charge = intent.get("latest_charge");
            // Stored like a webhook would carry it: the charge by id, the charge in its own mirror.
            intent.put("latest_charge", charge.path("id").asText());
            reads.add(new DirectApplier.Read("charge.updated", charge, MirrorSpecs.CHARGE));
        }
        reads.add(new DirectApplier.Read(eventType, object, spec));
        return reads;
    }
}
