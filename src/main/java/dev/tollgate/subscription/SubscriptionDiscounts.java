package dev.tollgate.subscription;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.common.ProblemException;
import dev.tollgate.discounts.PromotionCodes;
import dev.tollgate.mirror.MirrorSpecs;
import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeForm;
import dev.tollgate.webhook.processing.DirectApplier;
import io.smallrye.mutiny.Uni;

/**
 * Applies a promotion code to the live subscription, or removes its discount. Stripe's answer is asked for with
 * the discounts' coupon and promotion code expanded, and stored with them (the subscription and each discount,
 * and the discounts it no longer lists as deleted), so GET /v1/billing/subscription shows the change at once.
 */
@ApplicationScoped
public class SubscriptionDiscounts {

    private final SubscriptionQueries subscriptions;
    private final DiscountQueries discounts;
    private final PromotionCodes promotionCodes;
    private final StripeApi stripe;
    private final DirectApplier applier;

    public SubscriptionDiscounts(SubscriptionQueries subscriptions, DiscountQueries discounts,
            PromotionCodes promotionCodes, StripeApi stripe, DirectApplier applier) {
        this.subscriptions = subscriptions;
        this.discounts = discounts;
        this.promotionCodes = promotionCodes;
        this.stripe = stripe;
        this.applier = applier;
    }

    /** Replaces the subscription's discounts with the one of this code (as the customer types it, or promo_ id). */
    public Uni<Void> apply(String accountId, String code) {
        return live(accountId).flatMap(s -> promotionCodes.usable(code).flatMap(promo -> update(s,
                new StripeForm().add("discounts[0][promotion_code]", promo.id()))));
    }

    /** Removes the subscription's own discounts (a discount of the customer stays: remove it in the Dashboard). */
    public Uni<Void> remove(String accountId) {
        // An empty value unsets a list in Stripe's form encoding: the subscription keeps no discount of its own.
        return live(accountId).flatMap(s -> update(s, new StripeForm().add("discounts", "")));
    }

    private Uni<Void> update(CurrentSubscription s, StripeForm form) {
        form.add("expand[0]", "discounts.source.coupon").add("expand[1]", "discounts.promotion_code");
        return stripe.post("subscriptions.update", "/v1/subscriptions/" + s.id(), form,
                "subscription-discount-" + UUID.randomUUID()).flatMap(answer -> store(s.id(), answer));
    }

    private Uni<Void> store(String subscriptionId, JsonNode subscription) {
        return discounts.storedOf(subscriptionId).flatMap(previous -> {
            List<DirectApplier.Read> reads = new ArrayList<>();
            reads.add(new DirectApplier.Read("customer.subscription.updated", subscription, MirrorSpecs.SUBSCRIPTION));
            Set<String> listed = new HashSet<>();
            for (JsonNode discount : subscription.path("discounts")) {
                if (discount.isObject()) {
                    listed.add(discount.path("id").asText());
                    reads.add(new DirectApplier.Read("customer.discount.updated", discount, MirrorSpecs.DISCOUNT));
                }
            }
            for (JsonNode gone : previous) {
                if (!listed.contains(gone.path("id").asText())) {
                    // Marked as Stripe marks deleted objects: the same object again would tie with the stored
                    // version read in the same second and be kept out as "older or same".
                    ObjectNode deleted = gone.deepCopy();
                    reads.add(new DirectApplier.Read("customer.discount.deleted", deleted.put("deleted", true),
                            MirrorSpecs.DISCOUNT));
                }
            }
            return applier.apply(reads);
        });
    }

    private Uni<CurrentSubscription> live(String accountId) {
        return subscriptions.current(accountId).map(found -> found.filter(CurrentSubscription::live)
                .orElseThrow(() -> ProblemException.notFound("The account has no active subscription.")));
    }
}
