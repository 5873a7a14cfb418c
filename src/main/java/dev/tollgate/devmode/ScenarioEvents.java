package dev.tollgate.devmode;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the events of a {@link Scenario} for one account, in the order Stripe creates them and with its
 * timing: what Stripe does in one second shares one {@code created} second (the ties the processor must
 * order), and what it does later is later. Ids follow the account (cus_acct42, sub_acct42, ...), so the
 * scenarios of one account tell one story; {@code ref} tells several pack purchases apart. The hour Stripe
 * waits between creating a renewal invoice and charging it is compressed into the same second.
 *
 * <p>
 * Pure: no I/O, so the dev endpoint, the trigger tool and a future simulator share it.
 */
public final class ScenarioEvents {

    private static final long DAY = 86_400;
    private static final long PERIOD = 30 * DAY;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** The catalog the events refer to: the plan price a subscription is on, the pack bought. */
    public record Prices(String planPrice, long planAmount, String pack, String packPrice, long packAmount) {
        public static final Prices DEFAULTS = new Prices("price_pro_monthly", 2000, "small", "price_pack_small", 500);
    }

    /** The ids of one account's Stripe objects. */
    public record Ids(String account, String customer, String subscription, String suffix) {
        public static Ids of(String account) {
            String suffix = account.replaceAll("[^A-Za-z0-9]", "");
            if (suffix.isEmpty()) {
                suffix = "dev";
            }
            return new Ids(account, "cus_" + suffix, "sub_" + suffix, suffix);
        }
    }

    private final Ids ids;
    private final Prices prices;
    private final long now;
    private final List<ObjectNode> events = new ArrayList<>();

    private ScenarioEvents(Ids ids, Prices prices, long now) {
        this.ids = ids;
        this.prices = prices;
        this.now = now;
    }

    /**
     * @param ref distinguishes purchases of one account (buy-pack and refund with the same ref belong
     *        together); null or blank is "1"
     * @param now the second the scenario happens in (Unix seconds)
     */
    public static List<ObjectNode> build(Scenario scenario, String account, String ref, Prices prices, long now) {
        ScenarioEvents story = new ScenarioEvents(Ids.of(account), prices, now);
        String purchase = ref == null || ref.isBlank() ? "1" : ref.replaceAll("[^A-Za-z0-9]", "");
        switch (scenario) {
            case SUBSCRIBE -> story.subscribe();
            case RENEW -> story.renew();
            case PAYMENT_FAILED -> story.paymentFailed();
            case CANCEL -> story.cancel();
            case BUY_PACK -> story.buyPack(purchase);
            case REFUND -> story.refund(purchase);
        }
        return List.copyOf(story.events);
    }

    /**
     * Checkout in subscription mode, paid by card. Tollgate created the customer when the Checkout started (a
     * minute before); the payment then produces, within one second, the events in the order Stripe creates them.
     */
    private void subscribe() {
        String invoice = "in_" + ids.suffix() + "_first";
        String intent = "pi_" + ids.suffix() + "_first";
        String charge = "ch_" + ids.suffix() + "_first";
        String method = "pm_" + intent.substring(3);
        long start = now;
        long end = now + PERIOD;
        ObjectNode customer = StripeShapes.customer(ids.customer(), ids.account(), now - 60);
        add("customer.created", customer, now - 60, null);
        add("charge.succeeded", StripeShapes.charge(charge, ids.customer(), intent, "succeeded", prices.planAmount(), 0,
                now), now, null);
        add("payment_method.attached", StripeShapes.paymentMethod(method, ids.customer(), now), now, null);
        ObjectNode withMethod = customer.deepCopy();
        ((ObjectNode) withMethod.path("invoice_settings")).put("default_payment_method", method);
        add("customer.updated", withMethod, now, previous("invoice_settings", object().putNull("default_payment_method")));
        ObjectNode incomplete = subscription("incomplete", start, end);
        incomplete.put("latest_invoice", invoice);
        add("customer.subscription.created", incomplete, now, null);
        ObjectNode active = incomplete.deepCopy().put("status", "active").put("default_payment_method", method);
        add("customer.subscription.updated", active, now,
                object().put("status", "incomplete").putNull("default_payment_method"));
        add("payment_intent.succeeded", StripeShapes.paymentIntent(intent, ids.customer(), "succeeded",
                prices.planAmount(), now), now, null);
        add("payment_intent.created", StripeShapes.paymentIntent(intent, ids.customer(), "requires_payment_method",
                prices.planAmount(), now), now, null);
        add("invoice.created", invoice(invoice, "subscription_create", "draft", start, end), now, null);
        add("invoice.finalized", invoice(invoice, "subscription_create", "open", start, end), now, null);
        ObjectNode paid = invoice(invoice, "subscription_create", "paid", start, end);
        add("invoice.updated", paid, now, object().put("status", "open").put("amount_paid", 0)
                .put("amount_remaining", prices.planAmount()));
        add("invoice.paid", paid, now, null);
        add("invoice.payment_succeeded", paid, now, null);
        ObjectNode session = StripeShapes.checkoutSession("cs_test_" + ids.suffix() + "_subscribe", ids.customer(),
                ids.account(), "subscription", prices.planAmount(), now - 60);
        session.put("subscription", ids.subscription()).put("invoice", invoice).putNull("payment_intent");
        ((ObjectNode) session.path("metadata")).put("plan", "pro");
        add("checkout.session.completed", session, now, null);
    }

