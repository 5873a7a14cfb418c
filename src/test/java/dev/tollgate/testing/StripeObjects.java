package dev.tollgate.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Realistic Stripe objects with the ids and fields a scenario needs, built on the fixture shapes. */
public final class StripeObjects {

    public static final String PRICE_PRO_MONTHLY = "price_pro_monthly";

    private StripeObjects() {
    }

    public static ObjectNode customer(String id, String accountId) {
        ObjectNode customer = StripeFixtures.object("customer");
        customer.put("id", id);
        customer.put("email", accountId + "@example.com");
        customer.putObject("metadata").put("account_id", accountId);
        return customer;
    }

    /** A customer's tax id (an EU VAT number) with the given verification status. */
    public static ObjectNode taxId(String id, String customer, String verification) {
        ObjectNode taxId = StripeFixtures.object("tax_id");
        taxId.put("id", id);
        taxId.put("customer", customer);
        ((ObjectNode) taxId.path("owner")).put("customer", customer);
        ((ObjectNode) taxId.path("verification")).put("status", verification);
        return taxId;
    }

    public static ObjectNode subscription(String id, String customer, String status, long periodStart,
            long periodEnd) {
        ObjectNode sub = StripeFixtures.object("subscription");
        sub.put("id", id);
        sub.put("customer", customer);
        sub.put("status", status);
        sub.put("cancel_at_period_end", false);
        sub.putNull("cancel_at");
        sub.putNull("canceled_at");
        sub.putNull("ended_at");
        sub.putNull("trial_start");
        sub.putNull("trial_end");
        sub.put("created", periodStart);
        ArrayNode items = (ArrayNode) sub.path("items").path("data");
        ObjectNode item = (ObjectNode) items.get(0);
        while (items.size() > 1) {
            items.remove(1);
        }
        item.put("id", "si_" + id.substring(4));
        item.put("subscription", id);
        item.put("quantity", 1);
        item.put("current_period_start", periodStart);
        item.put("current_period_end", periodEnd);
        ((ObjectNode) item.path("price")).put("id", PRICE_PRO_MONTHLY);
        return sub;
    }

    /**
     * A discount of a subscription (customer.discount.* events; Stripe's answer with discounts expanded), from a
     * promotion code and a percent-off coupon lasting forever, both expanded.
     */
    public static ObjectNode discount(String id, String customer, String subscription, String code, double percentOff,
            long start) {
        ObjectNode discount = StripeFixtures.object("discount");
        discount.put("id", id);
        discount.put("customer", customer);
        discount.put("subscription", subscription);
        discount.put("start", start);
        discount.putNull("end");
        ObjectNode promo = StripeFixtures.object("promotion_code");
        promo.put("id", "promo_" + id.substring(3)).put("code", code).put("active", true);
        discount.set("promotion_code", promo);
        ObjectNode coupon = StripeFixtures.object("coupon");
        coupon.put("id", "coupon_" + id.substring(3)).put("name", code).put("percent_off", percentOff)
                .putNull("amount_off").put("duration", "forever").putNull("duration_in_months");
        ((ObjectNode) discount.path("source")).set("coupon", coupon);
        return discount;
    }

    public static ObjectNode invoice(String id, String customer, String subscription, String status, long amount) {
        ObjectNode invoice = StripeFixtures.object("invoice");
        invoice.put("id", id);
        invoice.put("customer", customer);
        invoice.put("status", status);
        invoice.put("billing_reason", "subscription_cycle");
        invoice.put("currency", "usd");
        invoice.put("amount_due", amount);
        boolean paid = "paid".equals(status);
        invoice.put("amount_paid", paid ? amount : 0);
        invoice.put("amount_remaining", paid ? 0 : amount);
        invoice.put("total", amount);
        invoice.put("attempt_count", paid ? 1 : 0);
        invoice.put("hosted_invoice_url", "https://invoice.stripe.com/i/" + id);
        invoice.put("invoice_pdf", "https://pay.stripe.com/invoice/" + id + "/pdf");
        ObjectNode parent = invoice.putObject("parent");
        parent.put("type", "subscription_details");
        parent.putObject("subscription_details").put("subscription", subscription).putObject("metadata");
        return invoice;
    }

