package dev.tollgate.devmode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Stripe objects shaped like Stripe's own examples: the few object types the scenarios send, copied
 * unchanged from fixtures3.json into {@code stripe-shapes.json} (a test keeps the copies equal), with
 * the ids, amounts and states of one scenario filled in.
 */
public final class StripeShapes {

    /** The API version stripe-java pins; Stripe stamps every event with the endpoint's version. */
    public static final String API_VERSION = "2026-07-29.dahlia";
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNode RESOURCES = load();

    private StripeShapes() {
    }

    /** A fresh copy of the example object of {@code type} ("subscription", "checkout.session", ...). */
    public static ObjectNode object(String type) {
        JsonNode node = RESOURCES.get(type);
        if (node == null) {
            throw new IllegalArgumentException("stripe-shapes.json has no " + type);
        }
        return (ObjectNode) node.deepCopy();
    }

    /** The object types held, for the test that compares them with fixtures3.json. */
    public static Iterable<String> types() {
        return RESOURCES::fieldNames;
    }

    public static ObjectNode event(String id, String type, JsonNode object, long created, JsonNode previous) {
        ObjectNode event = object("event");
        event.put("id", id);
        event.put("type", type);
        event.put("created", created);
        event.put("api_version", API_VERSION);
        event.put("livemode", false);
        event.put("pending_webhooks", 1);
        event.putObject("request").putNull("id").putNull("idempotency_key");
        ObjectNode data = event.putObject("data");
        data.set("object", object);
        if (previous != null) {
            data.set("previous_attributes", previous);
        }
        return event;
    }

    static ObjectNode customer(String id, String account, long created) {
        ObjectNode customer = object("customer");
        customer.put("id", id);
        customer.put("created", created);
        customer.put("email", account + "@example.com");
        customer.put("name", account);
        customer.putObject("metadata").put("account_id", account);
        return customer;
    }

    static ObjectNode paymentMethod(String id, String customer, long created) {
        ObjectNode method = object("payment_method");
        method.put("id", id);
        method.put("customer", customer);
        method.put("created", created);
        method.put("type", "card");
        return method;
    }

    static ObjectNode subscription(String id, String customer, String account, String price, String status,
            long created, long periodStart, long periodEnd) {
        ObjectNode sub = object("subscription");
        sub.put("id", id);
        sub.put("customer", customer);
        sub.put("status", status);
        sub.put("created", created);
        sub.put("start_date", created);
        sub.put("billing_cycle_anchor", created);
        sub.put("cancel_at_period_end", false);
        sub.putNull("cancel_at");
        sub.putNull("canceled_at");
        sub.putNull("ended_at");
        sub.putNull("trial_start");
        sub.putNull("trial_end");
        sub.putNull("schedule");
        sub.putNull("pending_update");
        sub.putNull("test_clock");
        sub.put("collection_method", "charge_automatically");
        sub.put("currency", "usd");
        sub.putObject("metadata").put("account_id", account);
        ArrayNode items = (ArrayNode) sub.path("items").path("data");
        ObjectNode item = (ObjectNode) items.get(0);
        while (items.size() > 1) {
            items.remove(1);
        }
        item.put("id", "si_" + id.substring(4));
        item.put("subscription", id);
        item.put("created", created);
        item.put("quantity", 1);
        item.put("current_period_start", periodStart);
        item.put("current_period_end", periodEnd);
        ObjectNode priceNode = (ObjectNode) item.path("price");
        priceNode.put("id", price);
        priceNode.put("unit_amount", 2000);
        priceNode.put("unit_amount_decimal", "2000");
        ((ObjectNode) sub.path("items")).put("url", "/v1/subscription_items?subscription=" + id);
        return sub;
    }

