package dev.tollgate.tools.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeObjects;

/**
 * A realistic Stripe event stream for N customers, built from fixtures3.json shapes: sign-ups whose
 * nine events share one second (subscription created + updated, invoice created/finalized/paid/
 * payment_succeeded, payment intent, charge, checkout session), renewals, failed renewals recovered
 * later, plan changes, cancellations, credit-pack purchases and refunds. It remembers the last
 * version of every object, which is what the mirrors must hold once everything is applied.
 */
public final class EventStream {

    private static final long DAY = 86_400;
    private static final long MONTH = 30 * DAY;

    private final Random random;
    private final List<Delivery> deliveries = new ArrayList<>();
    /** "table:id" -> the object JSON the mirror must end with. */
    private final Map<String, JsonNode> expected = new LinkedHashMap<>();
    private final String runId;

    private EventStream(long seed, String runId) {
        this.random = new Random(seed);
        this.runId = runId;
    }

    /** Events created around {@code baseEpoch}; ids are unique per {@code runId}. */
    public static EventStream generate(int customers, long seed, long baseEpoch, String runId) {
        EventStream stream = new EventStream(seed, runId);
        for (int i = 0; i < customers; i++) {
            stream.customerLifecycle(i, baseEpoch + stream.random.nextInt(3600));
        }
        return stream;
    }

    public List<Delivery> deliveries() {
        return deliveries;
    }

    public Map<String, JsonNode> expected() {
        return expected;
    }

    private void customerLifecycle(int index, long t) {
        String c = runId + index;
        String customerId = "cus_" + c;
        String account = "acct-" + c;
        emit("customer.created", "stripe_customer", StripeObjects.customer(customerId, account), t, null);

        // Sign-up: everything in one second, like Stripe does it.
        t += 5;
        String subId = "sub_" + c;
        long periodStart = t;
        ObjectNode sub = StripeObjects.subscription(subId, customerId, "incomplete", periodStart, periodStart + MONTH);
        emit("customer.subscription.created", "stripe_subscription", sub.deepCopy(), t, null);
        String invoiceId = "in_" + c + "_0";
        invoiceCycle(invoiceId, customerId, subId, "subscription_create", t, false);
        paymentAndCharge(c + "_0", customerId, 2000, t);
        ObjectNode active = sub.deepCopy().put("status", "active");
        emit("customer.subscription.updated", "stripe_subscription", active, t, prev("status", "incomplete"));
        ObjectNode session = StripeObjects.checkoutSession("cs_" + c + "_sub", customerId, account, "subscription",
                "paid");
        session.put("subscription", subId);
        emit("checkout.session.completed", "stripe_checkout_session", session, t, null);

        ObjectNode current = active;
        long last = t;
        int renewals = random.nextInt(3);
        for (int r = 1; r <= renewals; r++) {
            t = periodStart + r * MONTH;
            boolean fails = random.nextInt(100) < 15;
            ObjectNode renewed = withPeriod(current, t, t + MONTH);
            emit("customer.subscription.updated", "stripe_subscription", renewed, t, prevItems(current));
            current = renewed;
            String renewalInvoice = "in_" + c + "_" + r;
            if (fails) {
                invoiceCycle(renewalInvoice, customerId, subId, "subscription_cycle", t, true);
                ObjectNode pastDue = current.deepCopy().put("status", "past_due");
                emit("customer.subscription.updated", "stripe_subscription", pastDue, t + 1, prev("status", "active"));
                long retry = t + 3 * DAY;
                ObjectNode paid = StripeObjects.invoice(renewalInvoice, customerId, subId, "paid", 2000);
                paid.put("billing_reason", "subscription_cycle").put("attempt_count", 2);
                emit("invoice.paid", "stripe_invoice", paid, retry, null);
                ObjectNode recovered = pastDue.deepCopy().put("status", "active");
                emit("customer.subscription.updated", "stripe_subscription", recovered, retry,
                        prev("status", "past_due"));
                current = recovered;
                last = retry;
            } else {
                invoiceCycle(renewalInvoice, customerId, subId, "subscription_cycle", t, false);
                last = t;
            }
        }
        t = last + 2 * DAY;
        if (random.nextInt(100) < 20) {
            ObjectNode changed = current.deepCopy();
            ((ObjectNode) changed.path("items").path("data").path(0).path("price")).put("id", "price_team_monthly");
            emit("customer.subscription.updated", "stripe_subscription", changed, t, prevItems(current));
            current = changed;
            t += 60;
        }
        if (random.nextInt(100) < 20) {
            ObjectNode canceling = current.deepCopy().put("cancel_at_period_end", true);
            emit("customer.subscription.updated", "stripe_subscription", canceling, t,
                    prev("cancel_at_period_end", false));
            ObjectNode canceled = canceling.deepCopy().put("status", "canceled").put("canceled_at", t)
                    .put("ended_at", t + DAY);
            emit("customer.subscription.deleted", "stripe_subscription", canceled, t + DAY, null);
            t += 2 * DAY;
        }
        if (random.nextInt(100) < 30) {
            t += 3600;
            String pack = c + "_pack";
            ObjectNode packSession = StripeObjects.checkoutSession("cs_" + pack, customerId, account, "payment",
                    "paid");
            packSession.put("payment_intent", "pi_" + pack);
            packSession.putObject("metadata").put("account_id", account).put("pack", "small").put("quantity", "1");
            emit("checkout.session.completed", "stripe_checkout_session", packSession, t, null);
            paymentAndCharge(pack, customerId, 500, t);
            if (random.nextInt(100) < 35) {
                long refundAt = t + DAY;
                emit("refund.created", "stripe_refund", StripeObjects.refund("re_" + pack, "ch_" + pack, "pi_" + pack,
                        250), refundAt, null);
                ObjectNode refunded = StripeObjects.charge("ch_" + pack, customerId, "pi_" + pack, 500, 250);
                emit("charge.refunded", "stripe_charge", refunded, refundAt, prev("amount_refunded", 0));
            }
        }
    }

