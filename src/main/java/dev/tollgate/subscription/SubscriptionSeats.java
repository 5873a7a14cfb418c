package dev.tollgate.subscription;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.Seats;
import dev.tollgate.common.ProblemException;
import dev.tollgate.mirror.MirrorSpecs;
import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeForm;
import dev.tollgate.webhook.processing.DirectApplier;
import io.smallrye.mutiny.Uni;

/**
 * Changes the seat count of a per-seat subscription: the quantity of its one item at Stripe. Stripe's answer is
 * stored as the webhook would store it, so the next read (entitlements, licenses) already has the new count.
 */
@ApplicationScoped
public class SubscriptionSeats {

    private final SubscriptionQueries subscriptions;
    private final StripeApi stripe;
    private final DirectApplier applier;
    private final Catalog catalog;

    public SubscriptionSeats(SubscriptionQueries subscriptions, StripeApi stripe, DirectApplier applier,
            Catalog catalog) {
        this.subscriptions = subscriptions;
        this.stripe = stripe;
        this.applier = applier;
        this.catalog = catalog;
    }

    /**
     * @param prorationDate null, or the proration_date of a preview with these seats, so the change charges
     *        exactly what it showed
     */
    public Uni<Void> change(String accountId, int seats, String proration, Long prorationDate) {
        String behaviour = Proration.behaviour(proration);
        Long date = Proration.date(prorationDate);
        return subscriptions.current(accountId).flatMap(found -> {
            CurrentSubscription s = found.filter(CurrentSubscription::live)
                    .orElseThrow(() -> ProblemException.notFound("The account has no active subscription."));
            Catalog.PlanPrice plan = catalog.planForPrice(s.priceId()).orElseThrow(() -> ProblemException.conflict(
                    "plan-unknown", "The subscription's price is not a plan of the catalog: its seats cannot be changed."));
            Seats.requested(plan.planId(), plan.plan(), seats);
            if (s.quantity() != null && s.quantity() == seats) {
                // Already so (a retry of a change that went through): nothing to ask Stripe.
                return Uni.createFrom().voidItem();
            }
            return subscriptions.firstItemId(s.id()).flatMap(item -> {
                String itemId = item.orElseThrow(() -> ProblemException.conflict("subscription-has-no-item",
                        "The subscription has no item to change yet; try again in a moment."));
                StripeForm form = new StripeForm().add("items[0][id]", itemId).add("items[0][quantity]", seats)
                        .add("proration_behavior", behaviour).add("proration_date", date);
                // A fresh key per request: stripe-java reuses it for its own retries; a later change is a new one.
                return stripe.post("subscriptions.update", "/v1/subscriptions/" + s.id(), form,
                        "subscription-seats-" + UUID.randomUUID());
            }).flatMap(this::store);
        });
    }

    private Uni<Void> store(JsonNode subscription) {
        return applier.apply(List.of(new DirectApplier.Read("customer.subscription.updated", subscription,
                MirrorSpecs.SUBSCRIPTION)));
    }
}