    /** An invoice of the subscription for one period, with its one subscription line. */
    static ObjectNode invoice(String id, String customer, String subscription, String price, String billingReason,
            String status, long amount, long created, long periodStart, long periodEnd) {
        ObjectNode invoice = object("invoice");
        invoice.put("id", id);
        invoice.put("customer", customer);
        invoice.put("status", status);
        invoice.put("created", created);
        invoice.put("billing_reason", billingReason);
        invoice.put("collection_method", "charge_automatically");
        invoice.put("currency", "usd");
        invoice.put("subtotal", amount);
        invoice.put("total", amount);
        invoice.put("amount_due", amount);
        boolean paid = "paid".equals(status);
        invoice.put("amount_paid", paid ? amount : 0);
        invoice.put("amount_remaining", paid ? 0 : amount);
        invoice.put("attempted", !"draft".equals(status));
        invoice.put("attempt_count", "draft".equals(status) ? 0 : 1);
        invoice.put("period_start", periodStart);
        invoice.put("period_end", periodStart);
        invoice.putNull("test_clock");
        invoice.put("hosted_invoice_url", "https://invoice.stripe.com/i/acct_dev/" + id);
        invoice.put("invoice_pdf", "https://pay.stripe.com/invoice/acct_dev/" + id + "/pdf");
        ObjectNode parent = invoice.putObject("parent");
        parent.put("type", "subscription_details");
        parent.putNull("quote_details");
        parent.putObject("subscription_details").put("subscription", subscription).putObject("metadata");
        ObjectNode lines = (ObjectNode) invoice.path("lines");
        ArrayNode data = (ArrayNode) lines.path("data");
        ObjectNode line = (ObjectNode) data.get(0);
        while (data.size() > 1) {
            data.remove(1);
        }
        line.put("id", "il_" + id.substring(3));
        line.put("invoice", id);
        line.put("amount", amount);
        line.put("subtotal", amount);
        line.put("description", "1 × Pro (at $20.00 / month)");
        line.put("subscription", subscription);
        line.putObject("period").put("start", periodStart).put("end", periodEnd);
        ObjectNode lineParent = line.putObject("parent");
        lineParent.put("type", "subscription_item_details");
        lineParent.putNull("invoice_item_details");
        lineParent.putObject("subscription_item_details").put("subscription", subscription)
                .put("subscription_item", "si_" + subscription.substring(4)).put("proration", false)
                .putNull("invoice_item").putNull("proration_details");
        line.putObject("pricing").put("type", "price_details").put("unit_amount_decimal", String.valueOf(amount))
                .putObject("price_details").put("price", price).put("product", "prod_dev_pro");
        lines.put("url", "/v1/invoices/" + id + "/lines");
        if (!"draft".equals(status)) {
            invoice.put("number", "DEV-" + id.substring(3).toUpperCase(java.util.Locale.ROOT));
        }
        return invoice;
    }

    static ObjectNode paymentIntent(String id, String customer, String status, long amount, long created) {
        ObjectNode intent = object("payment_intent");
        intent.put("id", id);
        intent.put("customer", customer);
        intent.put("status", status);
        intent.put("amount", amount);
        intent.put("amount_capturable", 0);
        intent.put("amount_received", "succeeded".equals(status) ? amount : 0);
        intent.put("currency", "usd");
        intent.put("created", created);
        intent.put("client_secret", id + "_secret_dev");
        intent.putNull("last_payment_error");
        intent.putArray("payment_method_types").add("card");
        intent.put("payment_method", "pm_" + id.substring(3));
        return intent;
    }

    static ObjectNode charge(String id, String customer, String paymentIntent, String status, long amount,
            long refunded, long created) {
        ObjectNode charge = object("charge");
        charge.put("id", id);
        charge.put("customer", customer);
        charge.put("payment_intent", paymentIntent);
        charge.put("payment_method", "pm_" + paymentIntent.substring(3));
        charge.put("status", status);
        charge.put("amount", amount);
        boolean succeeded = "succeeded".equals(status);
        charge.put("amount_captured", succeeded ? amount : 0);
        charge.put("amount_refunded", refunded);
        charge.put("refunded", refunded >= amount && amount > 0);
        charge.put("paid", succeeded);
        charge.put("captured", succeeded);
        charge.put("currency", "usd");
        charge.put("created", created);
        if (!succeeded) {
            charge.put("failure_code", "card_declined");
            charge.put("failure_message", "Your card was declined.");
        }
        ObjectNode details = charge.putObject("payment_method_details");
        details.put("type", "card");
        details.putObject("card").put("brand", "visa").put("last4", succeeded ? "4242" : "0341")
                .put("exp_month", 12).put("exp_year", 2034).put("funding", "credit").put("country", "US");
        charge.put("receipt_url", "https://pay.stripe.com/receipts/acct_dev/" + id);
        return charge;
    }

    static ObjectNode refund(String id, String charge, String paymentIntent, long amount, long created) {
        ObjectNode refund = object("refund");
        refund.put("id", id);
        refund.put("charge", charge);
        refund.put("payment_intent", paymentIntent);
        refund.put("status", "succeeded");
        refund.put("reason", "requested_by_customer");
        refund.put("amount", amount);
        refund.put("currency", "usd");
        refund.put("created", created);
        return refund;
    }

    static ObjectNode checkoutSession(String id, String customer, String account, String mode, long amount,
            long created) {
        ObjectNode session = object("checkout.session");
        session.put("id", id);
        session.put("customer", customer);
        session.put("client_reference_id", account);
        session.put("mode", mode);
        session.put("status", "complete");
        session.put("payment_status", "paid");
        session.put("currency", "usd");
        session.put("amount_subtotal", amount);
        session.put("amount_total", amount);
        session.put("created", created);
        session.put("expires_at", created + 86_400);
        session.putNull("url");
        session.put("success_url", "http://localhost:3000/billing/success?session_id={CHECKOUT_SESSION_ID}");
        session.put("cancel_url", "http://localhost:3000/billing");
        session.putObject("metadata").put("account_id", account);
        return session;
    }

    private static JsonNode load() {
        try (InputStream in = StripeShapes.class.getResourceAsStream("stripe-shapes.json")) {
            return MAPPER.readTree(in).get("resources");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
