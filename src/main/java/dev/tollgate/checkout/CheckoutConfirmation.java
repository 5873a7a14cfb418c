package dev.tollgate.checkout;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.common.Json;
import dev.tollgate.common.ProblemException;
import dev.tollgate.mirror.MirrorSpecs;
import dev.tollgate.stripe.StripeApi;
import dev.tollgate.webhook.processing.DirectApplier;
import io.smallrye.mutiny.Uni;

/**
 * The success page's "did it work?": reads the session (and its subscription) from Stripe and applies
 * them exactly as the webhook would (same mirrors, same version guard, same idempotent effects), so the
 * new plan or credits show at once even when the webhook is late, and nothing happens twice when it
 * arrives.
 */
@ApplicationScoped
public class CheckoutConfirmation {

    private final StripeApi stripe;
    private final DirectApplier applier;

    public CheckoutConfirmation(StripeApi stripe, DirectApplier applier) {
        this.stripe = stripe;
        this.applier = applier;
    }

    public record Confirmed(String id, String account, String mode, String status, String paymentStatus,
            String subscription) {
    }

    /** {@code accountId} null: the caller may confirm any account's session (service role). */
    public Uni<Confirmed> confirm(String accountId, String sessionId) {
        if (sessionId == null || !sessionId.startsWith("cs_") || sessionId.length() > 255) {
            throw ProblemException.notFound("No checkout session " + sessionId + ".");
        }
        return stripe.get("checkout.sessions.retrieve", "/v1/checkout/sessions/" + encode(sessionId))
                .flatMap(session -> {
                    String owner = owner(session);
                    if (accountId != null && !accountId.equals(owner)) {
                        // Not 403: whether another account's session exists is not the caller's business.
                        throw ProblemException.notFound("No checkout session " + sessionId + " for this account.");
                    }
                    return subscriptionOf(session).flatMap(subscription -> apply(session, subscription))
                            .replaceWith(new Confirmed(Json.text(session, "id"), owner, Json.text(session, "mode"),
                                    Json.text(session, "status"), Json.text(session, "payment_status"),
                                    Json.ref(session, "subscription")));
                });
    }

    private Uni<JsonNode> subscriptionOf(JsonNode session) {
        String subscription = Json.ref(session, "subscription");
        if (subscription == null || !"complete".equals(Json.text(session, "status"))) {
            return Uni.createFrom().nullItem();
        }
        return stripe.get("subscriptions.retrieve", "/v1/subscriptions/" + encode(subscription));
    }

    private Uni<Void> apply(JsonNode session, JsonNode subscription) {
        List<DirectApplier.Read> reads = new ArrayList<>();
        // The event type drives the effects: only a complete session fulfils (grants credits).
        String type = "complete".equals(Json.text(session, "status")) ? "checkout.session.completed"
                : "checkout.session.confirmed";
        reads.add(new DirectApplier.Read(type, session, MirrorSpecs.CHECKOUT_SESSION));
        if (subscription != null) {
            reads.add(new DirectApplier.Read("customer.subscription.updated", subscription, MirrorSpecs.SUBSCRIPTION));
        }
        return applier.apply(reads);
    }

    static String owner(JsonNode session) {
        String fromMetadata = Json.text(session.path("metadata"), "account_id");
        return fromMetadata != null ? fromMetadata : Json.text(session, "client_reference_id");
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }
}