    /** The period ends: the subscription moves on, the renewal invoice is created, finalized and paid. */
    private void renew() {
        String invoice = "in_" + ids.suffix() + "_" + Long.toString(now, 36);
        renewal(invoice, true);
    }

    /** The next renewal: the invoice's card payment is declined, the subscription goes past_due. */
    private void paymentFailed() {
        String invoice = "in_" + ids.suffix() + "_" + Long.toString(now, 36);
        renewal(invoice, false);
    }

    private void renewal(String invoice, boolean pays) {
        String intent = "pi_" + invoice.substring(3);
        String charge = "ch_" + invoice.substring(3);
        long start = now;
        long end = now + PERIOD;
        ObjectNode moved = subscription("active", now - PERIOD, end);
        moved.put("latest_invoice", invoice);
        ObjectNode item = (ObjectNode) moved.path("items").path("data").get(0);
        item.put("current_period_start", start);
        ObjectNode previousItem = object().put("id", item.path("id").asText()).put("current_period_start", now - PERIOD)
                .put("current_period_end", now);
        ObjectNode previous = object().put("latest_invoice", "in_" + ids.suffix() + "_previous");
        previous.putObject("items").putArray("data").add(previousItem);
        add("customer.subscription.updated", moved, now, previous);
        add("invoice.created", invoice(invoice, "subscription_cycle", "draft", start, end), now, null);
        add("invoice.finalized", invoice(invoice, "subscription_cycle", "open", start, end), now, null);
        add("payment_intent.created", StripeShapes.paymentIntent(intent, ids.customer(), "requires_confirmation",
                prices.planAmount(), now), now, null);
        if (pays) {
            add("payment_intent.succeeded", StripeShapes.paymentIntent(intent, ids.customer(), "succeeded",
                    prices.planAmount(), now), now, null);
            add("charge.succeeded", StripeShapes.charge(charge, ids.customer(), intent, "succeeded",
                    prices.planAmount(), 0, now), now, null);
            ObjectNode paid = invoice(invoice, "subscription_cycle", "paid", start, end);
            add("invoice.updated", paid, now, object().put("status", "open").put("amount_paid", 0));
            add("invoice.paid", paid, now, null);
            add("invoice.payment_succeeded", paid, now, null);
            return;
        }
        ObjectNode declined = StripeShapes.paymentIntent(intent, ids.customer(), "requires_payment_method",
                prices.planAmount(), now);
        declined.putObject("last_payment_error").put("type", "card_error").put("code", "card_declined")
                .put("decline_code", "generic_decline").put("message", "Your card was declined.")
                .put("charge", charge);
        add("charge.failed", StripeShapes.charge(charge, ids.customer(), intent, "failed", prices.planAmount(), 0, now),
                now, null);
        add("payment_intent.payment_failed", declined, now, null);
        ObjectNode open = invoice(invoice, "subscription_cycle", "open", start, end);
        open.put("next_payment_attempt", now + 3 * DAY);
        add("invoice.updated", open, now, object().put("attempted", false).put("attempt_count", 0));
        add("invoice.payment_failed", open, now, null);
        ObjectNode pastDue = moved.deepCopy().put("status", "past_due");
        add("customer.subscription.updated", pastDue, now, object().put("status", "active"));
    }

