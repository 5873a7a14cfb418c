package dev.tollgate.subscription;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.Seats;
import dev.tollgate.common.ProblemException;
import dev.tollgate.mirror.MirrorSpecs;
import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeForm;
import dev.tollgate.tax.AutomaticTax;
import dev.tollgate.webhook.processing.DirectApplier;
import io.smallrye.mutiny.Uni;

/**
 * Cancel, resume and change the account's subscription at Stripe, then store Stripe's answer as the
 * webhook would, so the next read already shows it (and the webhook that follows changes nothing).
 */
@ApplicationScoped
public class SubscriptionManagement {

    private static final Set<String> PRORATIONS = Set.of("create_prorations", "none", "always_invoice");
    /** A preview older than this is stale: the customer should see the figures again. */
    private static final long PRORATION_DATE_MAX_AGE = 3600;

    private final SubscriptionQueries subscriptions;
    private final StripeApi stripe;
    private final DirectApplier applier;
    private final Catalog catalog;
    private final AutomaticTax tax;
    private final PlanCurrency currency;

    public SubscriptionManagement(SubscriptionQueries subscriptions, StripeApi stripe, DirectApplier applier,
            Catalog catalog, AutomaticTax tax, PlanCurrency currency) {
        this.tax = tax;
        this.currency = currency;
        this.subscriptions = subscriptions;
        this.stripe = stripe;
        this.applier = applier;
        this.catalog = catalog;
    }

    public Uni<Void> cancel(String accountId, boolean atPeriodEnd) {
        return live(accountId).flatMap(s -> atPeriodEnd
                ? stripe.post("subscriptions.update", path(s), new StripeForm().add("cancel_at_period_end", true), key())
                : stripe.delete("subscriptions.cancel", path(s), key()))
                .flatMap(this::store);
    }

    public Uni<Void> resume(String accountId) {
        return live(accountId).flatMap(s -> {
            if ("paused".equals(s.status())) {
                return stripe.post("subscriptions.resume", path(s) + "/resume",
                        new StripeForm().add("billing_cycle_anchor", "unchanged"), key());
            }
            if (!s.cancelAtPeriodEnd() && s.cancelAt() == null) {
                throw ProblemException.conflict("subscription-not-canceling",
                        "The subscription is " + s.status() + " and not set to cancel: there is nothing to resume.");
            }
            return stripe.post("subscriptions.update", path(s), new StripeForm().add("cancel_at_period_end", false)
                    .add("cancel_at", ""), key());
        }).flatMap(this::store);
    }

    /**
     * @param prorationDate null, or the moment prorations are computed for (the {@code proration_date} a
     *        preview answered), so the change charges exactly what the preview showed
     */
    public Uni<Void> change(String accountId, String plan, String interval, String proration, Long prorationDate) {
        String behaviour = proration == null ? "create_prorations" : proration;
        if (!PRORATIONS.contains(behaviour)) {
            throw ProblemException.badRequest("invalid-proration",
                    "proration must be create_prorations, none or always_invoice.");
        }
        long now = System.currentTimeMillis() / 1000;
        if (prorationDate != null && (prorationDate > now + 60 || prorationDate < now - PRORATION_DATE_MAX_AGE)) {
            throw ProblemException.badRequest("invalid-proration-date",
                    "proration_date must be the proration_date of a preview from the last hour (epoch seconds).");
        }
        Catalog.Interval chosen = Catalog.Interval.parse(interval);
        String price = catalog.priceFor(plan, chosen).orElseThrow(() -> ProblemException.badRequest("plan-not-sold",
                "Plan \"" + plan + "\" is not sold " + chosen.name().toLowerCase(Locale.ROOT) + "."));
        Uni<CurrentSubscription> checked = live(accountId).call(s -> currency.check(accountId, plan, chosen));
        return checked.flatMap(s -> subscriptions.firstItemId(s.id()).flatMap(item -> {
            String itemId = item.orElseThrow(() -> ProblemException.conflict("subscription-has-no-item",
                    "The subscription has no item to change yet; try again in a moment."));
            StripeForm form = new StripeForm().add("items[0][id]", itemId).add("items[0][price]", price)
                    .add("items[0][quantity]", Seats.onChange(plan, catalog.plan(plan).orElseThrow(), s.quantity()))
                    .add("proration_behavior", behaviour).add("metadata[plan]", plan)
                    .add("proration_date", prorationDate);
            tax.addToSubscription(form);
            return stripe.post("subscriptions.update", path(s), form, key());
        })).flatMap(this::store);
    }

    private Uni<CurrentSubscription> live(String accountId) {
        return subscriptions.current(accountId).map(found -> found.filter(s -> s.live())
                .orElseThrow(() -> ProblemException.notFound("The account has no active subscription.")));
    }

    private Uni<Void> store(JsonNode subscription) {
        String type = "canceled".equals(subscription.path("status").asText()) ? "customer.subscription.deleted"
                : "customer.subscription.updated";
        return applier.apply(List.of(new DirectApplier.Read(type, subscription, MirrorSpecs.SUBSCRIPTION)));
    }

    private static String path(CurrentSubscription s) {
        return "/v1/subscriptions/" + s.id();
    }

    /** A fresh key per request: stripe-java reuses it for its own retries, and a later, different change is new. */
    private static String key() {
        return "subscription-" + UUID.randomUUID();
    }
}
