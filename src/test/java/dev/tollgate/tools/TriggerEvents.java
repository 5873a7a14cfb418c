package dev.tollgate.tools;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeObjects;

/**
 * The objects {@link StripeTrigger} puts into each event type, built from fixtures3.json shapes with
 * the ids of one made-up customer, so that a series of triggers tells one consistent story.
 */
final class TriggerEvents {

    /** The ids one trigger run uses. */
    record Ids(String account, String customer, String subscription, String invoice, String paymentIntent,
            String charge) {
    }

    private interface Builder {
        ObjectNode build(String type, Ids ids);
    }

    private static final Map<String, Builder> BY_PREFIX = new LinkedHashMap<>();

    static {
        BY_PREFIX.put("customer.subscription.", TriggerEvents::subscription);
        BY_PREFIX.put("customer.discount.", TriggerEvents::discount);
        BY_PREFIX.put("customer.tax_id.", (type, ids) -> StripeObjects.taxId("txi_" + ids.customer().substring(4),
                ids.customer(), type.equals("customer.tax_id.updated") ? "verified" : "pending"));
        BY_PREFIX.put("customer.", (type, ids) -> StripeObjects.customer(ids.customer(), ids.account()));
        BY_PREFIX.put("invoice.", TriggerEvents::invoice);
        BY_PREFIX.put("payment_intent.", TriggerEvents::paymentIntent);
        BY_PREFIX.put("charge.dispute.", (type, ids) -> StripeFixtures.object("dispute").put("charge", ids.charge())
                .put("status", type.endsWith("closed") ? "won" : "needs_response"));
        BY_PREFIX.put("charge.", (type, ids) -> StripeObjects.charge(ids.charge(), ids.customer(),
                ids.paymentIntent(), 2000, type.equals("charge.refunded") ? 2000 : 0));
        BY_PREFIX.put("refund.", (type, ids) -> StripeObjects.refund("re_" + ids.charge().substring(3),
                ids.charge(), ids.paymentIntent(), 2000));
        BY_PREFIX.put("checkout.session.", TriggerEvents::checkoutSession);
        BY_PREFIX.put("product.", (type, ids) -> StripeFixtures.object("product"));
        BY_PREFIX.put("price.", (type, ids) -> StripeFixtures.object("price"));
    }

    private TriggerEvents() {
    }

    static Set<String> prefixes() {
        return BY_PREFIX.keySet();
    }

    /** The data.object for {@code type}, or null when no builder knows that kind of event. */
    static ObjectNode objectFor(String type, Ids ids) {
        for (Map.Entry<String, Builder> entry : BY_PREFIX.entrySet()) {
            if (type.startsWith(entry.getKey())) {
                return entry.getValue().build(type, ids);
            }
        }
        return null;
    }

    private static ObjectNode subscription(String type, Ids ids) {
        long now = System.currentTimeMillis() / 1000;
        String status = switch (type) {
            case "customer.subscription.created" -> "incomplete";
            case "customer.subscription.deleted" -> "canceled";
            case "customer.subscription.paused" -> "paused";
            case "customer.subscription.trial_will_end" -> "trialing";
            default -> "active";
        };
        return StripeObjects.subscription(ids.subscription(), ids.customer(), status, now, now + 30 * 86_400);
    }

    /** A 25% forever discount from the promotion code SUMMER25 on the run's subscription. */
    private static ObjectNode discount(String type, Ids ids) {
        long now = System.currentTimeMillis() / 1000;
        return StripeObjects.discount("di_" + ids.subscription().substring(4), ids.customer(), ids.subscription(),
                "SUMMER25", 25.0, now);
    }

    private static ObjectNode invoice(String type, Ids ids) {
        String status = switch (type) {
            case "invoice.created", "invoice.upcoming" -> "draft";
            case "invoice.paid", "invoice.payment_succeeded" -> "paid";
            case "invoice.voided" -> "void";
            case "invoice.marked_uncollectible" -> "uncollectible";
            default -> "open";
        };
        return StripeObjects.invoice(ids.invoice(), ids.customer(), ids.subscription(), status, 2000);
    }

    private static ObjectNode paymentIntent(String type, Ids ids) {
        String status = switch (type) {
            case "payment_intent.succeeded" -> "succeeded";
            case "payment_intent.processing" -> "processing";
            case "payment_intent.canceled" -> "canceled";
            default -> "requires_payment_method";
        };
        ObjectNode intent = StripeObjects.paymentIntent(ids.paymentIntent(), ids.customer(), status, 2000);
        if (type.equals("payment_intent.payment_failed")) {
            intent.putObject("last_payment_error").put("code", "card_declined").put("message",
                    "Your card was declined.");
        }
        return intent;
    }

    private static ObjectNode checkoutSession(String type, Ids ids) {
        boolean paid = type.equals("checkout.session.completed") || type.endsWith("async_payment_succeeded");
        ObjectNode session = StripeObjects.checkoutSession("cs_test_" + ids.customer().substring(4), ids.customer(),
                ids.account(), "subscription", paid ? "paid" : "unpaid");
        session.put("subscription", ids.subscription());
        if (type.equals("checkout.session.expired")) {
            session.put("status", "expired");
        }
        return session;
    }
}
