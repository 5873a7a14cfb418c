package dev.tollgate.refunds;

import static dev.tollgate.common.Json.longValue;
import static dev.tollgate.common.Json.ref;
import static dev.tollgate.common.Json.text;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.common.ProblemException;
import dev.tollgate.mirror.MirrorSpecs;
import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeForm;
import dev.tollgate.stripe.StripeKeys;
import dev.tollgate.webhook.processing.DirectApplier;
import io.smallrye.mutiny.Uni;

/**
 * Full or partial refunds of a payment (payment intent) or a charge at Stripe. The answer is stored at once as
 * the refund event would store it, so a succeeded refund claws back its share of the credits now; the
 * refund.created / charge.refunded events that follow find the ledger entry (key refund:&lt;id&gt;) and change
 * nothing. Plans and licenses are not touched: a refund is money, not a cancellation.
 */
@ApplicationScoped
public class Refunds {

    static final Set<String> REASONS = Set.of("duplicate", "fraudulent", "requested_by_customer");

    /** @param payment a payment intent (pi_...) or @param charge a charge (ch_...), exactly one */
    public record RefundRequest(String payment, String charge, Long amount, String reason) {
    }

    public record Refund(String id, String status, long amount, String currency, String paymentIntent, String charge,
            String reason) {
    }

    private final StripeApi stripe;
    private final DirectApplier applier;

    public Refunds(StripeApi stripe, DirectApplier applier) {
        this.stripe = stripe;
        this.applier = applier;
    }

    /** Checks the request before anything reaches Stripe; answers the refund's Stripe form. */
    public static StripeForm form(RefundRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("invalid-request", "A JSON body with payment or charge is required.");
        }
        boolean payment = request.payment() != null && !request.payment().isBlank();
        boolean charge = request.charge() != null && !request.charge().isBlank();
        if (payment == charge) {
            throw ProblemException.badRequest("invalid-refund-target",
                    "Name exactly one of payment (a payment intent, pi_...) or charge (ch_...).");
        }
        if (payment && !request.payment().startsWith("pi_") || charge && !request.charge().startsWith("ch_")) {
            throw ProblemException.badRequest("invalid-refund-target",
                    "payment must be a payment intent id (pi_...), charge a charge id (ch_...).");
        }
        if (request.amount() != null && request.amount() < 1) {
            throw ProblemException.badRequest("invalid-amount",
                    "amount must be a positive whole number in the currency's smallest unit, or absent for all of it.");
        }
        if (request.reason() != null && !REASONS.contains(request.reason())) {
            throw ProblemException.badRequest("invalid-reason",
                    "reason must be duplicate, fraudulent or requested_by_customer.");
        }
        return new StripeForm().add(payment ? "payment_intent" : "charge", payment ? request.payment() : request.charge())
                .add("amount", request.amount()).add("reason", request.reason());
    }

    /**
     * @param requestKey the caller's Idempotency-Key: the same key and request answer the first refund and refund
     *        nothing more (Stripe keeps the key 24 hours); the same key with another request is refused by Stripe
     */
    public Uni<Refund> refund(RefundRequest request, String requestKey) {
        StripeForm form = form(request);
        String target = request.payment() != null && !request.payment().isBlank() ? request.payment() : request.charge();
        return stripe.post("refunds.create", "/v1/refunds", form, StripeKeys.of("refund", target, requestKey))
                .flatMap(refund -> applier.apply(List.of(new DirectApplier.Read("refund.created", refund,
                        MirrorSpecs.REFUND))).map(x -> view(refund)));
    }

    private static Refund view(JsonNode refund) {
        Long amount = longValue(refund, "amount");
        return new Refund(text(refund, "id"), text(refund, "status"), amount == null ? 0 : amount,
                text(refund, "currency"), ref(refund, "payment_intent"), ref(refund, "charge"), text(refund, "reason"));
    }
}