    /** invoice.created, .finalized, .paid and .payment_succeeded (or .payment_failed) in one second. */
    private void invoiceCycle(String id, String customer, String sub, String reason, long t, boolean fails) {
        ObjectNode draft = StripeObjects.invoice(id, customer, sub, "draft", 2000);
        draft.put("billing_reason", reason);
        emit("invoice.created", "stripe_invoice", draft, t, null);
        ObjectNode open = draft.deepCopy().put("status", "open").put("number", "INV-" + id);
        emit("invoice.finalized", "stripe_invoice", open, t, null);
        if (fails) {
            ObjectNode failed = open.deepCopy().put("attempt_count", 1).put("next_payment_attempt", t + 3 * DAY);
            emit("invoice.payment_failed", "stripe_invoice", failed, t, null);
            return;
        }
        ObjectNode paid = StripeObjects.invoice(id, customer, sub, "paid", 2000);
        paid.put("billing_reason", reason).put("number", "INV-" + id);
        emit("invoice.paid", "stripe_invoice", paid, t, null);
        emit("invoice.payment_succeeded", "stripe_invoice", paid.deepCopy(), t, null);
    }

    private void paymentAndCharge(String suffix, String customer, long amount, long t) {
        ObjectNode intent = StripeObjects.paymentIntent("pi_" + suffix, customer, "succeeded", amount);
        intent.put("latest_charge", "ch_" + suffix);
        emit("payment_intent.succeeded", "stripe_payment_intent", intent, t, null);
        emit("charge.succeeded", "stripe_charge", StripeObjects.charge("ch_" + suffix, customer, "pi_" + suffix,
                amount, 0), t, null);
    }

    private ObjectNode withPeriod(ObjectNode subscription, long start, long end) {
        ObjectNode next = subscription.deepCopy();
        ObjectNode item = (ObjectNode) next.path("items").path("data").path(0);
        item.put("current_period_start", start);
        item.put("current_period_end", end);
        return next;
    }

    private static ObjectNode prev(String field, Object value) {
        ObjectNode prev = StripeFixtures.MAPPER.createObjectNode();
        if (value instanceof Boolean b) {
            prev.put(field, b);
        } else if (value instanceof Integer i) {
            prev.put(field, i);
        } else {
            prev.put(field, String.valueOf(value));
        }
        return prev;
    }

    /** Stripe lists an updated array whole in previous_attributes. */
    private static ObjectNode prevItems(ObjectNode before) {
        ObjectNode prev = StripeFixtures.MAPPER.createObjectNode();
        ObjectNode items = prev.putObject("items");
        items.set("data", (ArrayNode) before.path("items").path("data").deepCopy());
        return prev;
    }

    private void emit(String type, String table, ObjectNode object, long created, ObjectNode previous) {
        String eventId = "evt_" + runId + "_" + deliveries.size();
        ObjectNode event = StripeEvents.event(eventId, type, object, created, previous);
        deliveries.add(new Delivery(eventId, type, event.toString()));
        expected.put(table + ":" + object.path("id").asText(), object);
    }
}
