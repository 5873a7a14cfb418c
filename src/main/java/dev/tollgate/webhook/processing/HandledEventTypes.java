package dev.tollgate.webhook.processing;

import java.util.List;

/**
 * The Stripe event types Tollgate subscribes to: what a webhook endpoint is created with and what
 * the Events API catch-up asks for. Processing itself keys on the object an event carries (see
 * {@code MirrorSpecs}), so a type missing here is still applied when it arrives; it is just not
 * requested.
 */
public final class HandledEventTypes {

    public static final List<String> ALL = List.of(
            "checkout.session.completed", "checkout.session.async_payment_succeeded",
            "checkout.session.async_payment_failed", "checkout.session.expired",
            "customer.created", "customer.updated", "customer.deleted",
            "customer.tax_id.created", "customer.tax_id.updated", "customer.tax_id.deleted",
            "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
            "customer.subscription.paused", "customer.subscription.resumed",
            "customer.subscription.trial_will_end",
            "customer.discount.created", "customer.discount.updated", "customer.discount.deleted",
            "invoice.created", "invoice.finalized", "invoice.paid", "invoice.payment_succeeded",
            "invoice.payment_failed", "invoice.voided", "invoice.marked_uncollectible", "invoice.upcoming",
            "invoice.payment_action_required",
            "payment_intent.succeeded", "payment_intent.processing", "payment_intent.payment_failed",
            "payment_intent.canceled", "payment_intent.requires_action",
            "payment_method.attached", "payment_method.updated", "payment_method.detached",
            "charge.succeeded", "charge.refunded", "charge.dispute.created", "charge.dispute.closed",
            "refund.created", "refund.updated",
            "product.created", "product.updated", "product.deleted",
            "price.created", "price.updated", "price.deleted");

    private HandledEventTypes() {
    }
}