    /** Canceled with immediate effect (portal or API): Stripe sends the deletion alone. */
    private void cancel() {
        ObjectNode canceled = subscription("canceled", now - PERIOD, now + PERIOD);
        canceled.put("canceled_at", now).put("ended_at", now);
        ((ObjectNode) canceled.path("cancellation_details")).put("reason", "cancellation_requested")
                .putNull("comment").putNull("feedback");
        add("customer.subscription.deleted", canceled, now, null);
    }

    /** Checkout in payment mode for one small pack, paid by card. */
    private void buyPack(String ref) {
        String intent = "pi_" + ids.suffix() + "_pack" + ref;
        add("customer.created", StripeShapes.customer(ids.customer(), ids.account(), now - 60), now - 60, null);
        add("charge.succeeded", StripeShapes.charge("ch_" + intent.substring(3), ids.customer(), intent, "succeeded",
                prices.packAmount(), 0, now), now, null);
        add("payment_intent.succeeded", StripeShapes.paymentIntent(intent, ids.customer(), "succeeded",
                prices.packAmount(), now), now, null);
        add("payment_intent.created", StripeShapes.paymentIntent(intent, ids.customer(), "requires_payment_method",
                prices.packAmount(), now), now, null);
        ObjectNode session = StripeShapes.checkoutSession("cs_test_" + intent.substring(3), ids.customer(),
                ids.account(), "payment", prices.packAmount(), now - 60);
        session.put("payment_intent", intent).putNull("subscription").putNull("invoice");
        ((ObjectNode) session.path("metadata")).put("pack", prices.pack()).put("quantity", "1");
        add("checkout.session.completed", session, now, null);
    }

    /** A full refund of the pack's payment, from the Dashboard: the charge is refunded, the refund created. */
    private void refund(String ref) {
        String intent = "pi_" + ids.suffix() + "_pack" + ref;
        String charge = "ch_" + intent.substring(3);
        String refund = "re_" + intent.substring(3);
        ObjectNode refunded = StripeShapes.charge(charge, ids.customer(), intent, "succeeded", prices.packAmount(),
                prices.packAmount(), now - 60);
        ObjectNode refunds = refunded.putObject("refunds");
        refunds.put("object", "list").put("has_more", false).put("total_count", 1)
                .put("url", "/v1/charges/" + charge + "/refunds");
        refunds.putArray("data").add(StripeShapes.refund(refund, charge, intent, prices.packAmount(), now));
        add("charge.refunded", refunded, now, object().put("amount_refunded", 0).put("refunded", false));
        add("refund.created", StripeShapes.refund(refund, charge, intent, prices.packAmount(), now), now, null);
    }

    private ObjectNode subscription(String status, long start, long end) {
        return StripeShapes.subscription(ids.subscription(), ids.customer(), ids.account(), prices.planPrice(), status,
                now - 60, start, end);
    }

    private ObjectNode invoice(String id, String reason, String status, long start, long end) {
        return StripeShapes.invoice(id, ids.customer(), ids.subscription(), prices.planPrice(), reason, status,
                prices.planAmount(), now, start, end);
    }

    private void add(String type, ObjectNode object, long created, JsonNode previous) {
        events.add(StripeShapes.event(newEventId(), type, object.deepCopy(), created, previous));
    }

    private static ObjectNode object() {
        return StripeShapes.MAPPER.createObjectNode();
    }

    private static ObjectNode previous(String field, ObjectNode value) {
        ObjectNode previous = object();
        previous.set(field, value);
        return previous;
    }

    /** Stripe-like: "evt_" and 24 random letters and digits. */
    static String newEventId() {
        StringBuilder id = new StringBuilder("evt_1");
        for (int i = 0; i < 23; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
