package dev.tollgate.devmode;

import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.CatalogConfig;
import dev.tollgate.config.ProductionRules;
import dev.tollgate.stripe.StripeConfig;
import dev.tollgate.stripe.StripeGateway;
import dev.tollgate.webhook.WebhookConfig;
import io.quarkus.arc.profile.UnlessBuildProfile;
import io.quarkus.runtime.StartupEvent;

/**
 * Dev mode's Stripe: answers the few Stripe API calls Tollgate makes (StripeSimulatorResource) and plays what
 * Stripe sends when a simulated Checkout is paid or declined, or a subscription is changed, with the events of
 * {@link ScenarioEvents} signed and posted to this instance's webhook endpoint by {@link WebhookSender}: the
 * inbox, processor, credits, licenses, callbacks and live stream then move exactly as with Stripe. Its state
 * (customers, Checkout Sessions) lives in memory; subscriptions are read back from the mirror, which holds what
 * the events said.
 */
@ApplicationScoped
@UnlessBuildProfile("prod")
public class StripeSimulator {

    private static final Logger LOG = Logger.getLogger(StripeSimulator.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final StripeSimulatorConfig config;
    private final StripeConfig stripe;
    private final StripeGateway gateway;
    private final Catalog catalog;
    private final WebhookConfig webhooks;
    private final SimulatorAddress address;
    private final Map<String, ObjectNode> sessions = new ConcurrentHashMap<>();
    private final Map<String, String> sessionsByKey = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> portalSessions = new ConcurrentHashMap<>();
    private volatile boolean active;

    public StripeSimulator(StripeSimulatorConfig config, StripeConfig stripe, StripeGateway gateway, Catalog catalog,
            WebhookConfig webhooks, SimulatorAddress address) {
        this.config = config;
        this.stripe = stripe;
        this.gateway = gateway;
        this.catalog = catalog;
        this.webhooks = webhooks;
        this.address = address;
    }

    /** What a Checkout sells: a plan at an interval or a pack times a quantity, and what it costs. */
    public record Item(String kind, String id, String name, String interval, int quantity, long amount,
            String currency, String price) {
    }

    void onStart(@Observes StartupEvent event) {
        boolean keySet = stripe.secretKey().filter(k -> !k.isBlank()).isPresent();
        if (!config.enabled() || keySet || ProductionRules.apply()) {
            if (config.enabled() && keySet) {
                LOG.info("STRIPE_SECRET_KEY is set: Tollgate calls Stripe, the Stripe simulator is off.");
            }
            return;
        }
        gateway.simulateWith(() -> address.base() + StripeSimulatorResource.API);
        catalog.simulatePlaceholderPrices();
        active = true;
        LOG.info("No STRIPE_SECRET_KEY: Stripe calls go to the built-in Stripe simulator (dev mode only;"
                + " TOLLGATE_SIMULATOR_ENABLED=false turns it off). Try it at /billing/demo.");
    }

    public boolean active() {
        return active;
    }

    // --- The API calls ------------------------------------------------------------------------------------

    ObjectNode createCustomer(Map<String, String> form) {
        String account = form.getOrDefault("metadata[account_id]", "acct-demo");
        ObjectNode customer = StripeShapes.customer(ScenarioEvents.Ids.of(account).customer(), account, now());
        if (form.get("email") != null) {
            customer.put("email", form.get("email"));
        }
        return customer;
    }

    /** A Checkout Session, open, whose url is the simulated Checkout page; null for a price it does not know. */
    ObjectNode createSession(Map<String, String> form, String idempotencyKey) {
        if (idempotencyKey != null && sessionsByKey.containsKey(idempotencyKey)) {
            return sessions.get(sessionsByKey.get(idempotencyKey)).deepCopy();
        }
        Item item = item(form.get("line_items[0][price]"), quantity(form.get("line_items[0][quantity]")));
        if (item == null) {
            return null;
        }
        String account = form.getOrDefault("metadata[account_id]", form.get("client_reference_id"));
        String id = "cs_test_" + random(24);
        ObjectNode session = StripeShapes.checkoutSession(id, form.get("customer"), account,
                form.getOrDefault("mode", "payment"), item.amount(), now());
        session.put("status", "open").put("payment_status", "unpaid").putNull("subscription").putNull("invoice")
                .putNull("payment_intent").put("currency", item.currency());
        session.put("url", address.base() + StripeSimulatorResource.PAGES + "/checkout/" + id);
        session.put("success_url", form.get("success_url"));
        session.put("cancel_url", form.get("cancel_url"));
        ObjectNode metadata = session.putObject("metadata");
        form.forEach((name, value) -> {
            if (name.startsWith("metadata[") && name.endsWith("]")) {
                metadata.put(name.substring(9, name.length() - 1), value);
            }
        });
        metadata.put("simulated_price", item.price()).put("simulated_quantity", item.quantity());
        if (form.get("subscription_data[trial_period_days]") != null) {
            metadata.put("simulated_trial_days", form.get("subscription_data[trial_period_days]"));
        }
        if (form.get("subscription_data[metadata][plan]") != null) {
            metadata.put("plan", form.get("subscription_data[metadata][plan]"));
        }
        sessions.put(id, session);
        if (idempotencyKey != null) {
            sessionsByKey.put(idempotencyKey, id);
        }
        return session.deepCopy();
    }

    Optional<ObjectNode> session(String id) {
        return Optional.ofNullable(sessions.get(id)).map(ObjectNode::deepCopy);
    }

    ObjectNode createPortalSession(Map<String, String> form) {
        String id = "bps_" + random(24);
        ObjectNode portal = StripeShapes.MAPPER.createObjectNode();
        portal.put("id", id).put("object", "billing_portal.session").put("customer", form.get("customer"))
                .put("created", now()).put("livemode", false).put("return_url", form.get("return_url"))
                .put("url", address.base() + StripeSimulatorResource.PAGES + "/portal/" + id);
        portalSessions.put(id, portal);
        return portal.deepCopy();
    }

    Optional<ObjectNode> portalSession(String id) {
        return Optional.ofNullable(portalSessions.get(id));
    }

    /** The item a session sells, from the catalog (the page shows it, the events carry its price and amount). */
    Item item(ObjectNode session) {
        JsonNode metadata = session.path("metadata");
        return item(metadata.path("simulated_price").asText(null), metadata.path("simulated_quantity").asInt(1));
    }

    private Item item(String price, int quantity) {
        if (price == null) {
            return null;
        }
        String currency = catalog.config().currency();
        Optional<Catalog.PlanPrice> plan = catalog.planForPrice(price);
        if (plan.isPresent()) {
            CatalogConfig.Plan p = plan.get().plan();
            boolean monthly = plan.get().interval() == Catalog.Interval.MONTHLY;
            long amount = (monthly ? p.monthlyAmount() : p.yearlyAmount()).orElse(0L);
            return new Item("plan", plan.get().planId(), p.name(),
                    monthly ? "month" : "year", 1, amount, currency, price);
        }
        return catalog.packForPrice(price).map(pack -> new Item("pack", pack.packId(),
                pack.pack().name(), null, quantity,
                pack.pack().amount().orElse(0L) * quantity, currency, price)).orElse(null);
    }

    // --- The customer's actions on the simulated pages -----------------------------------------------------

    /** The events Stripe sends when the session is paid; marks it complete (its subscription, its payment). */
    List<ObjectNode> pay(String sessionId) {
        ObjectNode session = sessions.get(sessionId);
        Item item = item(session);
        String account = CheckoutOwner.of(session);
        long now = now();
        List<ObjectNode> events;
        if ("plan".equals(item.kind())) {
            events = ScenarioEvents.build(Scenario.SUBSCRIBE, account, null,
                    new ScenarioEvents.Prices(item.price(), item.amount(), ScenarioEvents.Prices.DEFAULTS.pack(),
                            ScenarioEvents.Prices.DEFAULTS.packPrice(), ScenarioEvents.Prices.DEFAULTS.packAmount()),
                    now);
        } else {
            events = ScenarioEvents.build(Scenario.BUY_PACK, account, sessionId.substring(8),
                    new ScenarioEvents.Prices(ScenarioEvents.Prices.DEFAULTS.planPrice(),
                            ScenarioEvents.Prices.DEFAULTS.planAmount(), item.id(), item.price(), item.amount()),
                    now);
        }
        int trialDays = session.path("metadata").path("simulated_trial_days").asInt(0);
        if (trialDays > 0) {
            // A trial: nothing is charged now, the first invoice is for 0 and the subscription is trialing.
            events = new ArrayList<>(events);
            events.removeIf(e -> e.path("type").asText().startsWith("charge.")
                    || e.path("type").asText().startsWith("payment_intent."));
        }
        for (ObjectNode event : events) {
            ObjectNode object = (ObjectNode) event.path("data").path("object");
            String type = object.path("object").asText();
            if (trialDays > 0 && "invoice".equals(type)) {
                for (String field : List.of("subtotal", "total", "amount_due", "amount_paid", "amount_remaining")) {
                    object.put(field, 0);
                }
            }
            if (trialDays > 0 && "subscription".equals(type)) {
                if ("active".equals(object.path("status").asText())) {
                    object.put("status", "trialing");
                }
                object.put("trial_start", now).put("trial_end", now + trialDays * 86_400L);
                ObjectNode trialItem = (ObjectNode) object.path("items").path("data").path(0);
                trialItem.put("current_period_end", now + trialDays * 86_400L);
            }
            if ("subscription".equals(type)) {
                ((ObjectNode) object.path("metadata")).put("plan", item.id());
                ObjectNode price = (ObjectNode) object.path("items").path("data").path(0).path("price");
                price.put("unit_amount", item.amount()).put("unit_amount_decimal", Long.toString(item.amount()));
                ((ObjectNode) price.path("recurring")).put("interval", item.interval());
            }
            if ("checkout.session".equals(type)) {
                ObjectNode completed = object;
                completed.put("id", sessionId);
                completed.put("success_url", session.path("success_url").asText(null));
                completed.put("cancel_url", session.path("cancel_url").asText(null));
                completed.set("metadata", session.path("metadata").deepCopy());
                if ("pack".equals(item.kind())) {
                    ((ObjectNode) completed.path("metadata")).put("quantity", Integer.toString(item.quantity()));
                }
                completed.put("currency", item.currency());
                synchronized (session) {
                    session.put("status", "complete").put("payment_status", "paid");
                    session.set("subscription", completed.get("subscription"));
                    session.set("invoice", completed.get("invoice"));
                    session.set("payment_intent", completed.get("payment_intent"));
                    session.put("customer", completed.path("customer").asText());
                }
            }
        }
        return events;
    }

    /**
     * What Stripe sends when the card is declined (or fails 3D Secure): the failed charge and payment intent. The
     * session stays open, as Stripe's does, so the customer can try again.
     */
    List<ObjectNode> decline(String sessionId, boolean authenticationFailed) {
        ObjectNode session = sessions.get(sessionId);
        Item item = item(session);
        String account = CheckoutOwner.of(session);
        ScenarioEvents.Ids ids = ScenarioEvents.Ids.of(account);
        long now = now();
        String intent = "pi_" + ids.suffix() + "_" + random(10);
        String charge = "ch_" + intent.substring(3);
        String code = authenticationFailed ? "payment_intent_authentication_failure" : "card_declined";
        String message = authenticationFailed ? "The provided payment method has failed authentication."
                : "Your card was declined.";
        ObjectNode failedCharge = StripeShapes.charge(charge, ids.customer(), intent, "failed", item.amount(), 0, now);
        failedCharge.put("failure_code", code).put("failure_message", message).put("currency", item.currency());
        ObjectNode failed = StripeShapes.paymentIntent(intent, ids.customer(), "requires_payment_method",
                item.amount(), now);
        failed.put("currency", item.currency()).put("description", item.name() + " (Checkout)");
        failed.putObject("last_payment_error").put("type", "card_error").put("code", code)
                .put("decline_code", authenticationFailed ? null : "generic_decline").put("message", message)
                .put("charge", charge);
        failed.put("latest_charge", charge);
        failed.putObject("metadata").put("account_id", account);
        List<ObjectNode> events = new ArrayList<>();
        events.add(StripeShapes.event(ScenarioEvents.newEventId(), "payment_intent.created",
                StripeShapes.paymentIntent(intent, ids.customer(), "requires_payment_method", item.amount(), now)
                        .put("currency", item.currency()),
                now, null));
        events.add(StripeShapes.event(ScenarioEvents.newEventId(), "charge.failed", failedCharge, now, null));
        events.add(StripeShapes.event(ScenarioEvents.newEventId(), "payment_intent.payment_failed", failed, now,
                null));
        return events;
    }

    // --- Subscriptions ----------------------------------------------------------------------------------

    /**
     * The subscription after an update Tollgate sends (cancel at period end, resume, a plan change), and the
     * previous values of what changed (the event's previous_attributes).
     */
    record Updated(ObjectNode subscription, ObjectNode previous) {
    }

    Updated update(ObjectNode subscription, Map<String, String> form) {
        ObjectNode sub = subscription.deepCopy();
        ObjectNode previous = StripeShapes.MAPPER.createObjectNode();
        long now = now();
        ObjectNode item = (ObjectNode) sub.path("items").path("data").path(0);
        if (form.containsKey("cancel_at_period_end")) {
            boolean cancel = "true".equals(form.get("cancel_at_period_end"));
            previous.put("cancel_at_period_end", sub.path("cancel_at_period_end").asBoolean());
            previous.set("cancel_at", sub.path("cancel_at").deepCopy());
            previous.set("canceled_at", sub.path("canceled_at").deepCopy());
            sub.put("cancel_at_period_end", cancel);
            if (cancel) {
                sub.put("cancel_at", item.path("current_period_end").asLong()).put("canceled_at", now);
            } else {
                sub.putNull("cancel_at").putNull("canceled_at");
            }
        }
        String price = form.get("items[0][price]");
        if (price != null && !item.isMissingNode()) {
            ObjectNode previousItems = previous.putObject("items");
            previousItems.putArray("data").add(item.deepCopy());
            Item chosen = item(price, 1);
            ObjectNode priceNode = (ObjectNode) item.path("price");
            priceNode.put("id", price);
            if (chosen != null) {
                priceNode.put("unit_amount", chosen.amount()).put("unit_amount_decimal", Long.toString(chosen.amount()));
                ((ObjectNode) priceNode.path("recurring")).put("interval", chosen.interval());
            }
            if (item.has("plan") && item.get("plan").isObject()) {
                ((ObjectNode) item.get("plan")).put("id", price);
            }
        }
        form.forEach((name, value) -> {
            if (name.startsWith("metadata[") && name.endsWith("]")) {
                ((ObjectNode) sub.path("metadata")).put(name.substring(9, name.length() - 1), value);
            }
        });
        return new Updated(sub, previous);
    }

    ObjectNode cancelNow(ObjectNode subscription) {
        long now = now();
        ObjectNode sub = subscription.deepCopy();
        sub.put("status", "canceled").put("canceled_at", now).put("ended_at", now);
        if (sub.path("cancellation_details").isObject()) {
            ((ObjectNode) sub.path("cancellation_details")).put("reason", "cancellation_requested");
        }
        return sub;
    }

    // --- Delivery -------------------------------------------------------------------------------------

    /** Signs and posts the events to this instance's webhook endpoint, one after the other (blocking). */
    List<WebhookSender.Delivery> deliver(List<ObjectNode> events) {
        String secret = webhooks.secrets().flatMap(s -> s.stream().filter(v -> !v.isBlank()).findFirst())
                .orElseThrow(() -> new IllegalStateException(
                        "No webhook signing secret is configured: set STRIPE_WEBHOOK_SECRET."));
        WebhookSender sender = new WebhookSender(URI.create(address.base() + "/v1/webhooks/stripe"), secret);
        try {
            return sender.send(events);
        } catch (IOException e) {
            throw new IllegalStateException("The simulator's webhooks could not be delivered: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while delivering the simulator's webhooks", e);
        }
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static int quantity(String value) {
        try {
            return value == null ? 1 : Math.max(1, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    static String random(int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    /** The account a session belongs to, as Tollgate tagged it. */
    static final class CheckoutOwner {
        private CheckoutOwner() {
        }

        static String of(JsonNode session) {
            String account = session.path("metadata").path("account_id").asText(null);
            return account != null ? account : session.path("client_reference_id").asText("acct-demo");
        }
    }
}