    public static ObjectNode paymentIntent(String id, String customer, String status, long amount) {
        ObjectNode intent = StripeFixtures.object("payment_intent");
        intent.put("id", id);
        intent.put("customer", customer);
        intent.put("status", status);
        intent.put("amount", amount);
        intent.put("amount_received", "succeeded".equals(status) ? amount : 0);
        intent.put("currency", "usd");
        intent.putNull("last_payment_error");
        intent.putArray("payment_method_types").add("card");
        return intent;
    }

    public static ObjectNode charge(String id, String customer, String paymentIntent, long amount, long refunded) {
        ObjectNode charge = StripeFixtures.object("charge");
        charge.put("id", id);
        charge.put("customer", customer);
        charge.put("payment_intent", paymentIntent);
        charge.put("status", "succeeded");
        charge.put("amount", amount);
        charge.put("amount_refunded", refunded);
        charge.put("refunded", refunded >= amount);
        charge.put("paid", true);
        charge.put("currency", "usd");
        ObjectNode details = charge.putObject("payment_method_details");
        details.put("type", "card");
        details.putObject("card").put("brand", "visa").put("last4", "4242");
        return charge;
    }

    public static ObjectNode refund(String id, String charge, String paymentIntent, long amount) {
        ObjectNode refund = StripeFixtures.object("refund");
        refund.put("id", id);
        refund.put("charge", charge);
        refund.put("payment_intent", paymentIntent);
        refund.put("status", "succeeded");
        refund.put("amount", amount);
        refund.put("currency", "usd");
        return refund;
    }

    public static ObjectNode checkoutSession(String id, String customer, String accountId, String mode,
            String paymentStatus) {
        ObjectNode session = StripeFixtures.object("checkout.session");
        session.put("id", id);
        session.put("customer", customer);
        session.put("client_reference_id", accountId);
        session.put("mode", mode);
        session.put("status", "complete");
        session.put("payment_status", paymentStatus);
        session.put("currency", "usd");
        session.put("amount_total", 1000);
        session.putObject("metadata").put("account_id", accountId);
        return session;
    }

    public static ObjectNode product(String id, String name) {
        ObjectNode product = StripeFixtures.object("product");
        product.put("id", id);
        product.put("name", name);
        product.putNull("default_price");
        return product;
    }

    /** A price; {@code interval} month/year for a recurring price, null for a one-time one. */
    public static ObjectNode price(String id, String product, long amount, String interval, String lookupKey) {
        ObjectNode price = StripeFixtures.object("price");
        price.put("id", id);
        price.put("product", product);
        price.put("currency", "usd");
        price.put("unit_amount", amount);
        price.put("unit_amount_decimal", String.valueOf(amount));
        if (lookupKey == null) {
            price.putNull("lookup_key");
        } else {
            price.put("lookup_key", lookupKey);
        }
        if (interval == null) {
            price.put("type", "one_time");
            price.putNull("recurring");
        } else {
            ((ObjectNode) price.path("recurring")).put("interval", interval);
        }
        return price;
    }

    public static ObjectNode webhookEndpoint(String id, String url, java.util.List<String> events, String apiVersion) {
        ObjectNode endpoint = StripeFixtures.object("webhook_endpoint");
        endpoint.put("id", id);
        endpoint.put("url", url);
        endpoint.put("api_version", apiVersion);
        ArrayNode enabled = endpoint.putArray("enabled_events");
        events.forEach(enabled::add);
        return endpoint;
    }

    /** A Stripe list page ({"object": "list", "data": [...], "has_more": ...}). */
    public static ObjectNode list(String url, boolean hasMore, ObjectNode... items) {
        ObjectNode list = StripeFixtures.MAPPER.createObjectNode();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        for (ObjectNode item : items) {
            data.add(item);
        }
        list.put("has_more", hasMore);
        list.put("url", url);
        return list;
    }

    /** Stripe's answer to a retrieve of an id it does not know (status 404). */
    public static String missing(String param, String id) {
        ObjectNode body = StripeFixtures.MAPPER.createObjectNode();
        body.putObject("error").put("type", "invalid_request_error").put("code", "resource_missing")
                .put("param", param).put("message", "No such " + param + ": '" + id + "'");
        return body.toString();
    }
}
