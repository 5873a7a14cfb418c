package dev.tollgate.checkout;

import java.util.Locale;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;

import dev.tollgate.account.Caller;
import dev.tollgate.account.CustomerEmail;
import dev.tollgate.account.Roles;
import dev.tollgate.account.StripeCustomers;
import dev.tollgate.common.ProblemException;
import dev.tollgate.ratelimit.StripeBound;
import dev.tollgate.stripe.StripeApi;
import dev.tollgate.stripe.StripeForm;
import dev.tollgate.stripe.StripeKeys;
import io.smallrye.mutiny.Uni;

/** A PaymentIntent for a custom amount, paid with Stripe Elements on the frontend. */
@Path("/v1/billing/payment-intents")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Checkout")
public class PaymentIntentsResource {

    private final CheckoutConfig config;
    private final StripeCustomers customers;
    private final StripeApi stripe;
    private final Caller caller;

    public PaymentIntentsResource(CheckoutConfig config, StripeCustomers customers,
            StripeApi stripe, Caller caller) {
        this.config = config;
        this.customers = customers;
        this.stripe = stripe;
        this.caller = caller;
    }

    /** @param email for a new Stripe customer (else the user token's; a service token's never) */
    public record PaymentIntentRequest(Long amount, String currency, String description, String account,
            String email) {
    }

    public record CreatedIntent(String id, String clientSecret, long amount, String currency) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.USER, Roles.SERVICE })
    @StripeBound
    @Operation(summary = "Create a PaymentIntent within the configured amount bounds and currencies")
    public Uni<CreatedIntent> create(PaymentIntentRequest request, @RestHeader("Idempotency-Key") String idempotencyKey) {
        if (request == null || request.amount() == null || request.amount() < config.minAmount()
                || request.amount() > config.maxAmount()) {
            throw ProblemException.badRequest("invalid-amount", "amount must be from " + config.minAmount() + " to "
                    + config.maxAmount() + " in the currency's minor unit (cents).");
        }
        String currency = request.currency() == null ? "" : request.currency().toLowerCase(Locale.ROOT);
        if (!config.currencies().contains(currency)) {
            throw ProblemException.badRequest("invalid-currency",
                    "currency must be one of " + String.join(", ", config.currencies()) + ".");
        }
        if (request.description() != null && request.description().length() > 500) {
            throw ProblemException.badRequest("invalid-description", "description must be at most 500 characters.");
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw ProblemException.badRequest("invalid-idempotency-key", "Idempotency-Key must be 1 to 200 characters.");
        }
        String accountId = caller.accountFor(request.account());
        String key = StripeKeys.of("payment-intent", accountId,
                idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString());
        return customers.customerFor(accountId, CustomerEmail.of(caller, request.email()))
                .flatMap(customer -> stripe.post("payment_intents.create", "/v1/payment_intents", new StripeForm()
                        .add("amount", request.amount()).add("currency", currency).add("customer", customer)
                        .add("description", request.description()).add("metadata[account_id]", accountId)
                        .add("automatic_payment_methods[enabled]", true), key))
                .map(intent -> new CreatedIntent(intent.path("id").asText(), intent.path("client_secret").asText(null),
                        intent.path("amount").asLong(), intent.path("currency").asText()));
    }
}
